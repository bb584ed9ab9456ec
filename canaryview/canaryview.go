// Package canaryview reads, after a drill, what the in-AWS probes saw during it: each region's
// CloudWatch Synthetics canary (components/canary) publishes SuccessPercent per run in the
// CloudWatchSynthetics namespace; the drill report shows it per minute beside the local probe's
// view, as a second view from inside AWS. It is best effort: a region that cannot be read, or
// metrics not yet published (they arrive within minutes of a run), become a note in the report,
// never an error of the drill.
package canaryview

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/agm-dr/agm-dr/report"
)

// Metrics is the part of the CloudWatch API the view needs (a *cloudwatch.Client, or a fake).
type Metrics interface {
	GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
}

// Read returns the view of one region's canary between from and to (widened to whole minutes).
func Read(ctx context.Context, m Metrics, region, canary string, from, to time.Time) report.CanaryView {
	v := report.CanaryView{Region: region, Canary: canary}
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(from.Truncate(time.Minute)),
		EndTime:   aws.Time(to.Truncate(time.Minute).Add(time.Minute)),
		MetricDataQueries: []cwtypes.MetricDataQuery{{
			Id: aws.String("success"),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{Namespace: aws.String("CloudWatchSynthetics"), MetricName: aws.String("SuccessPercent"),
					Dimensions: []cwtypes.Dimension{{Name: aws.String("CanaryName"), Value: aws.String(canary)}}},
				Period: aws.Int32(60),
				Stat:   aws.String("Average"),
			},
		}},
	}
	for {
		out, err := m.GetMetricData(ctx, in)
		if err != nil {
			v.Note = fmt.Sprintf("could not read the canary's runs in %s: %v", region, err)
			return v
		}
		for _, r := range out.MetricDataResults {
			for i := range r.Timestamps {
				if i < len(r.Values) {
					v.Minutes = append(v.Minutes, report.CanaryMinute{At: r.Timestamps[i], SuccessPercent: r.Values[i]})
				}
			}
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	sort.Slice(v.Minutes, func(i, j int) bool { return v.Minutes[i].At.Before(v.Minutes[j].At) })
	if len(v.Minutes) == 0 {
		v.Note = "no canary run published for the drill window yet (metrics arrive within minutes of a run)"
	}
	return v
}
