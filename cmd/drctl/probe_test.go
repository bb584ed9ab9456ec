package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/canaryview"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/simulate"
	"github.com/agm-dr/agm-dr/stacks"
)

const testPublic = "agm.example.test"

var testLB = map[string]string{config.Tokyo: "tokyo-alb.example.test", config.Osaka: "osaka-alb.example.test"}

// probedStacks are fakeStacks whose outputs name the public URL and the load balancers, and whose
// new primary's up moves the world's writer and DNS record, then lets the probe see the move.
type probedStacks struct {
	*fakeStacks
	t     *testing.T
	await bool // wait for the probe to see each move (off when the run has no probe)
	roles *roles
	world *localWorld
}

func (p *probedStacks) Outputs(ctx context.Context, stack string) (map[string]any, error) {
	o, err := p.fakeStacks.Outputs(ctx, stack)
	o[stacks.OutURL] = "https://" + testPublic
	o[stacks.OutLoadBalancerDNSName] = testLB[config.RegionFor(stack)]
	return o, err
}

func (p *probedStacks) Up(ctx context.Context, stack string, progress func(runbook.Line)) (runbook.UpResult, error) {
	res, err := p.fakeStacks.Up(ctx, stack, progress)
	if p.fakeStacks.writer != p.roles.get() {
		p.roles.set(p.fakeStacks.writer)
		if p.await {
			p.world.waitServed(p.t, p.roles.get(), 5)
		}
	}
	return res, err
}

func useProbedStacks(t *testing.T, dir string, pause time.Duration) (*probedStacks, *localWorld) {
	fake := &fakeStacks{dir: dir, writer: config.Tokyo}
	r := &roles{writer: config.Tokyo}
	w := newLocalWorld(t, testPublic, pause, r.get, func() string { return testLB[r.get()] })
	ps := &probedStacks{fakeStacks: fake, t: t, await: true, roles: r, world: w}
	withFakes(t, fake) // tools present, a backend outside both regions, credentials
	openStacks = func(string) runbook.Stacks { return ps }
	openForRun = func(context.Context, io.Writer, string) (runbook.Stacks, error) { return ps, nil }
	read := canaryMetrics
	canaryMetrics = func(_ context.Context, region string) (canaryview.Metrics, error) { return fakeCanaries{region}, nil }
	t.Cleanup(func() {
		openStacks = func(dir string) runbook.Stacks { return runbook.NewLocal(dir, nil) }
		canaryMetrics = read
	})
	return ps, w
}

// A drill there and back on fakes, watched by the probe in a local two-region world whose write
// pause is three times the calibrated one: the report sets observed beside predicted, shows the
// failed votes, and names the parameter to recalibrate; --calibrate then stores the measurement.
func TestDrillReportSetsObservedBesidePredicted(t *testing.T) {
	dir := copyProject(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, simulate.CalibrationFile),
		[]byte(`{"params":{"AuroraWritePause":{"seconds":1,"report":"an-earlier-drill.json"}}}`), 0o644))
	ps, w := useProbedStacks(t, dir, 3*time.Second)
	args := append([]string{"drill", "--to", "osaka", "--and-back", "--yes", "--skip-check", "--dir", dir}, w.args()...)
	out, err := drctl(t, args...)
	require.NoError(t, err, out)
	assert.Equal(t, []string{config.OsakaStack, config.TokyoStack, config.TokyoStack, config.OsakaStack}, ps.ups)
	assert.Len(t, w.db.Pauses, 2, "one write pause per leg")

	reports, err := filepath.Glob(filepath.Join(dir, "reports", "*.json"))
	require.NoError(t, err)
	require.Len(t, reports, 1)
	rep, err := report.Read(reports[0])
	require.NoError(t, err)
	require.NotNil(t, rep.Observed)
	require.Len(t, rep.Predicted, 2)
	require.Len(t, rep.Comparison, 2)
	for _, c := range rep.Comparison {
		assert.Positive(t, c.Observed.Failed["vote"], "leg %d: votes failed during the write pause", c.Leg)
		assert.GreaterOrEqual(t, c.Observed.WritesOKSeconds, 0.0, "leg %d: writes succeeded in %s", c.Leg, c.To)
		assert.GreaterOrEqual(t, c.Observed.VotePauseSeconds, 2.5, "leg %d: the pause was measured", c.Leg)
		require.NotEmpty(t, c.Flags, "leg %d: a pause 3x the calibrated one is flagged", c.Leg)
		assert.Contains(t, c.Flags[0], "Aurora write pause: ")
		assert.Contains(t, c.Flags[0], "1 s calibrated")
		assert.Positive(t, c.Predicted.Sent["vote"], "leg %d: the prediction counts votes", c.Leg)
	}
	md, err := os.ReadFile(reports[0][:len(reports[0])-len(".json")] + ".md")
	require.NoError(t, err)
	if testing.Verbose() {
		t.Logf("drill report:\n%s", md)
	}
	assert.Contains(t, string(md), "| | predicted | observed |")
	assert.Contains(t, string(md), "**Worse than predicted:** Aurora write pause")
	assert.Contains(t, string(md), "Aurora write pause 1 s (measured in an-earlier-drill.json)")
	assert.FileExists(t, reports[0][:len(reports[0])-len(".json")]+"-shareholders.svg")
	assert.Contains(t, out, "worse than predicted: Aurora write pause")
	require.Len(t, rep.Canaries, 2, "the canaries' view of the drill window, both regions")
	assert.Contains(t, string(md), "From inside AWS: the Synthetics canaries")
	assert.Contains(t, string(md), "| ap-northeast-1 | "+stacks.CanaryName("agm-dr", config.Tokyo)+" | 1 | 1 | 50 % |")

	out, err = drctl(t, "simulate", "--calibrate", reports[0], "--dir", dir)
	require.NoError(t, err, out)
	cal, err := simulate.LoadCalibration(dir)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, cal.Params["AuroraWritePause"].Seconds, 2.5, "the measured pause replaces the calibrated one")
	assert.Equal(t, filepath.Base(reports[0]), cal.Params["AuroraWritePause"].Report)
}

// A probe target that does not answer stops the drill before it changes anything; --no-probe
// runs it anyway.
func TestDrillStopsWhenAProbeTargetDoesNotAnswer(t *testing.T) {
	dir := copyProject(t)
	ps, w := useProbedStacks(t, dir, 0)
	before, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	w.regions[config.Osaka].SetDown(true)
	out, err := drctl(t, append([]string{"drill", "--to", "osaka", "--yes", "--skip-check", "--dir", dir}, w.args()...)...)
	require.Error(t, err)
	var ee *exitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, exitNotReady, ee.code, out)
	assert.Contains(t, err.Error(), "ap-northeast-3 load balancer")
	assert.Contains(t, err.Error(), "nothing was changed")
	assert.Empty(t, ps.ups, "no stack was updated")
	after, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "Pulumi.yaml untouched")

	ps.await = false
	out, err = drctl(t, append([]string{"drill", "--to", "osaka", "--yes", "--skip-check", "--no-probe", "--dir", dir}, w.args()...)...)
	require.NoError(t, err, out)
	assert.NotEmpty(t, ps.ups)
}

// fakeCanaries publish one minute of runs: all passed in osaka, half in tokyo.
type fakeCanaries struct{ region string }

func (f fakeCanaries) GetMetricData(_ context.Context, in *cloudwatch.GetMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	v := 100.0
	if f.region == config.Tokyo {
		v = 50
	}
	return &cloudwatch.GetMetricDataOutput{MetricDataResults: []cwtypes.MetricDataResult{{Timestamps: []time.Time{*in.StartTime}, Values: []float64{v}}}}, nil
}
