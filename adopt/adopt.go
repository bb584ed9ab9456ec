// Package adopt takes a Tokyo that already serves shareholders, built by hand or by other
// tooling, to the two-stack design without downtime. Check reads the existing resources and
// lists every blocker before anything changes; Convert turns the existing Aurora cluster and
// ElastiCache replication group into the primaries of a new global cluster and global
// datastore and turns on bucket versioning, each step idempotent so an interrupted run is
// simply run again. docs/adopt.md is the operator's guide.
package adopt

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Existing names the running service's resources in the home region, as its team named them.
type Existing struct {
	VpcID            string
	ClusterID        string // Aurora DB cluster identifier
	ReplicationGroup string // ElastiCache replication group id
	ECSCluster       string
	ECSService       string
	Queues           []string // SQS queue names
	Buckets          []string // S3 bucket names
	// MasterPasswordSecret holds the cluster's live master password (name or ARN): the
	// program fills the app's DB_PASSWORD from it. Needed to adopt; checked when given.
	MasterPasswordSecret string
}

// Target is what the two-stack design expects, taken from the project's config.
type Target struct {
	HomeRegion, PeerRegion string
	HomeCidr, PeerCidr     string // agm-dr:vpcCidrs of both regions
	DBInstanceClass        string // agm-dr:classes of the active profile
	CacheNodeType          string
	GlobalClusterID        string // the program's global cluster identifier
	CacheGlobalSuffix      string // the program's global datastore suffix (AWS adds a prefix)
}

// RDS is the part of the RDS API adopt uses in the home region; *rds.Client satisfies it.
type RDS interface {
	DescribeDBClusters(context.Context, *rds.DescribeDBClustersInput, ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)
	DescribeDBInstances(context.Context, *rds.DescribeDBInstancesInput, ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
	DescribeGlobalClusters(context.Context, *rds.DescribeGlobalClustersInput, ...func(*rds.Options)) (*rds.DescribeGlobalClustersOutput, error)
	CreateGlobalCluster(context.Context, *rds.CreateGlobalClusterInput, ...func(*rds.Options)) (*rds.CreateGlobalClusterOutput, error)
}

// Catalogue is what the peer region offers; the peer region's *rds.Client satisfies it. Only
// read calls: the peer region is asked, never changed, by Check.
type Catalogue interface {
	DescribeDBEngineVersions(context.Context, *rds.DescribeDBEngineVersionsInput, ...func(*rds.Options)) (*rds.DescribeDBEngineVersionsOutput, error)
	DescribeOrderableDBInstanceOptions(context.Context, *rds.DescribeOrderableDBInstanceOptionsInput, ...func(*rds.Options)) (*rds.DescribeOrderableDBInstanceOptionsOutput, error)
}

// ElastiCache is the part of the ElastiCache API adopt uses; *elasticache.Client satisfies it.
type ElastiCache interface {
	DescribeReplicationGroups(context.Context, *elasticache.DescribeReplicationGroupsInput, ...func(*elasticache.Options)) (*elasticache.DescribeReplicationGroupsOutput, error)
	DescribeCacheClusters(context.Context, *elasticache.DescribeCacheClustersInput, ...func(*elasticache.Options)) (*elasticache.DescribeCacheClustersOutput, error)
	CreateGlobalReplicationGroup(context.Context, *elasticache.CreateGlobalReplicationGroupInput, ...func(*elasticache.Options)) (*elasticache.CreateGlobalReplicationGroupOutput, error)
}

// EC2 reads the VPC; *ec2.Client satisfies it.
type EC2 interface {
	DescribeVpcs(context.Context, *ec2.DescribeVpcsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error)
	DescribeSecurityGroups(context.Context, *ec2.DescribeSecurityGroupsInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	DescribeNetworkInterfaces(context.Context, *ec2.DescribeNetworkInterfacesInput, ...func(*ec2.Options)) (*ec2.DescribeNetworkInterfacesOutput, error)
	DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeInternetGateways(context.Context, *ec2.DescribeInternetGatewaysInput, ...func(*ec2.Options)) (*ec2.DescribeInternetGatewaysOutput, error)
}

// S3 reads and turns on bucket versioning; *s3.Client satisfies it.
type S3 interface {
	GetBucketVersioning(context.Context, *s3.GetBucketVersioningInput, ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error)
	PutBucketVersioning(context.Context, *s3.PutBucketVersioningInput, ...func(*s3.Options)) (*s3.PutBucketVersioningOutput, error)
}

// SQS finds the queues; *sqs.Client satisfies it.
type SQS interface {
	GetQueueUrl(context.Context, *sqs.GetQueueUrlInput, ...func(*sqs.Options)) (*sqs.GetQueueUrlOutput, error)
}

// ECS finds the service; *ecs.Client satisfies it.
type ECS interface {
	DescribeServices(context.Context, *ecs.DescribeServicesInput, ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	DescribeTaskDefinition(context.Context, *ecs.DescribeTaskDefinitionInput, ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error)
}

// SecretsManager finds the secret of the cluster's password (never reads its value); *secretsmanager.Client satisfies it.
type SecretsManager interface {
	DescribeSecret(context.Context, *secretsmanager.DescribeSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
}

// Clients are the API clients adopt uses: the home region's, and the peer region's catalogue.
type Clients struct {
	RDS         RDS
	ElastiCache ElastiCache
	EC2         EC2
	S3          S3
	SQS         SQS
	ECS         ECS
	Secrets     SecretsManager
	PeerRDS     Catalogue
}

// NewClients loads the standard AWS SDK configuration (credentials, and AWS_ENDPOINT_URL,
// which tests point at an emulator) for the home region and the peer's catalogue.
func NewClients(ctx context.Context, home, peer string) (Clients, error) {
	h, err := config.LoadDefaultConfig(ctx, config.WithRegion(home))
	if err != nil {
		return Clients{}, fmt.Errorf("aws clients for %s: %w", home, err)
	}
	p, err := config.LoadDefaultConfig(ctx, config.WithRegion(peer))
	if err != nil {
		return Clients{}, fmt.Errorf("aws clients for %s: %w", peer, err)
	}
	return Clients{
		RDS:         rds.NewFromConfig(h),
		ElastiCache: elasticache.NewFromConfig(h),
		EC2:         ec2.NewFromConfig(h),
		S3:          s3.NewFromConfig(h, func(o *s3.Options) { o.UsePathStyle = os.Getenv("AWS_ENDPOINT_URL") != "" }),
		SQS:         sqs.NewFromConfig(h),
		ECS:         ecs.NewFromConfig(h),
		Secrets:     secretsmanager.NewFromConfig(h),
		PeerRDS:     rds.NewFromConfig(p),
	}, nil
}
