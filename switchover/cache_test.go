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

// ElastiCache global datastore calls run against the in-process fake in
// switchovertest: the ministack emulator does not serve them.

const dsID = "ldgnf-agm-sessions"

var cacheToOsaka = switchover.CacheTarget{GlobalReplicationGroupID: dsID, Region: osaka, ReplicationGroupID: "agm-osaka"}

func osakaCache(t *testing.T) (*switchovertest.World, *switchover.Cache, *logs) {
	t.Helper()
	w := switchovertest.NewWorld()
	w.AddDatastore(dsID,
		switchovertest.CacheMember{ID: "agm-tokyo", Region: tokyo},
		switchovertest.CacheMember{ID: "agm-osaka", Region: osaka})
	l := &logs{}
	return w, &switchover.Cache{API: w.ElastiCache(osaka), Log: l}, l
}

func TestCachePlannedFailoverMovesPrimary(t *testing.T) {
	w, c, l := osakaCache(t)
	out, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	id, region := w.Primary(dsID)
	assert.Equal(t, "agm-osaka", id)
	assert.Equal(t, osaka, region)
	assert.True(t, out.Switched)
	assert.Equal(t, osaka, out.Actual)
	assert.Equal(t, 1, w.Count("FailoverGlobalReplicationGroup"))
	assert.Contains(t, l.String(), "preflight passed")
}

func TestCacheSecondRunIsNoop(t *testing.T) {
	w, c, _ := osakaCache(t)
	_, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	out, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	assert.False(t, out.Switched)
	assert.Equal(t, 1, w.Count("FailoverGlobalReplicationGroup"))
}

func TestCacheUnplannedCallsOnlyTheNewPrimaryRegion(t *testing.T) {
	w, c, _ := osakaCache(t)
	w.SetDown(tokyo, true)
	w.SetMemberStatus(dsID, 0, "disassociating") // the dead primary looks wrong
	_, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Unplanned))
	require.NoError(t, err)
	assert.Empty(t, w.Calls(tokyo))
	_, region := w.Primary(dsID)
	assert.Equal(t, osaka, region)
}

func TestCachePlannedPreflightRefusesUnassociatedMember(t *testing.T) {
	w, c, _ := osakaCache(t)
	w.SetMemberStatus(dsID, 0, "disassociating")
	_, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Planned))
	require.ErrorIs(t, err, switchover.ErrPreflight)
	assert.Zero(t, w.Count("FailoverGlobalReplicationGroup"))
}

func TestCacheChangeInFlightIsAwaitedNotRepeated(t *testing.T) {
	w, c, _ := osakaCache(t)
	w.StartFailover(dsID, 1, 3) // an earlier, timed-out run's failover to Osaka
	out, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	assert.True(t, out.Switched)
	assert.Zero(t, w.Count("FailoverGlobalReplicationGroup"))
}

func TestCacheErrorAndTimeout(t *testing.T) {
	t.Run("error on the call", func(t *testing.T) {
		w, c, _ := osakaCache(t)
		w.FailNext("FailoverGlobalReplicationGroup", switchovertest.APIError("ThrottlingException", "slow down"))
		_, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Planned))
		var e *switchover.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "elasticache:FailoverGlobalReplicationGroup", e.API)
		assert.Contains(t, e.Hint, "throttled")
	})
	t.Run("timeout while waiting", func(t *testing.T) {
		w, c, _ := osakaCache(t)
		w.SwitchPolls = -1
		o := fast(switchover.Planned)
		o.Timeout = 30 * time.Millisecond
		_, err := c.EnsurePrimary(context.Background(), cacheToOsaka, o)
		require.ErrorIs(t, err, switchover.ErrTimeout)
	})
}

// TestHalfDoneStateIsFinished covers a run that moved the Aurora writer and
// then failed before the cache: the re-run leaves Aurora alone and finishes
// the cache.
func TestHalfDoneStateIsFinished(t *testing.T) {
	w := switchovertest.NewWorld()
	w.AddGlobalCluster(gcID, tkArn, osArn)
	w.AddDatastore(dsID,
		switchovertest.CacheMember{ID: "agm-tokyo", Region: tokyo},
		switchovertest.CacheMember{ID: "agm-osaka", Region: osaka})
	a := &switchover.Aurora{API: w.RDS(osaka), Lag: w.Lag(osaka)}
	c := &switchover.Cache{API: w.ElastiCache(osaka)}
	ctx := context.Background()

	_, err := a.EnsureWriter(ctx, toOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	w.FailNext("FailoverGlobalReplicationGroup", switchovertest.APIError("InternalFailure", "boom"))
	_, err = c.EnsurePrimary(ctx, cacheToOsaka, fast(switchover.Planned))
	require.Error(t, err)

	auroraOut, err := a.EnsureWriter(ctx, toOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	cacheOut, err := c.EnsurePrimary(ctx, cacheToOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	assert.False(t, auroraOut.Switched, "Aurora was already done")
	assert.True(t, cacheOut.Switched)
	assert.Equal(t, 1, w.Count("SwitchoverGlobalCluster"))
	assert.Equal(t, 2, w.Count("FailoverGlobalReplicationGroup"))
	_, region := w.Primary(dsID)
	assert.Equal(t, osaka, region)
}
