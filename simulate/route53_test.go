package simulate

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

// Route 53's control plane (us-east-1) down combines with any outage. The records never change
// (every control-plane call is refused), yet after the failover `up` shareholders are served by
// the new primary alone, moved by health-check status: the data plane. A recovered Tokyo, a
// secondary, fails its readiness check and takes nothing back.
func TestRoute53ControlPlaneDownCombinesWithAnyOutage(t *testing.T) {
	unplanned, err := PresetFor("unplanned-r53-down", config.Osaka)
	require.NoError(t, err)
	planned, err := PresetFor("planned-r53-down", config.Osaka)
	require.NoError(t, err)
	recovers := unplanned
	recovers.Name, recovers.RecoverAt = "unplanned, control plane down, Tokyo recovers after the failover", 20*time.Minute
	season := planned
	season.Name, season.Season = "planned in the June window, control plane down", true
	for _, sc := range []Scenario{unplanned, planned, recovers, season} {
		t.Run(sc.Name, func(t *testing.T) {
			res := run(t, sc)
			require.NoError(t, res.Err)
			judged := 0
			for _, b := range res.Bounds() {
				if b.Applies {
					judged++
					assert.True(t, b.Held, "%s: %s", b.Name, b.Detail)
				}
			}
			assert.Positive(t, judged, "judged by no bound")
			assert.Equal(t, map[string]int{config.Tokyo: 100, config.Osaka: 0}, res.Weights,
				"no record changed: the control plane refused every call")
			refused := false
			for _, e := range res.Timeline {
				refused = refused || e.Source == "route53" && strings.Contains(e.Text, "refused")
			}
			assert.True(t, refused, "the runs tried the control plane and were refused")
			require.True(t, res.UpDone)
			for _, s := range res.Series {
				if s.At >= res.FirstUpDone {
					assert.Zero(t, s.ByRegion[config.Tokyo], "t+%.0fs: a request went to tokyo after the failover up", s.At)
				}
			}
		})
	}
}

// The mechanism removed: if the health check only asked "is a task up" (the load balancer's
// liveness), the recovered Tokyo, which still has the weight, would take traffic back with a
// read-only cache.
func TestLivenessHealthCheckWouldHandTrafficBack(t *testing.T) {
	w := testWorld(Defaults())
	w.cache.primary = config.Osaka // after the failover
	w.aurora.writer = config.Osaka
	assert.False(t, ready(w, config.Tokyo), "the recovered tokyo's readiness fails: its cache is a secondary")
	assert.True(t, ready(w, config.Osaka))
	w.dns.healthy[config.Tokyo], w.dns.healthy[config.Osaka] = ready(w, config.Tokyo), ready(w, config.Osaka)
	assert.Equal(t, config.Osaka, w.dns.resolve(w))
	w.dns.healthy[config.Tokyo] = !w.down[config.Tokyo] && w.ecs[config.Tokyo].healthy > 0 // liveness only
	assert.Equal(t, config.Tokyo, w.dns.resolve(w), "a liveness check hands traffic back to the weight holder")
}
