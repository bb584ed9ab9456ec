package switchover

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// Clients are the AWS API clients of one region.
type Clients struct {
	RDS         RDS
	Lag         Lag
	ElastiCache ElastiCache
	Route53     Route53 // control plane in us-east-1 whatever the stack's region (dataplane.go)
	ECS         ECS
	AutoScaling AutoScaling
	ELB         ELB
}

// Route53 is the part of the Route 53 API the traffic engine uses;
// *route53.Client satisfies it. All three calls are Route 53's control plane,
// which runs in us-east-1 whichever region failed: the unplanned failover must
// not need them (dataplane.go).
type Route53 interface {
	ListResourceRecordSets(context.Context, *route53.ListResourceRecordSetsInput, ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error)
	ChangeResourceRecordSets(context.Context, *route53.ChangeResourceRecordSetsInput, ...func(*route53.Options)) (*route53.ChangeResourceRecordSetsOutput, error)
	GetChange(context.Context, *route53.GetChangeInput, ...func(*route53.Options)) (*route53.GetChangeOutput, error)
}

// ECS is the part of the ECS API the capacity gate uses; *ecs.Client
// satisfies it.
type ECS interface {
	DescribeServices(context.Context, *ecs.DescribeServicesInput, ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	UpdateService(context.Context, *ecs.UpdateServiceInput, ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error)
}

// AutoScaling is the part of the Application Auto Scaling API the capacity
// gate uses; *applicationautoscaling.Client satisfies it.
type AutoScaling interface {
	DescribeScalableTargets(context.Context, *applicationautoscaling.DescribeScalableTargetsInput, ...func(*applicationautoscaling.Options)) (*applicationautoscaling.DescribeScalableTargetsOutput, error)
	RegisterScalableTarget(context.Context, *applicationautoscaling.RegisterScalableTargetInput, ...func(*applicationautoscaling.Options)) (*applicationautoscaling.RegisterScalableTargetOutput, error)
	PutScheduledAction(context.Context, *applicationautoscaling.PutScheduledActionInput, ...func(*applicationautoscaling.Options)) (*applicationautoscaling.PutScheduledActionOutput, error)
}

// ELB is the part of the Elastic Load Balancing v2 API the capacity gate
// uses to count the targets the load balancer sends requests to;
// *elasticloadbalancingv2.Client satisfies it.
type ELB interface {
	DescribeTargetHealth(context.Context, *elasticloadbalancingv2.DescribeTargetHealthInput, ...func(*elasticloadbalancingv2.Options)) (*elasticloadbalancingv2.DescribeTargetHealthOutput, error)
}

// NewClients loads the standard AWS SDK configuration (credentials, and
// AWS_ENDPOINT_URL, which tests point at an emulator) for exactly one region.
// The engine never builds a client for any other region.
func NewClients(ctx context.Context, region string) (Clients, error) {
	if region == "" {
		return Clients{}, fmt.Errorf("aws clients: region is empty")
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return Clients{}, fmt.Errorf("aws clients for %s: %w", region, err)
	}
	return Clients{
		RDS:         rds.NewFromConfig(cfg),
		Lag:         CloudWatchLag{API: cloudwatch.NewFromConfig(cfg)},
		ElastiCache: elasticache.NewFromConfig(cfg),
		Route53:     route53.NewFromConfig(cfg),
		ECS:         ecs.NewFromConfig(cfg),
		AutoScaling: applicationautoscaling.NewFromConfig(cfg),
		ELB:         elasticloadbalancingv2.NewFromConfig(cfg),
	}, nil
}
