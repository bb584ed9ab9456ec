// Package adopttest builds an "existing Tokyo" for the adoption tests.
package adopttest

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
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
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

// The "existing Tokyo" is built outside the program, as a team would have built
// it by hand: the VPC, Aurora cluster and instances, ECS service, SQS queues and S3 bucket in
// the ministack emulator (AGMDR_MINISTACK_URL), the ElastiCache replication group in the
// in-process fake of switchovertest, because ministack does not serve the global datastore
// calls. The peer region's catalogue (which engine versions and instance classes Osaka
// offers) is a small fake too: ministack answers the same catalogue for every region and lists
// no Graviton class, so it cannot tell Osaka from Tokyo.

// Spec is what the team built; plant a blocker by changing one field of GoodTokyo.
type Spec struct {
	Cidr                    string
	Encrypted               bool
	Version, Class          string
	CacheEngine, CacheVer   string
	Node                    string
	Transit, AtRest         bool
	ClusterGlobal, RGGlobal string // already a member of this global cluster / datastore
	LaunchType              ecstypes.LaunchType
	Subnet                  string // an existing subnet's CIDR in the VPC ("" for none)
	DefaultGroupInUse       bool   // a network interface in that subnet uses the VPC's default security group
}

var GoodTokyo = Spec{
	Cidr: "10.10.0.0/16", Encrypted: true, Version: "16.9", Class: "db.r6g.large",
	CacheEngine: "valkey", CacheVer: "7.2.6", Node: "cache.r7g.large", Transit: true, AtRest: true,
	LaunchType: ecstypes.LaunchTypeFargate, Subnet: "10.10.240.0/24", // outside the program's nine subnets
}

// Osaka is the peer region's catalogue: the versions it offers (value: supports global
// databases) and the instance classes.
type Osaka struct {
	Versions map[string]bool
	Classes  []string
	Calls    atomic.Int32
}

func NewOsaka() *Osaka {
	return &Osaka{Versions: map[string]bool{"16.9": true, "15.12": true}, Classes: []string{"db.r6g.large", "db.r6g.xlarge"}}
}

func (o *Osaka) DescribeDBEngineVersions(_ context.Context, in *rds.DescribeDBEngineVersionsInput, _ ...func(*rds.Options)) (*rds.DescribeDBEngineVersionsOutput, error) {
	o.Calls.Add(1)
	g, ok := o.Versions[aws.ToString(in.EngineVersion)]
	if !ok {
		return &rds.DescribeDBEngineVersionsOutput{}, nil
	}
	return &rds.DescribeDBEngineVersionsOutput{DBEngineVersions: []rdstypes.DBEngineVersion{{
		Engine: in.Engine, EngineVersion: in.EngineVersion, SupportsGlobalDatabases: aws.Bool(g)}}}, nil
}

func (o *Osaka) DescribeOrderableDBInstanceOptions(_ context.Context, in *rds.DescribeOrderableDBInstanceOptionsInput, _ ...func(*rds.Options)) (*rds.DescribeOrderableDBInstanceOptionsOutput, error) {
	o.Calls.Add(1)
	if !slices.Contains(o.Classes, aws.ToString(in.DBInstanceClass)) {
		return &rds.DescribeOrderableDBInstanceOptionsOutput{}, nil
	}
	return &rds.DescribeOrderableDBInstanceOptionsOutput{OrderableDBInstanceOptions: []rdstypes.OrderableDBInstanceOption{{
		DBInstanceClass: in.DBInstanceClass, Engine: in.Engine}}}, nil
}

// Env is one test's existing Tokyo and the clients that reach it.
type Env struct {
	Clients  adopt.Clients
	Existing adopt.Existing
	Target   adopt.Target
	World    *switchovertest.World
	Osaka    *Osaka
	RDS      *rds.Client
}

var seq atomic.Int32

// NewTarget is what the project's config gives adopt; names as stacks/names.go derives them.
func NewTarget(run string) adopt.Target {
	return adopt.Target{
		HomeRegion: config.Tokyo, PeerRegion: config.Osaka,
		HomeCidr: "10.10.0.0/16", PeerCidr: "10.20.0.0/16",
		DBInstanceClass: "db.r6g.large", CacheNodeType: "cache.r7g.large",
		GlobalClusterID: "agm-dr" + run + "-global", CacheGlobalSuffix: "agm-dr" + run + "-sessions",
	}
}

// BuildTokyo builds spec in the emulator and the fake, with names unique to this run (tests
// share one emulator), and returns the clients adopt uses.
func BuildTokyo(t testing.TB, spec Spec) *Env {
	t.Helper()
	switchovertest.UseEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// pid, milliseconds and a sequence keep names apart between test binaries sharing one emulator.
	run := fmt.Sprintf("%d%03d-%d", os.Getpid()%100000, time.Now().UnixMilli()%1000, seq.Add(1))
	c, err := adopt.NewClients(ctx, config.Tokyo, config.Osaka)
	require.NoError(t, err)
	e := &Env{World: switchovertest.NewWorld(), Osaka: NewOsaka(), Target: NewTarget(run)}
	e.RDS = c.RDS.(*rds.Client)
	c.ElastiCache, c.PeerRDS = e.World.ElastiCache(config.Tokyo), e.Osaka
	e.Clients = c

	vpc, err := c.EC2.(*ec2.Client).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(spec.Cidr)})
	require.NoError(t, err, "emulator: create vpc")
	e.Existing.VpcID = aws.ToString(vpc.Vpc.VpcId)
	if spec.Subnet != "" {
		sn, err := c.EC2.(*ec2.Client).CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(spec.Subnet)})
		require.NoError(t, err, "emulator: create subnet")
		if spec.DefaultGroupInUse {
			sgs, err := c.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
				{Name: aws.String("vpc-id"), Values: []string{e.Existing.VpcID}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
			require.NoError(t, err)
			require.NotEmpty(t, sgs.SecurityGroups, "emulator: the VPC's default security group")
			_, err = c.EC2.(*ec2.Client).CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sn.Subnet.SubnetId,
				Groups: []string{aws.ToString(sgs.SecurityGroups[0].GroupId)}, Description: aws.String("bastion")})
			require.NoError(t, err, "emulator: create network interface")
		}
	}

	e.Existing.ClusterID = "shareholders-prod-" + run
	_, err = e.RDS.CreateDBCluster(ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(e.Existing.ClusterID), Engine: aws.String(adopt.Engine),
		EngineVersion: aws.String(spec.Version), StorageEncrypted: aws.Bool(spec.Encrypted),
		MasterUsername: aws.String("agmadmin"), MasterUserPassword: aws.String("test-only-password"),
	})
	require.NoError(t, switchovertest.Resent(err, "DBClusterAlreadyExistsFault"), "emulator: create cluster")
	for i := 1; i <= 2; i++ {
		_, err = e.RDS.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
			DBInstanceIdentifier: aws.String(fmt.Sprintf("%s-%d", e.Existing.ClusterID, i)),
			DBClusterIdentifier:  aws.String(e.Existing.ClusterID), Engine: aws.String(adopt.Engine),
			DBInstanceClass: aws.String(spec.Class),
		})
		require.NoError(t, switchovertest.Resent(err, "DBInstanceAlreadyExists"), "emulator: create instance")
	}
	if spec.ClusterGlobal != "" {
		cl, err := e.RDS.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(e.Existing.ClusterID)})
		require.NoError(t, err)
		_, err = e.RDS.CreateGlobalCluster(ctx, &rds.CreateGlobalClusterInput{
			GlobalClusterIdentifier: aws.String(spec.ClusterGlobal + run), SourceDBClusterIdentifier: cl.DBClusters[0].DBClusterArn})
		require.NoError(t, err, "emulator: the other team's global cluster")
	}

	e.Existing.MasterPasswordSecret = PasswordSecret(ctx, t, run)

	e.Existing.ReplicationGroup = "agm-sessions-prod-" + run
	e.World.AddReplicationGroup(switchovertest.ReplicationGroup{
		ID: e.Existing.ReplicationGroup, Region: config.Tokyo, Engine: spec.CacheEngine, EngineVersion: spec.CacheVer,
		NodeType: spec.Node, TransitEncryption: spec.Transit, AtRestEncryption: spec.AtRest, Global: spec.RGGlobal,
	})

	e.Existing.ECSCluster, e.Existing.ECSService = "agm-prod-"+run, "agm-web"
	_, err = c.ECS.(*ecs.Client).CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(e.Existing.ECSCluster)})
	require.NoError(t, err, "emulator: create ecs cluster")
	_, err = c.ECS.(*ecs.Client).CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String(e.Existing.ECSCluster),
		ServiceName: aws.String(e.Existing.ECSService), DesiredCount: aws.Int32(6), TaskDefinition: aws.String("agm-web:42"),
		LaunchType: spec.LaunchType})
	require.NoError(t, err, "emulator: create ecs service")

	e.Existing.Queues, e.Existing.Buckets = queuesAndBucket(ctx, t, c, run)
	return e
}

// queuesAndBucket creates the vote queue, its dead-letter queue and the site bucket in the emulator.
func queuesAndBucket(ctx context.Context, t testing.TB, c adopt.Clients, run string) (queues, buckets []string) {
	t.Helper()
	for _, q := range []string{"vote-intake-" + run, "vote-intake-dlq-" + run} {
		_, err := c.SQS.(*sqs.Client).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q)})
		require.NoError(t, err, "emulator: create queue")
		queues = append(queues, q)
	}
	bucket := "agm-broadcast-sites-prod-" + run
	_, err := c.S3.(*s3.Client).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(config.Tokyo)}})
	require.NoError(t, err, "emulator: create bucket")
	return queues, []string{bucket}
}

// GlobalExists reports whether the program's global cluster exists in the emulator.
func (e *Env) GlobalExists(t testing.TB) bool {
	t.Helper()
	_, err := e.RDS.DescribeGlobalClusters(context.Background(), &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(e.Target.GlobalClusterID)})
	return err == nil
}

// Versioning reads a bucket's versioning status from the emulator.
func (e *Env) Versioning(t testing.TB, bucket string) s3types.BucketVersioningStatus {
	t.Helper()
	out, err := e.Clients.S3.GetBucketVersioning(context.Background(), &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	require.NoError(t, err)
	return out.Status
}
