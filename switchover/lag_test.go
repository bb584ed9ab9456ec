package switchover_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
)

// fakeCloudWatch answers like CloudWatch: a metric is its exact dimension set; GetMetricStatistics
// returns datapoints only for a query naming all of them; ListMetrics returns every metric that
// has the filtered dimensions, whatever other dimensions it has (API_ListMetrics).
type fakeCloudWatch struct {
	published []cwtypes.Dimension
	value     float64
}

func key(ds []cwtypes.Dimension) map[string]string {
	m := map[string]string{}
	for _, d := range ds {
		m[aws.ToString(d.Name)] = aws.ToString(d.Value)
	}
	return m
}

func (f *fakeCloudWatch) GetMetricStatistics(_ context.Context, in *cloudwatch.GetMetricStatisticsInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricStatisticsOutput, error) {
	if aws.ToString(in.MetricName) != switchover.LagMetric || !assert.ObjectsAreEqual(key(in.Dimensions), key(f.published)) {
		return &cloudwatch.GetMetricStatisticsOutput{}, nil
	}
	return &cloudwatch.GetMetricStatisticsOutput{Datapoints: []cwtypes.Datapoint{
		{Maximum: aws.Float64(f.value), Timestamp: aws.Time(time.Now())},
	}}, nil
}

func (f *fakeCloudWatch) ListMetrics(_ context.Context, in *cloudwatch.ListMetricsInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error) {
	have := key(f.published)
	for _, d := range in.Dimensions {
		if have[aws.ToString(d.Name)] != aws.ToString(d.Value) {
			return &cloudwatch.ListMetricsOutput{}, nil
		}
	}
	return &cloudwatch.ListMetricsOutput{Metrics: []cwtypes.Metric{{
		Namespace: aws.String("AWS/RDS"), MetricName: aws.String(switchover.LagMetric), Dimensions: f.published,
	}}}, nil
}

// TestLagIsReadWithThePublishedDimensions: Aurora publishes the lag with DBClusterIdentifier and
// SourceRegion; a query by DBClusterIdentifier alone finds nothing and the planned preflight
// would run on "no datapoints".
func TestLagIsReadWithThePublishedDimensions(t *testing.T) {
	f := &fakeCloudWatch{value: 1500, published: []cwtypes.Dimension{
		{Name: aws.String("DBClusterIdentifier"), Value: aws.String("agm-dr-ap-northeast-3")},
		{Name: aws.String("SourceRegion"), Value: aws.String("ap-northeast-1")},
	}}
	lag, ok, err := switchover.CloudWatchLag{API: f}.ReplicationLag(context.Background(), "agm-dr-ap-northeast-3")
	require.NoError(t, err)
	require.True(t, ok, "the lag must be found under its published dimension set")
	assert.Equal(t, 1500*time.Millisecond, lag)

	_, ok, err = switchover.CloudWatchLag{API: f}.ReplicationLag(context.Background(), "other-cluster")
	require.NoError(t, err)
	assert.False(t, ok, "another cluster's lag is not this one's")
}
