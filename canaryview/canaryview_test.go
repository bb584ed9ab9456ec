package canaryview

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pages answers GetMetricData from a list of pages, or with err; it records what was asked.
type pages struct {
	pages []cwtypes.MetricDataResult
	err   error
	asked []*cloudwatch.GetMetricDataInput
}

func (p *pages) GetMetricData(_ context.Context, in *cloudwatch.GetMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	cp := *in
	p.asked = append(p.asked, &cp)
	if p.err != nil {
		return nil, p.err
	}
	i := len(p.asked) - 1
	out := &cloudwatch.GetMetricDataOutput{MetricDataResults: []cwtypes.MetricDataResult{p.pages[i]}}
	if i+1 < len(p.pages) {
		out.NextToken = aws.String("next")
	}
	return out, nil
}

func TestReadsTheCanaryRunsOfTheWindowAcrossPages(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 10, 0, 30, 0, time.UTC)
	m := &pages{pages: []cwtypes.MetricDataResult{
		{Timestamps: []time.Time{t0.Add(2 * time.Minute)}, Values: []float64{50}},
		{Timestamps: []time.Time{t0.Add(time.Minute)}, Values: []float64{100}},
	}}
	v := Read(context.Background(), m, "ap-northeast-1", "agm-dr-probe-apne1", t0, t0.Add(3*time.Minute))
	require.Len(t, v.Minutes, 2)
	assert.Equal(t, 100.0, v.Minutes[0].SuccessPercent, "sorted by time")
	assert.Equal(t, 50.0, v.Minutes[1].SuccessPercent)
	assert.Empty(t, v.Note)
	q := m.asked[0].MetricDataQueries[0].MetricStat
	assert.Equal(t, "SuccessPercent", aws.ToString(q.Metric.MetricName))
	assert.Equal(t, "agm-dr-probe-apne1", aws.ToString(q.Metric.Dimensions[0].Value))
	assert.Equal(t, t0.Truncate(time.Minute), aws.ToTime(m.asked[0].StartTime), "whole minutes")
	assert.Equal(t, "next", aws.ToString(m.asked[1].NextToken))
}

func TestAnUnreadableOrEmptyCanaryIsANoteNotAnError(t *testing.T) {
	t0 := time.Now()
	v := Read(context.Background(), &pages{err: errors.New("AccessDenied")}, "ap-northeast-3", "c", t0, t0)
	assert.Contains(t, v.Note, "AccessDenied")
	v = Read(context.Background(), &pages{pages: []cwtypes.MetricDataResult{{}}}, "ap-northeast-3", "c", t0, t0)
	assert.Contains(t, v.Note, "no canary run published")
}
