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
	igw, err := ec2.NewFromConfig(cfg).CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	require.NoError(t, err)
	igwID := aws.ToString(igw.InternetGateway.InternetGatewayId)
	_, err = ec2.NewFromConfig(cfg).AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(igwID), VpcId: aws.String(vpcID)})
	require.NoError(t, err)
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
		{"aws:ec2/vpc:Vpc", vpcID, vpcID, map[string]any{"cidrBlock": "10.42.0.0/16"},
			map[string]any{"arn": "arn:aws:ec2:ap-northeast-1:000000000000:vpc/" + vpcID, "enableDnsHostnames": false,
				"instanceTenancy": "default", "enableDnsSupport": true}},
		{"aws:ec2/internetGateway:InternetGateway", igwID, igwID, map[string]any{"vpcId": vpcID},
			arnOf("arn:aws:ec2:ap-northeast-1:000000000000:internet-gateway/" + igwID)},
		{"aws:rds/cluster:Cluster", run + "-db", run + "-db", map[string]any{"clusterIdentifier": run + "-db", "engine": "aurora-postgresql",
			"engineVersion": "16.9", "storageEncrypted": true, "kmsKeyId": key, "masterUsername": "agmadmin", "databaseName": "agm",
			"backupRetentionPeriod": 7, "globalClusterIdentifier": run + "-global", "dbSubnetGroupName": "default",
			"port": 5432}, map[string]any{"arn": clusterArn, "deletionProtection": false}},
		{"aws:rds/clusterInstance:ClusterInstance", run + "-db-1", run + "-db-1", map[string]any{"identifier": run + "-db-1",
			"clusterIdentifier": run + "-db", "engine": "aurora-postgresql", "instanceClass": "db.r6g.large", "promotionTier": 1,
			"dbSubnetGroupName": "default"}, map[string]any{"arn": "arn:aws:rds:ap-northeast-1:000000000000:db:" + run + "-db-1",
			"autoMinorVersionUpgrade": true, "publiclyAccessible": false}},
		{"aws:rds/globalCluster:GlobalCluster", run + "-global", run + "-global", map[string]any{"globalClusterIdentifier": run + "-global",
			"engine": "aurora-postgresql", "engineVersion": "16.9", "storageEncrypted": true},
			map[string]any{"globalClusterMembers": []any{map[string]any{"dbClusterArn": clusterArn, "isWriter": true}}, "deletionProtection": false}},
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
		{"aws:s3/bucketV2:BucketV2", run + "-sites", run + "-sites", map[string]any{"bucket": run + "-sites"},
			map[string]any{"arn": "arn:aws:s3:::" + run + "-sites", "bucketDomainName": run + "-sites.s3.amazonaws.com", "forceDestroy": false}},
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

func TestImportRefusals(t *testing.T) {
	p := New()
	p.region = importRegion
	read := func(typ string) error {
		_, err := p.Read(context.Background(), &pulumirpc.ReadRequest{Type: typ, Id: "x", Urn: "urn:pulumi:tokyo::agm-dr::" + typ + "::x"})
		return err
	}
	t.Setenv(WorldEnv, "")
	assert.EqualError(t, read("aws:rds/cluster:Cluster"), "fake aws: importing aws:rds/cluster:Cluster x needs the world (AGMDR_FAKE_AWS_WORLD=1)")
	t.Setenv(WorldEnv, "1")
	err := read("aws:lb/loadBalancer:LoadBalancer")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aws:lb/loadBalancer:LoadBalancer")
	assert.Contains(t, err.Error(), "docs/fakeaws.md")
}

// The diff decides what an adoption plans: the engine diffs the imported state and inputs
// against the program's inputs, so a different KMS key on an existing Aurora cluster is a
// replacement (which the engine refuses for an imported resource), a different backup
// retention an update in place.
func TestImportedClusterDiffDecidesTheAdoption(t *testing.T) {
	cfg, run := importWorld(t)
	key := "arn:aws:kms:ap-northeast-1:000000000000:key/" + run
	_, err := rds.NewFromConfig(cfg).CreateDBCluster(context.Background(), &rds.CreateDBClusterInput{DBClusterIdentifier: aws.String(run + "-adopt"),
		Engine: aws.String("aurora-postgresql"), StorageEncrypted: aws.Bool(true), KmsKeyId: aws.String(key), BackupRetentionPeriod: aws.Int32(7),
		MasterUsername: aws.String("agmadmin"), MasterUserPassword: aws.String("test-only-password")})
	require.NoError(t, err)
	const typ = "aws:rds/cluster:Cluster"
	read := importRead(t, typ, run+"-adopt")
	in, err := unmarshal(read.Inputs)
	require.NoError(t, err)
	require.Equal(t, key, str(in, "kmsKeyId"), "the import read the cluster's key as an input")
	diff := func(change map[string]any) *pulumirpc.DiffResponse {
		news := in.Mappable()
		for k, v := range change {
			news[k] = v
		}
		res, err := New().Diff(context.Background(), &pulumirpc.DiffRequest{Type: typ, Id: read.Id, Urn: "urn:pulumi:tokyo::agm-dr::" + typ + "::existing",
			Olds: read.Properties, OldInputs: read.Inputs, News: props(t, news)})
		require.NoError(t, err)
		return res
	}
	res := diff(nil)
	assert.Empty(t, res.Diffs, "the program matching what exists adopts it unchanged")
	res = diff(map[string]any{"kmsKeyId": "arn:aws:kms:ap-northeast-1:000000000000:key/other"})
	assert.Equal(t, []string{"kmsKeyId"}, res.Replaces)
	res = diff(map[string]any{"backupRetentionPeriod": 14})
	assert.Equal(t, []string{"backupRetentionPeriod"}, res.Diffs)
	assert.Empty(t, res.Replaces)
}

// A secondary of a global datastore reports, in DescribeCacheClusters, the primary's engine,
// version and node type (it cannot set them), and a group the program creates keeps what the
// program set, so an import read of it matches the created state.
func TestElastiCacheFakeReportsWhatWasSet(t *testing.T) {
	fake := NewElastiCache()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Setenv(WorldEnv, "1")
	t.Setenv("AWS_ENDPOINT_URL_ELASTICACHE", srv.URL)
	t.Setenv("AWS_ENDPOINT_URL", srv.URL) // nothing else is called
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	ctx := context.Background()
	p := New()
	p.region = importRegion
	home := map[string]any{"replicationGroupId": "home", "description": "d", "engine": "valkey", "engineVersion": "7.2.6",
		"nodeType": "cache.r7g.large", "numCacheClusters": 2, "port": 6379, "transitEncryptionEnabled": true, "atRestEncryptionEnabled": true,
		"subnetGroupName": "sn", "securityGroupIds": []any{"sg-1"}, "automaticFailoverEnabled": true, "multiAzEnabled": true, "snapshotRetentionLimit": 1}
	_, err := p.Create(ctx, &pulumirpc.CreateRequest{Type: typeReplicationGroup, Name: "home", Urn: "urn:pulumi:tokyo::p::t::home", Properties: props(t, home)})
	require.NoError(t, err)
	in, err := unmarshal(importRead(t, typeReplicationGroup, "home").Inputs)
	require.NoError(t, err)
	assert.Equal(t, resource.NewPropertyMapFromMap(home), in, "what the program created is what an import reads")

	_, err = p.Create(ctx, &pulumirpc.CreateRequest{Type: typeGlobalDatastore, Name: "g", Urn: "urn:pulumi:tokyo::p::t::g",
		Properties: props(t, map[string]any{"globalReplicationGroupIdSuffix": "s", "primaryReplicationGroupId": "home"})})
	require.NoError(t, err)
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("ap-northeast-3"))
	require.NoError(t, err)
	osaka := elasticache.NewFromConfig(cfg)
	_, err = osaka.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String("peer"),
		ReplicationGroupDescription: aws.String("d"), GlobalReplicationGroupId: aws.String(GlobalDatastorePrefix + "s")})
	require.NoError(t, err)
	cc, err := osaka.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("peer-001")})
	require.NoError(t, err)
	require.Len(t, cc.CacheClusters, 1)
	c := cc.CacheClusters[0]
	assert.Equal(t, []string{"valkey", "7.2.6", "cache.r7g.large", "peer"},
		[]string{aws.ToString(c.Engine), aws.ToString(c.EngineVersion), aws.ToString(c.CacheNodeType), aws.ToString(c.ReplicationGroupId)})
	_, err = osaka.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("peer-002")})
	assert.Error(t, err, "a group of one cluster has no second member")
}
