package adopt_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// The "existing Tokyo" of these tests is built outside the program, as a team would have built
// it by hand: the VPC, Aurora cluster and instances, ECS service, SQS queues and S3 bucket in
// the ministack emulator (AGMDR_MINISTACK_URL), the ElastiCache replication group in the
// in-process fake of switchovertest, because ministack does not serve the global datastore
// calls. The peer region's catalogue (which engine versions and instance classes Osaka
// offers) is a small fake too: ministack answers the same catalogue for every region and lists
// no Graviton class, so it cannot tell Osaka from Tokyo.

// tokyoSpec is what the team built; plant a blocker by changing one field of goodTokyo.
type tokyoSpec struct {
	cidr                    string
	encrypted               bool
	version, class          string
	cacheEngine, cacheVer   string
	node                    string
	transit, atRest         bool
	clusterGlobal, rgGlobal string // already a member of this global cluster / datastore
}

var goodTokyo = tokyoSpec{
	cidr: "10.10.0.0/16", encrypted: true, version: "16.9", class: "db.r6g.large",
	cacheEngine: "valkey", cacheVer: "7.2.6", node: "cache.r7g.large", transit: true, atRest: true,
}

// osaka is the peer region's catalogue: the versions it offers (value: supports global
// databases) and the instance classes.
type osaka struct {
	versions map[string]bool
	classes  []string
	calls    atomic.Int32
}

func newOsaka() *osaka {
	return &osaka{versions: map[string]bool{"16.9": true, "15.12": true}, classes: []string{"db.r6g.large", "db.r6g.xlarge"}}
}

func (o *osaka) DescribeDBEngineVersions(_ context.Context, in *rds.DescribeDBEngineVersionsInput, _ ...func(*rds.Options)) (*rds.DescribeDBEngineVersionsOutput, error) {
	o.calls.Add(1)
	g, ok := o.versions[aws.ToString(in.EngineVersion)]
	if !ok {
		return &rds.DescribeDBEngineVersionsOutput{}, nil
	}
	return &rds.DescribeDBEngineVersionsOutput{DBEngineVersions: []rdstypes.DBEngineVersion{{
		Engine: in.Engine, EngineVersion: in.EngineVersion, SupportsGlobalDatabases: aws.Bool(g)}}}, nil
}

func (o *osaka) DescribeOrderableDBInstanceOptions(_ context.Context, in *rds.DescribeOrderableDBInstanceOptionsInput, _ ...func(*rds.Options)) (*rds.DescribeOrderableDBInstanceOptionsOutput, error) {
	o.calls.Add(1)
	if !slices.Contains(o.classes, aws.ToString(in.DBInstanceClass)) {
		return &rds.DescribeOrderableDBInstanceOptionsOutput{}, nil
	}
	return &rds.DescribeOrderableDBInstanceOptionsOutput{OrderableDBInstanceOptions: []rdstypes.OrderableDBInstanceOption{{
		DBInstanceClass: in.DBInstanceClass, Engine: in.Engine}}}, nil
}

// env is one test's existing Tokyo and the clients that reach it.
type env struct {
	clients  adopt.Clients
	existing adopt.Existing
	target   adopt.Target
	world    *switchovertest.World
	osaka    *osaka
	rds      *rds.Client
}

var seq atomic.Int32

// target is what the project's config gives adopt; names as stacks/names.go derives them.
func target(run string) adopt.Target {
	return adopt.Target{
		HomeRegion: config.Tokyo, PeerRegion: config.Osaka,
		HomeCidr: "10.10.0.0/16", PeerCidr: "10.20.0.0/16",
		DBInstanceClass: "db.r6g.large", CacheNodeType: "cache.r7g.large",
		GlobalClusterID: "agm-dr" + run + "-global", CacheGlobalSuffix: "agm-dr" + run + "-sessions",
	}
}

// buildTokyo builds spec in the emulator and the fake, with names unique to this run (tests
// share one emulator), and returns the clients adopt uses.
func buildTokyo(t *testing.T, spec tokyoSpec) *env {
	t.Helper()
	switchovertest.UseEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run := fmt.Sprintf("%d%d", os.Getpid()%100000, seq.Add(1))
	c, err := adopt.NewClients(ctx, config.Tokyo, config.Osaka)
	require.NoError(t, err)
	e := &env{world: switchovertest.NewWorld(), osaka: newOsaka(), target: target(run)}
	e.rds = c.RDS.(*rds.Client)
	c.ElastiCache, c.PeerRDS = e.world.ElastiCache(config.Tokyo), e.osaka
	e.clients = c

	vpc, err := c.EC2.(*ec2.Client).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(spec.cidr)})
	require.NoError(t, err, "emulator: create vpc")
	e.existing.VpcID = aws.ToString(vpc.Vpc.VpcId)

	e.existing.ClusterID = "shareholders-prod-" + run
	_, err = e.rds.CreateDBCluster(ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(e.existing.ClusterID), Engine: aws.String(adopt.Engine),
		EngineVersion: aws.String(spec.version), StorageEncrypted: aws.Bool(spec.encrypted),
		MasterUsername: aws.String("agmadmin"), MasterUserPassword: aws.String("test-only-password"),
	})
	require.NoError(t, err, "emulator: create cluster")
	for i := 1; i <= 2; i++ {
		_, err = e.rds.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
			DBInstanceIdentifier: aws.String(fmt.Sprintf("%s-%d", e.existing.ClusterID, i)),
			DBClusterIdentifier:  aws.String(e.existing.ClusterID), Engine: aws.String(adopt.Engine),
			DBInstanceClass: aws.String(spec.class),
		})
		require.NoError(t, err, "emulator: create instance")
	}
	if spec.clusterGlobal != "" {
		cl, err := e.rds.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(e.existing.ClusterID)})
		require.NoError(t, err)
		_, err = e.rds.CreateGlobalCluster(ctx, &rds.CreateGlobalClusterInput{
			GlobalClusterIdentifier: aws.String(spec.clusterGlobal + run), SourceDBClusterIdentifier: cl.DBClusters[0].DBClusterArn})
		require.NoError(t, err, "emulator: the other team's global cluster")
	}

	e.existing.ReplicationGroup = "agm-sessions-prod-" + run
	e.world.AddReplicationGroup(switchovertest.ReplicationGroup{
		ID: e.existing.ReplicationGroup, Region: config.Tokyo, Engine: spec.cacheEngine, EngineVersion: spec.cacheVer,
		NodeType: spec.node, TransitEncryption: spec.transit, AtRestEncryption: spec.atRest, Global: spec.rgGlobal,
	})

	e.existing.ECSCluster, e.existing.ECSService = "agm-prod-"+run, "agm-web"
	_, err = c.ECS.(*ecs.Client).CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(e.existing.ECSCluster)})
	require.NoError(t, err, "emulator: create ecs cluster")
	_, err = c.ECS.(*ecs.Client).CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String(e.existing.ECSCluster),
		ServiceName: aws.String(e.existing.ECSService), DesiredCount: aws.Int32(6), TaskDefinition: aws.String("agm-web:42")})
	require.NoError(t, err, "emulator: create ecs service")

	for _, q := range []string{"vote-intake-" + run, "vote-intake-dlq-" + run} {
		_, err = c.SQS.(*sqs.Client).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q)})
		require.NoError(t, err, "emulator: create queue")
		e.existing.Queues = append(e.existing.Queues, q)
	}
	bucket := "agm-broadcast-sites-prod-" + run
	_, err = c.S3.(*s3.Client).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(config.Tokyo)}})
	require.NoError(t, err, "emulator: create bucket")
	e.existing.Buckets = []string{bucket}
	return e
}

// globalExists reports whether the program's global cluster exists in the emulator.
func (e *env) globalExists(t *testing.T) bool {
	t.Helper()
	_, err := e.rds.DescribeGlobalClusters(context.Background(), &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(e.target.GlobalClusterID)})
	return err == nil
}

// versioning reads a bucket's versioning status from the emulator.
func (e *env) versioning(t *testing.T, bucket string) s3types.BucketVersioningStatus {
	t.Helper()
	out, err := e.clients.S3.GetBucketVersioning(context.Background(), &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	require.NoError(t, err)
	return out.Status
}
