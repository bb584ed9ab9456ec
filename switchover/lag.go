package switchover

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// MetricStatistics is the CloudWatch calls the lag check uses.
type MetricStatistics interface {
	GetMetricStatistics(context.Context, *cloudwatch.GetMetricStatisticsInput, ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricStatisticsOutput, error)
	ListMetrics(context.Context, *cloudwatch.ListMetricsInput, ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error)
}

// LagMetric is the Aurora metric (milliseconds) a secondary cluster
// publishes in its own region, so reading it needs no other region.
//
// It is published with more dimensions than DBClusterIdentifier: the set
// {DBClusterIdentifier, SourceRegion} (listed for global databases in the
// Neptune/RDS CloudWatch dimensions table, docs.aws.amazon.com/neptune/latest/
// userguide/cw-dimensions.html; aws-samples/amazon-aurora-labs-for-mysql
// docs/global/cw charts it by SourceRegion). GetMetricStatistics matches only
// the exact set that was published (API_GetMetricStatistics: "If the metric
// contains multiple dimensions, you must include a value for each"), so a
// query by DBClusterIdentifier alone finds no datapoints. ReplicationLag
// therefore lists the cluster's metrics first (ListMetrics returns a metric
// that has the filtered dimension "and also other dimensions") and reads each
// published set.
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
	sets, err := c.dimensionSets(ctx, clusterID)
	if err != nil {
		return 0, false, err
	}
	var latest *cwtypes.Datapoint
	for _, dims := range sets {
		out, err := c.API.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
			Namespace:  aws.String("AWS/RDS"),
			MetricName: aws.String(LagMetric),
			Dimensions: dims,
			StartTime:  aws.Time(end.Add(-window)),
			EndTime:    aws.Time(end),
			Period:     aws.Int32(60),
			Statistics: []cwtypes.Statistic{cwtypes.StatisticMaximum},
		})
		if err != nil {
			return 0, false, fmt.Errorf("%s of %s: %w", LagMetric, clusterID, err)
		}
		for i := range out.Datapoints {
			d := &out.Datapoints[i]
			if d.Maximum != nil && (latest == nil || aws.ToTime(d.Timestamp).After(aws.ToTime(latest.Timestamp))) {
				latest = d
			}
		}
	}
	if latest == nil {
		return 0, false, nil
	}
	return time.Duration(*latest.Maximum * float64(time.Millisecond)), true, nil
}

// dimensionSets lists the dimension sets LagMetric is published with for the
// cluster (e.g. DBClusterIdentifier with SourceRegion).
func (c CloudWatchLag) dimensionSets(ctx context.Context, clusterID string) ([][]cwtypes.Dimension, error) {
	in := &cloudwatch.ListMetricsInput{
		Namespace:  aws.String("AWS/RDS"),
		MetricName: aws.String(LagMetric),
		Dimensions: []cwtypes.DimensionFilter{{Name: aws.String("DBClusterIdentifier"), Value: aws.String(clusterID)}},
	}
	var sets [][]cwtypes.Dimension
	for {
		out, err := c.API.ListMetrics(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("%s of %s: listing its dimensions: %w", LagMetric, clusterID, err)
		}
		for _, m := range out.Metrics {
			sets = append(sets, m.Dimensions)
		}
		if aws.ToString(out.NextToken) == "" {
			return sets, nil
		}
		in.NextToken = out.NextToken
	}
}
