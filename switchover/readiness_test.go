package switchover_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/readiness"
	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// worldProbes is what one region's readiness endpoint observes in the fake world: its cache
// member's role (the datastore primary answers "master") and whether the Aurora writer answers.
type worldProbes struct {
	w      *switchovertest.World
	region string
}

func (p worldProbes) CacheRole(context.Context) (string, error) {
	if p.w.IsDown(p.region) {
		return "", errors.New("region down")
	}
	if _, primary := p.w.Primary(dsID); primary == p.region {
		return "master", nil
	}
	return "slave", nil
}

func (p worldProbes) CacheWrite(ctx context.Context) error {
	if role, err := p.CacheRole(ctx); err != nil || role != "master" {
		return errors.New("READONLY You can't write against a read only replica")
	}
	return nil
}

func (p worldProbes) WriterReachable(context.Context) (bool, error) {
	writer := p.w.Writer(gcID)
	for _, r := range []string{tokyo, osaka} {
		if strings.Contains(writer, ":"+r+":") && (p.w.IsDown(r) || p.w.IsDown(p.region)) {
			return false, errors.New("writer unreachable")
		}
	}
	return writer != "", nil
}

// A recovered old primary's health check stays failing until it holds the roles again: after
// FailoverGlobalCluster and FailoverGlobalReplicationGroup, Tokyo comes back as a secondary,
// its readiness answers 503, and Route 53 keeps answering Osaka although Tokyo's record still
// has the weight (the control plane was down, so no weight ever changed). Only a switchover back
// makes Tokyo ready again.
func TestRecoveredOldPrimaryStaysUnhealthyUntilItHoldsTheRoles(t *testing.T) {
	w := switchovertest.NewWorld()
	w.AddGlobalCluster(gcID, tkArn, osArn)
	w.AddDatastore(dsID, switchovertest.CacheMember{ID: "agm-tokyo", Region: tokyo}, switchovertest.CacheMember{ID: "agm-osaka", Region: osaka})
	w.AddZone(zoneID)
	w.SetCheckedRecord(zoneID, fqdn, tokyo, 100, tkALB, "hc-"+tokyo)
	w.SetCheckedRecord(zoneID, fqdn, osaka, 0, osALB, "hc-"+osaka)
	ready := func(region string) bool {
		return readiness.Check(context.Background(), region, worldProbes{w, region}).Ready
	}
	answer := func() []string { return w.Answer(zoneID, fqdn, ready) }
	move := func(to, arn, group string, mode switchover.Mode) {
		t.Helper()
		_, err := (&switchover.Aurora{API: w.RDS(to), Lag: w.Lag(to)}).EnsureWriter(context.Background(),
			switchover.AuroraTarget{GlobalClusterID: gcID, Region: to, ClusterArn: arn}, fast(mode))
		require.NoError(t, err)
		_, err = (&switchover.Cache{API: w.ElastiCache(to)}).EnsurePrimary(context.Background(),
			switchover.CacheTarget{GlobalReplicationGroupID: dsID, Region: to, ReplicationGroupID: group}, fast(mode))
		require.NoError(t, err)
	}

	require.Equal(t, []string{tokyo}, answer(), "tokyo holds the roles")
	assert.False(t, ready(osaka), "the standby's cache is read-only")

	w.SetDown(tokyo, true)
	move(osaka, osArn, "agm-osaka", switchover.Unplanned)
	assert.Equal(t, []string{osaka}, answer(), "health-check status alone moved traffic")

	w.SetDown(tokyo, false) // tokyo comes back, as a secondary
	assert.False(t, ready(tokyo), "the recovered old primary holds no role: its check must fail")
	assert.Equal(t, []string{osaka}, answer(), "the recovered tokyo does not take traffic back, though its record has the weight")
	// The mechanism removed: a check that only asks "is the region up" hands traffic back.
	assert.Equal(t, []string{tokyo}, w.Answer(zoneID, fqdn, func(r string) bool { return !w.IsDown(r) }),
		"a liveness check would send shareholders to tokyo's read-only cache")

	move(tokyo, tkArn, "agm-tokyo", switchover.Planned)
	assert.True(t, ready(tokyo), "holding the roles again, tokyo is ready")
	assert.Equal(t, []string{tokyo}, answer())
}
