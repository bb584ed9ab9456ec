package switchover

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// MetricStatistics is the CloudWatch call the lag check uses.
type MetricStatistics interface {
	GetMetricStatistics(context.Context, *cloudwatch.GetMetricStatisticsInput, ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricStatisticsOutput, error)
}

// LagMetric is the Aurora metric (milliseconds) a secondary cluster
// publishes in its own region, so reading it needs no other region.
const LagMetric = "AuroraGlobalDBReplicationLag"

// CloudWatchLag reads the latest LagMetric maximum of the last Window.
type CloudWatchLag struct {
	API    MetricStatistics
	Window time.Duration // zero means 5 minutes
	Clock  Clock         // nil is the wall clock
}

// ReplicationLag implements Lag.
func (c CloudWatchLag) ReplicationLag(ctx context.Context, clusterID string) (time.Duration, bool, error) {
	window := c.Window
	if window <= 0 {
		window = 5 * time.Minute
	}
	end := clockOr(c.Clock).Now()
	out, err := c.API.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace:  aws.String("AWS/RDS"),
		MetricName: aws.String(LagMetric),
		Dimensions: []cwtypes.Dimension{{Name: aws.String("DBClusterIdentifier"), Value: aws.String(clusterID)}},
		StartTime:  aws.Time(end.Add(-window)),
		EndTime:    aws.Time(end),
		Period:     aws.Int32(60),
		Statistics: []cwtypes.Statistic{cwtypes.StatisticMaximum},
	})
	if err != nil {
		return 0, false, fmt.Errorf("%s of %s: %w", LagMetric, clusterID, err)
	}
	var latest *cwtypes.Datapoint
	for i := range out.Datapoints {
		d := &out.Datapoints[i]
		if d.Maximum != nil && (latest == nil || aws.ToTime(d.Timestamp).After(aws.ToTime(latest.Timestamp))) {
			latest = d
		}
	}
	if latest == nil {
		return 0, false, nil
	}
	return time.Duration(*latest.Maximum * float64(time.Millisecond)), true, nil
}
