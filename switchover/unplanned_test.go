package switchover_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// With Tokyo dead, AWS may keep Aurora's FailoverState and the datastore's
// "modifying" status while Osaka already holds the roles (the fake's
// LingerWhenOldDown). Unplanned success is "the target holds the role".

func TestUnplannedEndsWhenTheTargetHoldsTheRole(t *testing.T) {
	w, a, l := osakaEngine(t)
	w.LingerWhenOldDown = true
	w.SetDown(tokyo, true)
	o := fast(switchover.Unplanned)
	o.Clock, o.Timeout, o.Poll = switchovertest.NewClock(t0), 30*time.Minute, 10*time.Second
	out, err := a.EnsureWriter(context.Background(), toOsaka, o)
	require.NoError(t, err, l)
	assert.Equal(t, osArn, w.Writer(gcID))
	assert.NotEmpty(t, w.Global(gcID).To, "the fake really kept the failover state")
	assert.Less(t, out.Finished.Sub(out.Started), time.Minute, "ended when Osaka wrote, not at the 30-minute timeout")

	wc, c, lc := osakaCache(t)
	wc.LingerWhenOldDown = true
	wc.SetDown(tokyo, true)
	outc, err := c.EnsurePrimary(context.Background(), cacheToOsaka, o)
	require.NoError(t, err, lc)
	_, region := wc.Primary(dsID)
	assert.Equal(t, osaka, region)
	assert.Less(t, outc.Finished.Sub(outc.Started), time.Minute)
}

func TestPlannedStillWaitsForTheStateToClear(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.LingerWhenOldDown = true
	w.SetDown(tokyo, true) // planned into a dead region is the operator's mistake
	o := fast(switchover.Planned)
	o.Clock, o.Timeout, o.Poll = switchovertest.NewClock(t0), 5*time.Minute, 10*time.Second
	w.StartChange(gcID, osArn, false, 0)
	_, err := a.EnsureWriter(context.Background(), toOsaka, o)
	require.ErrorIs(t, err, switchover.ErrTimeout, "planned success needs FailoverState cleared")
}

func TestUnplannedTakesOverAStuckPlannedSwitchover(t *testing.T) {
	w, a, l := osakaEngine(t)
	w.LingerWhenOldDown = true
	w.StartChange(gcID, osArn, false, -1) // planned switchover in flight, never finishing
	w.SetDown(tokyo, true)                // and Tokyo dies
	o := fast(switchover.Unplanned)
	o.Clock, o.Timeout, o.Poll = switchovertest.NewClock(t0), 30*time.Minute, 10*time.Second
	out, err := a.EnsureWriter(context.Background(), toOsaka, o)
	require.NoError(t, err, l)
	assert.Equal(t, osArn, w.Writer(gcID))
	assert.Equal(t, 1, w.Count("FailoverGlobalCluster"), "the failover replaced the stuck switchover")
	assert.Less(t, out.Finished.Sub(out.Started), time.Minute)
	assert.Contains(t, l.String(), "takes it over")
}

func TestUnplannedTakeoverRetriesWhileRefused(t *testing.T) {
	w, a, l := osakaEngine(t)
	w.LingerWhenOldDown = true
	w.StartChange(gcID, osArn, false, -1)
	w.SetDown(tokyo, true)
	refused := switchovertest.APIError("InvalidGlobalClusterStateFault", "switchover in progress")
	w.FailNext("FailoverGlobalCluster", refused)
	w.FailNext("FailoverGlobalCluster", refused)
	o := fast(switchover.Unplanned)
	o.Clock, o.Timeout, o.Poll = switchovertest.NewClock(t0), 30*time.Minute, 10*time.Second
	_, err := a.EnsureWriter(context.Background(), toOsaka, o)
	require.NoError(t, err, l)
	assert.Equal(t, osArn, w.Writer(gcID))
	assert.Equal(t, 3, w.Count("FailoverGlobalCluster"), "asked again each poll until accepted")
}

func TestUnplannedCacheTakesOverAStuckPlannedFailover(t *testing.T) {
	w, c, l := osakaCache(t)
	w.LingerWhenOldDown = true
	w.StartFailover(dsID, 1, -1) // planned failover to Osaka stuck
	w.SetDown(tokyo, true)
	o := fast(switchover.Unplanned)
	o.Clock, o.Timeout, o.Poll = switchovertest.NewClock(t0), 30*time.Minute, 10*time.Second
	out, err := c.EnsurePrimary(context.Background(), cacheToOsaka, o)
	require.NoError(t, err, l)
	_, region := w.Primary(dsID)
	assert.Equal(t, osaka, region)
	assert.Less(t, out.Finished.Sub(out.Started), time.Minute)
	assert.Contains(t, l.String(), "instead of waiting")
}

// The writer and the cache are preflighted together: a cache that cannot move
// refuses the run before Aurora moves, so the serving region keeps both.
func TestPreflightChecksTheCacheBeforeAuroraMoves(t *testing.T) {
	w, a, l := osakaEngine(t)
	w.AddDatastore(dsID,
		switchovertest.CacheMember{ID: "agm-tokyo", Region: tokyo},
		switchovertest.CacheMember{ID: "agm-osaka", Region: osaka, Status: "associating"})
	a.Cache = &switchover.Cache{API: w.ElastiCache(osaka)}
	target := toOsaka
	target.Cache = &cacheToOsaka
	_, err := a.EnsureWriter(context.Background(), target, fast(switchover.Planned))
	require.ErrorIs(t, err, switchover.ErrPreflight)
	assert.Contains(t, err.Error(), "associating")
	assert.Equal(t, tkArn, w.Writer(gcID), "Aurora did not move")
	assert.Zero(t, w.Count("SwitchoverGlobalCluster"))
	t.Log(l)

	w.SetMemberStatus(dsID, 1, "associated")
	_, err = a.EnsureWriter(context.Background(), target, fast(switchover.Planned))
	require.NoError(t, err)
	assert.Equal(t, osArn, w.Writer(gcID))
}
