package main

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// newEmulatedWorld is the local two-region world for a drill on the real stacks: its DNS server
// answers the public name with the alias target of the weighted record the switchover moves
// (read from the Route 53 emulator, the zone the stacks created), and its database pauses writes
// each time the emulator's Aurora global cluster reports a new writer.
func newEmulatedWorld(t *testing.T, e *enginetest.Env, public string, pause time.Duration) *localWorld {
	t.Helper()
	ctx := context.Background()
	emulator := switchovertest.EmulatorURL(t) // straight to the emulator: the run's AWS call log stays the engine's
	client := func(region string) aws.Config {
		c, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
		require.NoError(t, err)
		c.BaseEndpoint = aws.String(emulator)
		return c
	}
	db := rds.NewFromConfig(client(config.Osaka))
	r53 := route53.NewFromConfig(client("us-east-1"))
	zone := zoneID(t, e)

	var mu sync.Mutex
	var writer string
	var read time.Time
	writerNow := func() string { // polled by every vote: read at most every 100 ms
		mu.Lock()
		defer mu.Unlock()
		if time.Since(read) < 100*time.Millisecond {
			return writer
		}
		read = time.Now()
		out, err := db.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(e.Prefix + "-global")})
		if err != nil || len(out.GlobalClusters) == 0 {
			return writer
		}
		for _, m := range out.GlobalClusters[0].GlobalClusterMembers {
			for _, r := range []string{config.Tokyo, config.Osaka} {
				if aws.ToBool(m.IsWriter) && strings.Contains(aws.ToString(m.DBClusterArn), ":"+r+":") {
					writer = r
				}
			}
		}
		return writer
	}
	record := func() string {
		out, err := r53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zone)})
		if err != nil {
			return ""
		}
		for _, r := range out.ResourceRecordSets {
			if strings.TrimSuffix(aws.ToString(r.Name), ".") == public && aws.ToInt64(r.Weight) > 0 && r.AliasTarget != nil {
				return strings.TrimSuffix(aws.ToString(r.AliasTarget.DNSName), ".")
			}
		}
		return ""
	}
	require.Equal(t, config.Tokyo, writerNow())
	require.NotEmpty(t, record(), "the stacks wrote the weighted record of %s in zone %s", public, zone)
	return newLocalWorld(t, public, pause, writerNow, record)
}

// zoneID is the hosted zone the home stack created, from its state.
func zoneID(t *testing.T, e *enginetest.Env) string {
	t.Helper()
	out := e.Pulumi(t, "stack", "export", "-s", config.TokyoStack)
	var state struct {
		Deployment struct {
			Resources []struct {
				Type    string         `json:"type"`
				Outputs map[string]any `json:"outputs"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	require.NoError(t, json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &state))
	for _, r := range state.Deployment.Resources {
		if r.Type == "aws:route53/zone:Zone" {
			if id, _ := r.Outputs["zoneId"].(string); id != "" {
				return id
			}
		}
	}
	t.Fatal("no hosted zone in the tokyo stack")
	return ""
}

// checkObserved asserts the drill report sets what the probe saw beside the prediction, leg by
// leg: votes failed during each write pause, writes then succeeded in the new region, and the
// pause, three times the calibrated one, is flagged with the parameter to recalibrate.
func checkObserved(t *testing.T, rep report.Report, w *localWorld) {
	t.Helper()
	require.NotNil(t, rep.Observed, "the report holds the probe's observation")
	require.Len(t, rep.Predicted, 2, "a prediction per leg")
	require.Len(t, rep.Comparison, 2)
	assert.Len(t, w.db.Pauses, 2, "the writer moved twice")
	for _, c := range rep.Comparison {
		assert.Positive(t, c.Observed.Failed["vote"], "leg %d: votes failed during the write pause", c.Leg)
		assert.GreaterOrEqual(t, c.Observed.WritesOKSeconds, 0.0, "leg %d: votes succeeded in %s", c.Leg, c.To)
		assert.Positive(t, c.Predicted.Sent["vote"], "leg %d: predicted column", c.Leg)
		require.NotEmpty(t, c.Flags, "leg %d: a pause 3x the calibrated one is flagged", c.Leg)
		assert.Contains(t, c.Flags[0], "Aurora write pause: ")
		assert.Contains(t, c.Flags[0], "1 s calibrated")
	}
}
