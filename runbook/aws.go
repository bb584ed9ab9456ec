package runbook

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/agm-dr/agm-dr/switchover"
)

// Region reads the live state of one region's services. The runbook asks for one per region it
// needs, and in unplanned mode never asks for the old primary region's.
type Region interface {
	// GlobalWriter is the region of the Aurora global cluster's writer.
	GlobalWriter(ctx context.Context, globalClusterID string) (string, error)
	// CachePrimary is the region of the ElastiCache global datastore's primary.
	CachePrimary(ctx context.Context, globalGroupID string) (string, error)
	// ReplicationLag is the latest Aurora global replication lag of a secondary cluster in
	// this region; ok is false when there is no recent datapoint (e.g. the cluster is the writer).
	ReplicationLag(ctx context.Context, clusterID string) (lag time.Duration, ok bool, err error)
	// Service is an ECS service's task counts.
	Service(ctx context.Context, cluster, service string) (Service, error)
	// Queue is an SQS queue's approximate depth.
	Queue(ctx context.Context, url string) (Queue, error)
}

// RegionFactory returns the reader of one region.
type RegionFactory func(ctx context.Context, region string) (Region, error)

// Service is an ECS service's state.
type Service struct {
	Status                    string
	Running, Desired, Pending int
}

// Queue is an SQS queue's approximate depth.
type Queue struct {
	Visible, InFlight int
}

// Depth is every message still in the queue.
func (q Queue) Depth() int { return q.Visible + q.InFlight }

// NewAWS builds the reader of one region from the standard AWS configuration (credentials,
// AWS_ENDPOINT_URL). It creates clients for that region only.
func NewAWS(ctx context.Context, region string) (Region, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("aws config for %s: %w", region, err)
	}
	return awsRegion{
		region: region,
		rds:    rds.NewFromConfig(cfg),
		cache:  elasticache.NewFromConfig(cfg),
		lag:    switchover.CloudWatchLag{API: cloudwatch.NewFromConfig(cfg)},
		ecs:    ecs.NewFromConfig(cfg),
		sqs:    sqs.NewFromConfig(cfg),
	}, nil
}

type awsRegion struct {
	region string
	rds    *rds.Client
	cache  *elasticache.Client
	lag    switchover.CloudWatchLag
	ecs    *ecs.Client
	sqs    *sqs.Client
}

func (a awsRegion) GlobalWriter(ctx context.Context, id string) (string, error) {
	out, err := a.rds.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(id)})
	if err != nil {
		return "", fmt.Errorf("rds:DescribeGlobalClusters %s in %s: %w", id, a.region, err)
	}
	for _, g := range out.GlobalClusters {
		for _, m := range g.GlobalClusterMembers {
			if aws.ToBool(m.IsWriter) {
				return arnRegion(aws.ToString(m.DBClusterArn)), nil
			}
		}
	}
	return "", fmt.Errorf("global cluster %s has no writer member (seen from %s)", id, a.region)
}

func (a awsRegion) CachePrimary(ctx context.Context, id string) (string, error) {
	out, err := a.cache.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(id), ShowMemberInfo: aws.Bool(true),
	})
	if err != nil {
		return "", fmt.Errorf("elasticache:DescribeGlobalReplicationGroups %s in %s: %w", id, a.region, err)
	}
	for _, g := range out.GlobalReplicationGroups {
		for _, m := range g.Members {
			if strings.EqualFold(aws.ToString(m.Role), "primary") {
				return aws.ToString(m.ReplicationGroupRegion), nil
			}
		}
	}
	return "", fmt.Errorf("global datastore %s has no primary member (seen from %s)", id, a.region)
}

func (a awsRegion) ReplicationLag(ctx context.Context, clusterID string) (time.Duration, bool, error) {
	return a.lag.ReplicationLag(ctx, clusterID)
}

func (a awsRegion) Service(ctx context.Context, cluster, service string) (Service, error) {
	out, err := a.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}})
	if err != nil {
		return Service{}, fmt.Errorf("ecs:DescribeServices %s/%s in %s: %w", cluster, service, a.region, err)
	}
	if len(out.Services) == 0 {
		return Service{}, fmt.Errorf("ecs service %s/%s not found in %s", cluster, service, a.region)
	}
	s := out.Services[0]
	return Service{Status: aws.ToString(s.Status), Running: int(s.RunningCount), Desired: int(s.DesiredCount), Pending: int(s.PendingCount)}, nil
}

func (a awsRegion) Queue(ctx context.Context, url string) (Queue, error) {
	out, err := a.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{
			sqstypes.QueueAttributeNameApproximateNumberOfMessages,
			sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
		},
	})
	if err != nil {
		return Queue{}, fmt.Errorf("sqs:GetQueueAttributes %s in %s: %w", url, a.region, err)
	}
	atoi := func(k sqstypes.QueueAttributeName) int {
		n, _ := strconv.Atoi(out.Attributes[string(k)])
		return n
	}
	return Queue{
		Visible:  atoi(sqstypes.QueueAttributeNameApproximateNumberOfMessages),
		InFlight: atoi(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible),
	}, nil
}

// arnRegion takes the region out of an ARN ("arn:aws:rds:ap-northeast-1:…").
func arnRegion(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 3 {
		return parts[3]
	}
	return arn
}

// Credentials checks that the standard AWS configuration yields credentials for region, without
// calling any service (a preflight before anything changes).
func Credentials(ctx context.Context, region string) error {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return fmt.Errorf("aws config for %s: %w", region, err)
	}
	if cfg.Credentials == nil {
		return fmt.Errorf("no AWS credentials found")
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return fmt.Errorf("no usable AWS credentials: %s", firstLine(err))
	}
	return nil
}
