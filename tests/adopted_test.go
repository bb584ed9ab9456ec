package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/policy"
	"github.com/agm-dr/agm-dr/stacks"
)

// An existing Tokyo, named as a team would name it (what drctl adopt --import writes).
var existingTokyo = config.Adopted{
	VpcID: "vpc-0a1b2c3d4e5f60718", InternetGatewayID: "igw-0a1b2c3d4e5f60718",
	Cluster: "shareholders-prod", EngineVersion: "16.9", ClusterInstances: []string{"shareholders-prod-a", "shareholders-prod-b"},
	DBSubnetGroup: "prod-db-private", MasterPasswordSecret: "prod/shareholders-db", ClusterKmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666",
	ClusterSecurityGroups: []string{"sg-0aaaaaaaaaaaaaaa1"},
	ReplicationGroup:      "agm-sessions-prod", CacheEngine: "redis", CacheSubnetGroup: "prod-cache-private",
	CacheSecurityGroups: []string{"sg-0bbbbbbbbbbbbbbb2"}, CacheGlobalID: "ldgnf-agm-dr-sessions",
	ECSCluster: "agm-prod", ECSService: "agm-web", ECSSecurityGroups: []string{"sg-0ccccccccccccccc3"}, ECSTaskRole: "agm-web-task",
	ECSTargetGroups:    []string{"arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/agm-web/0123456789abcdef"},
	QueueURL:           "https://sqs.ap-northeast-1.amazonaws.com/123456789012/vote-intake",
	DeadLetterQueueURL: "https://sqs.ap-northeast-1.amazonaws.com/123456789012/vote-intake-dlq",
	Bucket:             "agm-broadcast-sites-prod",
}

// adoptedConfig is agm-dr:adopted for a.
func adoptedConfig(t testing.TB, a config.Adopted) map[string]string {
	return map[string]string{config.KeyAdopted: adoptedJSON(t, a)}
}

func adoptedJSON(t testing.TB, a config.Adopted) string {
	t.Helper()
	b, err := json.Marshal(a)
	require.NoError(t, err)
	return string(b)
}

// TestAdoptedTokyoImportsTheExistingResources: with agm-dr:adopted the home stack registers each
// existing resource with the import option and its own name, keeps the subnet groups and the
// cluster's key (a change of either replaces on AWS) and the running app's security groups, does
// not close the adopted VPC's default group, and imports nothing else. Without the key nothing
// is imported.
func TestAdoptedTokyoImportsTheExistingResources(t *testing.T) {
	a := existingTokyo
	res := mustRun(t, config.TokyoStack, adoptedConfig(t, a))
	want := map[string]string{ // type::name → import id
		"aws:ec2/vpc:Vpc::network-vpc":                                                a.VpcID,
		"aws:ec2/internetGateway:InternetGateway::network-igw":                        a.InternetGatewayID,
		"aws:rds/globalCluster:GlobalCluster::database-global":                        stacks.GlobalClusterID("agm-dr"),
		"aws:rds/cluster:Cluster::database-cluster":                                   a.Cluster,
		"aws:rds/clusterInstance:ClusterInstance::database-instance-1":                "shareholders-prod-a",
		"aws:rds/clusterInstance:ClusterInstance::database-instance-2":                "shareholders-prod-b",
		"aws:elasticache/replicationGroup:ReplicationGroup::cache-group":              a.ReplicationGroup,
		"aws:elasticache/globalReplicationGroup:GlobalReplicationGroup::cache-global": a.CacheGlobalID,
		"aws:sqs/queue:Queue::queue":                                                  a.QueueURL,
		"aws:sqs/queue:Queue::queue-dlq":                                              a.DeadLetterQueueURL,
		"aws:s3/bucketV2:BucketV2::site":                                              a.Bucket,
		"aws:ecs/cluster:Cluster::app-cluster":                                        "agm-prod",
		"aws:ecs/service:Service::app-service":                                        "agm-prod/agm-web",
	}
	got := map[string]string{}
	for _, r := range res.Resources {
		if r.ImportID != "" {
			got[r.Key()] = r.ImportID
		}
	}
	assert.Equal(t, want, got)

	str := func(typ, name, prop string) string {
		r, ok := res.Get(typ, name)
		require.True(t, ok, "%s %s", typ, name)
		return r.Inputs[resourceKey(prop)].StringValue()
	}
	cluster, _ := res.Get("aws:rds/cluster:Cluster", "database-cluster")
	assert.Equal(t, a.Cluster, str("aws:rds/cluster:Cluster", "database-cluster", "clusterIdentifier"))
	assert.Equal(t, a.DBSubnetGroup, str("aws:rds/cluster:Cluster", "database-cluster", "dbSubnetGroupName"))
	assert.Equal(t, a.ClusterKmsKeyArn, str("aws:rds/cluster:Cluster", "database-cluster", "kmsKeyId"))
	assert.Equal(t, "16.9", str("aws:rds/cluster:Cluster", "database-cluster", "engineVersion"))
	assert.Equal(t, "16.9", str("aws:rds/globalCluster:GlobalCluster", "database-global", "engineVersion"), "the import must not upgrade the global cluster")
	assert.Contains(t, cluster.Inputs["vpcSecurityGroupIds"].String(), "sg-0aaaaaaaaaaaaaaa1")
	assert.Equal(t, a.DBSubnetGroup, str("aws:rds/clusterInstance:ClusterInstance", "database-instance-1", "dbSubnetGroupName"))
	assert.Equal(t, "shareholders-prod-a", str("aws:rds/clusterInstance:ClusterInstance", "database-instance-1", "identifier"))

	assert.Equal(t, a.ReplicationGroup, str("aws:elasticache/replicationGroup:ReplicationGroup", "cache-group", "replicationGroupId"))
	assert.Equal(t, a.CacheSubnetGroup, str("aws:elasticache/replicationGroup:ReplicationGroup", "cache-group", "subnetGroupName"))
	assert.Equal(t, "redis", str("aws:elasticache/replicationGroup:ReplicationGroup", "cache-group", "engine"), "the import must not change the engine")
	group, _ := res.Get("aws:elasticache/replicationGroup:ReplicationGroup", "cache-group")
	assert.Contains(t, group.Inputs["securityGroupIds"].String(), "sg-0bbbbbbbbbbbbbbb2")

	assert.Equal(t, "vote-intake", str("aws:sqs/queue:Queue", "queue", "name"))
	assert.Equal(t, "vote-intake-dlq", str("aws:sqs/queue:Queue", "queue-dlq", "name"))
	assert.Equal(t, a.Bucket, str("aws:s3/bucketV2:BucketV2", "site", "bucket"))
	assert.Equal(t, "agm-prod", str("aws:ecs/cluster:Cluster", "app-cluster", "name"))
	assert.Equal(t, "agm-web", str("aws:ecs/service:Service", "app-service", "name"))
	service, _ := res.Get("aws:ecs/service:Service", "app-service")
	assert.Contains(t, service.Inputs["networkConfiguration"].String(), "sg-0ccccccccccccccc3", "the tasks keep the service's own group")
	lbs := service.Inputs["loadBalancers"].ArrayValue()
	require.Len(t, lbs, 2, "the program's target group and the one that serves shareholders today")
	assert.Equal(t, a.ECSTargetGroups[0], lbs[1].ObjectValue()["targetGroupArn"].StringValue())
	assert.Equal(t, "app", lbs[1].ObjectValue()["containerName"].StringValue(), "attached to the program's container")

	for _, typ := range []string{"aws:rds/subnetGroup:SubnetGroup", "aws:elasticache/subnetGroup:SubnetGroup"} {
		assert.Empty(t, res.Find(typ), "%s: an adopted home keeps its own", typ)
	}
	// The adopted home keeps every mandatory guardrail, the closed default group included
	// (drctl adopt --check refuses a VPC whose default group is in use).
	mandatory, _ := policy.Split(policy.Evaluate(resources(res)))
	assert.Empty(t, mandatory)

	// The app's DB_PASSWORD secret holds the live password, read from the team's secret (the
	// mock monitor answers "mock-secret-value"); the cache token is still generated.
	version, ok := res.Get("aws:secretsmanager/secretVersion:SecretVersion", "db-master")
	require.True(t, ok)
	assert.Equal(t, "mock-secret-value", version.Inputs["secretString"].SecretValue().Element.StringValue())
	assert.Contains(t, res.Calls, "aws:secretsmanager/getSecretVersion:getSecretVersion")
	_, generated := res.Get("random:index/randomPassword:RandomPassword", "db-master-value")
	assert.False(t, generated, "no generated password for an adopted cluster")
	_, generated = res.Get("random:index/randomPassword:RandomPassword", "cache-auth-value")
	assert.True(t, generated)

	// The running tasks' role may use the key through SQS before the queues move to it.
	grant, ok := res.Get("aws:iam/rolePolicy:RolePolicy", "adopted-tasks-key")
	require.True(t, ok, "the grant to the running tasks' role")
	assert.Equal(t, "agm-web-task", grant.Inputs["role"].StringValue())
	assert.Contains(t, grant.Inputs["policy"].StringValue(), "kms:GenerateDataKey")
	assert.Contains(t, grant.Inputs["policy"].StringValue(), "sqs.ap-northeast-1.amazonaws.com")
	for _, name := range []string{"queue", "queue-dlq"} {
		q, _ := res.Get("aws:sqs/queue:Queue", name)
		assert.Contains(t, q.DependsOn, "urn:pulumi:tokyo::agm-dr::aws:iam/rolePolicy:RolePolicy::adopted-tasks-key", "%s waits for the grant", name)
	}

	for _, r := range mustRun(t, config.TokyoStack, nil).Resources {
		assert.Empty(t, r.ImportID, "a stack built from nothing imports nothing: %s", r.Key())
	}
}

// TestOsakaFollowsAnAdoptedHome: the peer stack replicates to the adopted bucket's own name and
// creates its secondary at the global cluster's engine version, both read from the home stack.
func TestOsakaFollowsAnAdoptedHome(t *testing.T) {
	cfg, err := capture.ProjectConfig(repoRoot, config.OsakaStack)
	require.NoError(t, err)
	outs := map[string]map[string]any{}
	for k, v := range peerOutputs {
		outs[k] = map[string]any{}
		for kk, vv := range v {
			outs[k][kk] = vv
		}
	}
	outs[config.TokyoStack][stacks.OutBucketName] = existingTokyo.Bucket
	outs[config.TokyoStack][stacks.OutAuroraEngineVersion] = "16.9"
	outs[config.TokyoStack][stacks.OutClusterName] = existingTokyo.ECSCluster
	outs[config.TokyoStack][stacks.OutServiceName] = existingTokyo.ECSService
	res, err := capture.Run(stacks.Program, capture.Options{Project: config.Namespace, Stack: config.OsakaStack, Config: cfg, StackOutputs: outs})
	require.NoError(t, err)
	c := only(t, res, "aws:rds/cluster:Cluster")
	assert.Equal(t, "16.9", c.Inputs["engineVersion"].StringValue())
	var replicates bool
	for _, r := range res.Find("aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
		replicates = replicates || strings.Contains(fmt.Sprint(r.Inputs), "arn:aws:s3:::"+existingTokyo.Bucket)
	}
	assert.True(t, replicates, "Osaka's bucket replicates back to the adopted bucket's own name")
	capacity := only(t, res, "agmdr:index:Capacity")
	assert.Equal(t, "agm-prod", capacity.Inputs["peerCluster"].StringValue(), "the old primary's load is read by its own names")
	assert.Equal(t, "agm-web", capacity.Inputs["peerService"].StringValue())

	// A home built from nothing names its service as Osaka does: nothing extra is sent.
	plain := mustRun(t, config.OsakaStack, nil)
	capacity = only(t, plain, "agmdr:index:Capacity")
	assert.NotContains(t, capacity.Inputs, resourceKey("peerCluster"))
	assert.NotContains(t, capacity.Inputs, resourceKey("peerService"))
}

// TestAdoptedConfigIsRefusedWhereItCannotBeTrue: each bad value names the key and what is wrong.
func TestAdoptedConfigIsRefusedWhereItCannotBeTrue(t *testing.T) {
	mod := func(f func(*config.Adopted)) config.Adopted {
		a := existingTokyo
		f(&a)
		return a
	}
	cases := []struct {
		name, stack string
		a           config.Adopted
		want        string
	}{
		{"on the peer stack", config.OsakaStack, existingTokyo, "only the home region's stack (tokyo) adopts"},
		{"no cluster", config.TokyoStack, mod(func(a *config.Adopted) { a.Cluster = "" }), "clusterIdentifier is required"},
		{"no password secret", config.TokyoStack, mod(func(a *config.Adopted) { a.MasterPasswordSecret = "" }), "masterPasswordSecret is required"},
		{"no instances", config.TokyoStack, mod(func(a *config.Adopted) { a.ClusterInstances = nil }), "clusterInstances"},
		{"bad vpc", config.TokyoStack, mod(func(a *config.Adopted) { a.VpcID = "shareholders-vpc" }), "is not a VPC id"},
		{"key alias", config.TokyoStack, mod(func(a *config.Adopted) { a.ClusterKmsKeyArn = "alias/aws/rds" }), "is not a KMS key ARN"},
		{"queue name", config.TokyoStack, mod(func(a *config.Adopted) { a.QueueURL = "vote-intake" }), "is not an SQS queue URL"},
		{"engine", config.TokyoStack, mod(func(a *config.Adopted) { a.CacheEngine = "memcached" }), "allowed: valkey, redis"},
		{"target group", config.TokyoStack, mod(func(a *config.Adopted) { a.ECSTargetGroups = []string{"agm-web-tg"} }), "is not a target group ARN"},
		{"security group", config.TokyoStack, mod(func(a *config.Adopted) { a.CacheSecurityGroups = []string{"web"} }), "is not a security group id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := run(t, c.stack, adoptedConfig(t, c.a))
			require.Error(t, err)
			assert.Contains(t, err.Error(), config.KeyAdopted)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestPasswordOf(t *testing.T) {
	for in, want := range map[string]string{
		`{"username":"agmadmin","password":"s3cret-Pw"}`: "s3cret-Pw", // RDS-managed master secret
		"plain-Passw0rd":          "plain-Passw0rd",
		`{"username":"agmadmin"}`: `{"username":"agmadmin"}`, // no password field: the value as is
		`"quoted"`:                `"quoted"`,
	} {
		assert.Equal(t, want, stacks.PasswordOf(in), in)
	}
}
