package switchover

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// Clients are the AWS API clients of one region.
type Clients struct {
	RDS         RDS
	Lag         Lag
	ElastiCache ElastiCache
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
	}, nil
}
