package simulate

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

// The named scenarios (the presets of `drctl simulate --scenario`),
// run on the repo's real config, program, runbook and engine. Each asserts
// every bound that applies to it.
var scenarios = func() []Scenario {
	var out []Scenario
	for _, p := range Presets(config.Osaka) {
		out = append(out, p.Scenario)
	}
	return out
}()

func run(t testing.TB, sc Scenario) *Result {
	t.Helper()
	res, err := Run(context.Background(), "..", sc)
	require.NoError(t, err)
	return res
}

func TestScenarioBounds(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			res := run(t, sc)
			for _, b := range res.Bounds() {
				if !b.Applies {
					continue
				}
				t.Run(b.Name, func(t *testing.T) {
					assert.True(t, b.Held, "%s: %s", b.Name, b.Detail)
				})
			}
			t.Log(res.Summary())
		})
	}
}

func TestRunIsDeterministic(t *testing.T) {
	sc := scenarios[0]
	a, b := run(t, sc), run(t, sc)
	assert.Equal(t, a.Impact(), b.Impact())
	assert.Equal(t, a.Timeline, b.Timeline)
	sc.Seed = 7
	c := run(t, sc)
	assert.NotEqual(t, a.Impact().Requests, c.Impact().Requests, "the seed drives the traffic")
}

func TestUnplannedRPOIsTheLagAtTheOutage(t *testing.T) {
	for _, lag := range []time.Duration{500 * time.Millisecond, 2 * time.Second, 8 * time.Second} {
		sc := scenarios[2]
		sc.Lag, sc.OutageAt, sc.OperatorAt = lag, 2*time.Minute, 7*time.Minute
		res := run(t, sc)
		require.True(t, res.RPOKnown, "lag %s: the failover lost nothing measurable", lag)
		assert.InDelta(t, lag.Seconds(), res.RPO.Seconds(), 0.01, "lag %s", lag)
		assert.Positive(t, res.LostVotes, "lag %s: votes of the last %s are gone", lag, lag)
		assert.Equal(t, lag, res.LagAtOutage)
	}
}

// The world model's documented ranges: the planned bounds must hold over them.
func TestPlannedBoundsAcrossDocumentedRanges(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*Params)
	}{
		{"write pause 10s", func(p *Params) { p.AuroraWritePause = 10 * time.Second }},
		{"write pause 60s", func(p *Params) { p.AuroraWritePause, p.AuroraSwitchover = 60*time.Second, 120*time.Second }},
		{"switchover 5 min", func(p *Params) { p.AuroraSwitchover = 5 * time.Minute }},
		{"cache failover 30s", func(p *Params) { p.CacheFailover = 30 * time.Second }},
		{"cache failover 5 min", func(p *Params) { p.CacheFailover = 5 * time.Minute }},
		{"tasks start in 2 min", func(p *Params) { p.TaskStart = 2 * time.Minute }},
		{"health checks every 30s", func(p *Params) { p.HealthInterval = 30 * time.Second }},
		{"Route 53 sync 60s", func(p *Params) { p.RecordSync = 60 * time.Second }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Defaults()
			tc.set(&p)
			sc := scenarios[0]
			sc.Params = &p
			res := run(t, sc)
			for _, b := range res.Bounds() {
				if b.Applies {
					assert.True(t, b.Held, "%s: %s", b.Name, b.Detail)
				}
			}
		})
	}
}

// The unplanned bounds over the documented ranges of failover durations.
func TestUnplannedBoundsAcrossDocumentedRanges(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*Params)
	}{
		{"Aurora failover 30s", func(p *Params) { p.AuroraFailover = 30 * time.Second }},
		{"Aurora failover 5 min", func(p *Params) { p.AuroraFailover = 5 * time.Minute }},
		{"cache failover 5 min", func(p *Params) { p.CacheFailover = 5 * time.Minute }},
		{"states clear at once", func(p *Params) { p.FailoverStateSticks, p.CacheModifyingSticks = false, false }},
		{"health checks every 30s", func(p *Params) { p.HealthInterval = 30 * time.Second }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Defaults()
			tc.set(&p)
			sc := scenarios[2]
			sc.Params = &p
			res := run(t, sc)
			for _, b := range res.Bounds() {
				if !b.Applies {
					continue
				}
				assert.True(t, b.Held, "%s: %s", b.Name, b.Detail)
			}
		})
	}
}

func TestBadScenariosAreRefusedNamingTheFlag(t *testing.T) {
	for _, tc := range []struct {
		sc   Scenario
		flag string
	}{
		{Scenario{To: "us-east-1"}, "--to"},
		{Scenario{To: config.Tokyo}, "--to"},
		{Scenario{To: config.Osaka, Mode: "sideways"}, "--mode"},
		{Scenario{To: config.Osaka, OutageRegion: config.Osaka}, "--outage"},
		{Scenario{To: config.Osaka, OutageRegion: config.Tokyo, OutageAt: -time.Second}, "--outage"},
		{Scenario{To: config.Osaka, OutageRegion: config.Tokyo, OutageAt: time.Minute, RecoverAt: time.Second}, "--recover-at"},
		{Scenario{To: config.Osaka, RecoverAt: time.Minute}, "--recover-at"},
	} {
		_, err := Run(context.Background(), "..", tc.sc)
		require.Error(t, err, "%+v", tc.sc)
		assert.Contains(t, err.Error(), tc.flag)
	}
}

func BenchmarkSimulatedSecondsPerSecond(b *testing.B) {
	sc := scenarios[2]
	run(b, sc) // capture the program once, outside the timing
	b.ResetTimer()
	virtual := 0.0
	for i := 0; i < b.N; i++ {
		res := run(b, sc)
		virtual += res.End.Sub(res.Start).Seconds()
	}
	b.ReportMetric(virtual/b.Elapsed().Seconds(), "virtual-s/s")
}
