package fakeaws

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

const importRegion = "ap-northeast-1"

// importWorld points the SDK at ministack and at an ElastiCache fake of this package, turns
// the world on and returns an SDK config and a name unique to this run (tests share one emulator).
func importWorld(t *testing.T) (aws.Config, string) {
	t.Helper()
	switchovertest.UseEmulator(t)
	srv := httptest.NewServer(NewElastiCache())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL_ELASTICACHE", srv.URL)
	t.Setenv(WorldEnv, "1")
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion(importRegion))
	require.NoError(t, err)
	return cfg, fmt.Sprintf("imp%d%06d", os.Getpid()%100000, time.Now().UnixNano()/1000%1_000_000)
}

// importRead calls Read as the engine does for an import: the id, no properties, no inputs.
func importRead(t *testing.T, typ, id string) *pulumirpc.ReadResponse {
	t.Helper()
	p := New()
	p.region = importRegion
	res, err := p.Read(context.Background(), &pulumirpc.ReadRequest{Type: typ, Id: id, Name: "existing",
		Urn: "urn:pulumi:tokyo::agm-dr::" + typ + "::existing"})
	require.NoError(t, err)
	return res
}

func TestImportReadsTheExistingResource(t *testing.T) {
	cfg, run := importWorld(t)
	ctx := context.Background()
	key := "arn:aws:kms:ap-northeast-1:000000000000:key/" + run
	rdsc, cache := rds.NewFromConfig(cfg), elasticache.NewFromConfig(cfg)
	clusterArn := "arn:aws:rds:ap-northeast-1:000000000000:cluster:" + run + "-db"
	arnOf := func(s string) map[string]any { return map[string]any{"arn": s} }

	vpc, err := ec2.NewFromConfig(cfg).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.42.0.0/16")})
	require.NoError(t, err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	_, err = rdsc.CreateGlobalCluster(ctx, &rds.CreateGlobalClusterInput{GlobalClusterIdentifier: aws.String(run + "-global"),
		Engine: aws.String("aurora-postgresql"), EngineVersion: aws.String("16.9"), StorageEncrypted: aws.Bool(true)})
	require.NoError(t, err)
	_, err = rdsc.CreateDBCluster(ctx, &rds.CreateDBClusterInput{DBClusterIdentifier: aws.String(run + "-db"),
		Engine: aws.String("aurora-postgresql"), EngineVersion: aws.String("16.9"), StorageEncrypted: aws.Bool(true), KmsKeyId: aws.String(key),
		MasterUsername: aws.String("agmadmin"), MasterUserPassword: aws.String("test-only-password"), DatabaseName: aws.String("agm"),
		BackupRetentionPeriod: aws.Int32(7), GlobalClusterIdentifier: aws.String(run + "-global")})
	require.NoError(t, err)
	_, err = rdsc.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String(run + "-db-1"),
		DBClusterIdentifier: aws.String(run + "-db"), Engine: aws.String("aurora-postgresql"), DBInstanceClass: aws.String("db.r6g.large"),
		PromotionTier: aws.Int32(1)})
	require.NoError(t, err)
	_, err = cache.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String(run + "-cache"),
		ReplicationGroupDescription: aws.String("sessions"), Engine: aws.String("valkey"), EngineVersion: aws.String("7.2.6"),
		CacheNodeType: aws.String("cache.r7g.large"), NumCacheClusters: aws.Int32(2), Port: aws.Int32(6380),
		TransitEncryptionEnabled: aws.Bool(true), AtRestEncryptionEnabled: aws.Bool(true), KmsKeyId: aws.String(key),
		CacheSubnetGroupName: aws.String("agm-cache"), SecurityGroupIds: []string{"sg-1", "sg-2"},
		AutomaticFailoverEnabled: aws.Bool(true), MultiAZEnabled: aws.Bool(true), SnapshotRetentionLimit: aws.Int32(3)})
	require.NoError(t, err)
	ds, err := cache.CreateGlobalReplicationGroup(ctx, &elasticache.CreateGlobalReplicationGroupInput{
		GlobalReplicationGroupIdSuffix: aws.String(run + "-sessions"), PrimaryReplicationGroupId: aws.String(run + "-cache")})
	require.NoError(t, err)
	dsID := aws.ToString(ds.GlobalReplicationGroup.GlobalReplicationGroupId)
	ecsc := ecs.NewFromConfig(cfg)
	ec, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(run + "-ecs")})
	require.NoError(t, err)
	svc, err := ecsc.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String(run + "-ecs"), ServiceName: aws.String("web"),
		DesiredCount: aws.Int32(6), TaskDefinition: aws.String("agm-web:42"), LaunchType: "FARGATE"})
	require.NoError(t, err)
	q, err := sqs.NewFromConfig(cfg).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(run + "-votes"),
		Attributes: map[string]string{"VisibilityTimeout": "45", "MessageRetentionPeriod": "86400"}})
	require.NoError(t, err)
	queue := aws.ToString(q.QueueUrl)
	_, err = s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(run + "-sites"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: importRegion}})
	require.NoError(t, err)

	cases := []struct {
		typ, id, wantID string
		in, out         map[string]any // out: outputs besides the inputs (each input is an output too)
	}{
		{"aws:ec2/vpc:Vpc", vpcID, vpcID, map[string]any{"cidrBlock": "10.42.0.0/16", "instanceTenancy": "default"},
			arnOf("arn:aws:ec2:ap-northeast-1:000000000000:vpc/" + vpcID)},
		{"aws:rds/cluster:Cluster", run + "-db", run + "-db", map[string]any{"clusterIdentifier": run + "-db", "engine": "aurora-postgresql",
			"engineVersion": "16.9", "storageEncrypted": true, "kmsKeyId": key, "masterUsername": "agmadmin", "databaseName": "agm",
			"backupRetentionPeriod": 7, "globalClusterIdentifier": run + "-global", "dbSubnetGroupName": "default", "deletionProtection": false,
			"port": 5432}, arnOf(clusterArn)},
		{"aws:rds/clusterInstance:ClusterInstance", run + "-db-1", run + "-db-1", map[string]any{"identifier": run + "-db-1",
			"clusterIdentifier": run + "-db", "engine": "aurora-postgresql", "instanceClass": "db.r6g.large", "promotionTier": 1,
			"autoMinorVersionUpgrade": true, "dbSubnetGroupName": "default", "publiclyAccessible": false},
			arnOf("arn:aws:rds:ap-northeast-1:000000000000:db:" + run + "-db-1")},
		{"aws:rds/globalCluster:GlobalCluster", run + "-global", run + "-global", map[string]any{"globalClusterIdentifier": run + "-global",
			"engine": "aurora-postgresql", "engineVersion": "16.9", "storageEncrypted": true, "deletionProtection": false},
			map[string]any{"globalClusterMembers": []any{map[string]any{"dbClusterArn": clusterArn, "isWriter": true}}}},
		{typeReplicationGroup, run + "-cache", run + "-cache", map[string]any{"replicationGroupId": run + "-cache", "description": "sessions",
			"engine": "valkey", "engineVersion": "7.2.6", "nodeType": "cache.r7g.large", "numCacheClusters": 2, "port": 6380,
			"atRestEncryptionEnabled": true, "transitEncryptionEnabled": true, "kmsKeyId": key, "subnetGroupName": "agm-cache",
			"securityGroupIds": []any{"sg-1", "sg-2"}, "automaticFailoverEnabled": true, "multiAzEnabled": true, "snapshotRetentionLimit": 3},
			map[string]any{"arn": "arn:aws:elasticache:ap-northeast-1:000000000000:replicationgroup:" + run + "-cache",
				"globalReplicationGroupId": dsID, "primaryEndpointAddress": cacheEndpoint(run+"-cache", importRegion)}},
		{typeGlobalDatastore, dsID, dsID, map[string]any{"globalReplicationGroupIdSuffix": run + "-sessions", "primaryReplicationGroupId": run + "-cache"},
			map[string]any{"globalReplicationGroupId": dsID, "arn": "arn:aws:elasticache::000000000000:globalreplicationgroup:" + dsID}},
		{"aws:ecs/cluster:Cluster", run + "-ecs", aws.ToString(ec.Cluster.ClusterArn), map[string]any{"name": run + "-ecs"},
			arnOf(aws.ToString(ec.Cluster.ClusterArn))},
		{"aws:ecs/service:Service", run + "-ecs/web", aws.ToString(svc.Service.ServiceArn), map[string]any{"name": "web",
			"cluster": aws.ToString(ec.Cluster.ClusterArn), "desiredCount": 6, "launchType": "FARGATE", "taskDefinition": aws.ToString(svc.Service.TaskDefinition)}, nil},
		{"aws:sqs/queue:Queue", queue, queue, map[string]any{"name": run + "-votes", "visibilityTimeoutSeconds": 45, "messageRetentionSeconds": 86400},
			map[string]any{"url": queue, "arn": "arn:aws:sqs:ap-northeast-1:000000000000:" + run + "-votes"}},
		{"aws:s3/bucketV2:BucketV2", run + "-sites", run + "-sites", map[string]any{"bucket": run + "-sites", "forceDestroy": false},
			map[string]any{"arn": "arn:aws:s3:::" + run + "-sites", "bucketDomainName": run + "-sites.s3.amazonaws.com"}},
	}
	for _, c := range cases {
		t.Run(c.typ, func(t *testing.T) {
			res := importRead(t, c.typ, c.id)
			assert.Equal(t, c.wantID, res.Id)
			require.NotNil(t, res.Inputs, "nil inputs: the engine says the provider cannot import")
			in, err := unmarshal(res.Inputs)
			require.NoError(t, err)
			assert.Equal(t, resource.NewPropertyMapFromMap(c.in), in, "inputs")
			out, err := unmarshal(res.Properties)
			require.NoError(t, err)
			for k, v := range in {
				assert.Equal(t, v, out[k], "output %s", k)
			}
			for k, v := range resource.NewPropertyMapFromMap(c.out) {
				assert.Equal(t, v, out[k], "output %s", k)
			}

			gone := importRead(t, c.typ, c.id+"-gone")
			assert.Empty(t, gone.Id, "an unknown id")
			assert.Nil(t, gone.Properties, "an unknown id: the engine says the resource does not exist")
		})
	}
}
