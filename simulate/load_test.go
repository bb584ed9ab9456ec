package simulate

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

func bound(t *testing.T, res *Result, prefix string) Bound {
	t.Helper()
	for _, b := range res.Bounds() {
		if len(b.Name) >= len(prefix) && b.Name[:len(prefix)] == prefix {
			require.True(t, b.Applies, "%s applies", b.Name)
			return b
		}
	}
	require.Failf(t, "no such bound", "%q", prefix)
	return Bound{}
}

const overloadBound = "planned: no request fails for overload"

// The peak presets hold every bound with the capacity gate as built (the
// floor follows the old primary's load, the gate waits for healthy targets),
// and break the overload bound when either part is taken away.
func TestPeakPresetsNeedTheLoadFloorAndTheWait(t *testing.T) {
	for _, key := range []string{"planned-peak", "planned-burst"} {
		sc, err := PresetFor(key, config.Osaka)
		require.NoError(t, err)
		t.Run(key, func(t *testing.T) {
			res := run(t, sc)
			for _, b := range res.Bounds() {
				if b.Applies {
					assert.True(t, b.Held, "%s: %s", b.Name, b.Detail)
				}
			}
			assert.Greater(t, res.Floor, 0)
			for _, off := range []string{OffLoadFloor, OffCapacityWait} {
				t.Run("without "+off, func(t *testing.T) {
					sc := sc
					sc.Remove = map[string]bool{off: true}
					if off == OffCapacityWait {
						// With tasks that start within the writer's and the cache's
						// steps the wait is invisible; tasks that take 5 minutes
						// (slow image pulls, scarce Fargate capacity) show it.
						p := Defaults()
						p.TaskStart = 5 * time.Minute
						sc.Params = &p
					}
					b := bound(t, run(t, sc), overloadBound)
					assert.False(t, b.Held, "removing %s must break the overload bound: %s", off, b.Detail)
					sc.Remove = nil
					b = bound(t, run(t, sc), overloadBound)
					assert.True(t, b.Held, "with %s in place the same scenario holds: %s", off, b.Detail)
				})
			}
		})
	}
}

// The floor raised for the old primary's load returns to the role/season
// floor by the scheduled action, and autoscaling keeps the tasks the load needs.
func TestRaisedFloorReturnsOnceAutoscalingCarriesTheLoad(t *testing.T) {
	sc, err := PresetFor("planned-burst", config.Osaka)
	require.NoError(t, err)
	sc.Tail = 45 * 60e9 // past the 30-minute hold
	res := run(t, sc)
	released := false
	for _, e := range res.Timeline {
		if e.Source == "ecs" && contains(e.Text, "scheduled action") {
			released = true
			assert.Contains(t, e.Text, "→ 6", "back to the role floor")
		}
	}
	assert.True(t, released, "the scheduled action ran")
	last := res.Series[len(res.Series)-1]
	assert.GreaterOrEqual(t, last.Tasks[config.Osaka], 30, "target tracking keeps the tasks the load needs")
	assert.True(t, bound(t, res, overloadBound).Held)
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// The simulated `up` honours the program's ignoreChanges (read from the
// captured program): Pulumi never lowers the floor the gate set.
func TestSimulatedUpHonoursIgnoreChanges(t *testing.T) {
	sc, err := PresetFor("planned-season", config.Osaka)
	require.NoError(t, err)
	res := run(t, sc)
	for _, e := range res.Timeline {
		assert.NotContains(t, e.Text, "pulumi up: scalable target", "an ignored minCapacity was applied")
	}
	for _, l := range res.Legs {
		for _, st := range l.Steps {
			for _, op := range st.Ops {
				assert.NotEqual(t, typeTarget, op.Type, "%s: only ignored inputs changed, so `up` has nothing to do", op.Resource)
			}
		}
	}
	assert.True(t, bound(t, res, "planned: the serving region never below").Held)
}

// Split traffic counts only seconds in which two live regions answered: while
// Tokyo is dead, resolvers that still send requests there split nothing.
func TestSplitTrafficCountsOnlyLiveRegions(t *testing.T) {
	sc, err := PresetFor("unplanned", config.Osaka)
	require.NoError(t, err)
	res := run(t, sc)
	both := 0
	for _, s := range res.Series {
		if s.ByRegion[config.Tokyo] > 0 && s.ByRegion[config.Osaka] > 0 {
			both++
		}
	}
	require.Positive(t, both, "requests reached both regions in some seconds (DNS caches)")
	assert.Zero(t, res.Impact().SplitSeconds, "Tokyo was down throughout: it answered none of them")
}
