package switchover_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

func healthy(regions ...string) func(string) bool {
	return func(r string) bool {
		for _, x := range regions {
			if x == r {
				return true
			}
		}
		return false
	}
}

// What Route 53 answers is decided by health-check status alone once both regions have a
// health-checked record: the weight-100 record while its check passes, else the standby
// whose check passes, and the weight-100 record alone when every check fails (Route 53 then
// treats all records as healthy and prefers non-zero weights): never both regions.
func TestAnswerFollowsHealthChecksAlone(t *testing.T) {
	rs := switchover.Routes{
		{Region: tokyo, Weight: 100, HealthCheckID: "hc-" + tokyo},
		{Region: osaka, Weight: 0, HealthCheckID: "hc-" + osaka},
	}
	for _, tc := range []struct {
		name    string
		healthy func(string) bool
		want    []string
	}{
		{"primary holds the roles", healthy(tokyo), []string{tokyo}},
		{"primary lost the roles, standby holds them", healthy(osaka), []string{osaka}},
		{"both pass (never, roles are exclusive): the weight holder", healthy(tokyo, osaka), []string{tokyo}},
		{"no check passes: the weight holder alone, no split", healthy(), []string{tokyo}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, switchover.Answer(rs, tc.healthy))
		})
	}
	// Why every record needs its health check: without one, the standby counts as healthy
	// and is answered as soon as the primary's check fails, whatever its roles.
	unchecked := switchover.Routes{rs[0], {Region: osaka, Weight: 0}}
	assert.Equal(t, []string{osaka}, switchover.Answer(unchecked, healthy()), "an unchecked standby takes traffic with no role")
	assert.Empty(t, switchover.Answer(nil, healthy(tokyo)), "no record: no answer")
}

// The standby's stack makes its own record exist, with its health check, and never changes a
// weight or another region's record: weights are the primary's stack's atomic change.
func TestStandbyMakesOnlyItsOwnRecord(t *testing.T) {
	standby := switchover.TrafficTarget{ZoneID: zoneID, RecordName: fqdn, Primary: osaka, Standby: true,
		LoadBalancerDNSName: osALB, LoadBalancerZoneID: albZone, HealthCheckID: "hc-" + osaka}
	for _, tc := range []struct {
		name    string
		before  func(w *switchovertest.World)
		want    map[string]int64
		changes int
	}{
		{"new: weight 0", func(w *switchovertest.World) { w.SetCheckedRecord(zoneID, fqdn, tokyo, 100, tkALB, "hc-"+tokyo) },
			map[string]int64{tokyo: 100, osaka: 0}, 1},
		{"still weighted from an unplanned failover: weight kept", func(w *switchovertest.World) {
			w.SetCheckedRecord(zoneID, fqdn, tokyo, 0, tkALB, "hc-"+tokyo)
			w.SetCheckedRecord(zoneID, fqdn, osaka, 100, osALB, "hc-old")
		}, map[string]int64{tokyo: 0, osaka: 100}, 1},
		{"in place: no call", func(w *switchovertest.World) {
			w.SetCheckedRecord(zoneID, fqdn, tokyo, 100, tkALB, "hc-"+tokyo)
			w.SetCheckedRecord(zoneID, fqdn, osaka, 0, osALB, "hc-"+osaka)
		}, map[string]int64{tokyo: 100, osaka: 0}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := switchovertest.NewWorld()
			w.AddZone(zoneID)
			tc.before(w)
			_, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), standby, fast(switchover.Planned))
			require.NoError(t, err)
			assert.Equal(t, tc.want, w.Weights(zoneID, fqdn))
			assert.Equal(t, tc.changes, w.Count("ChangeResourceRecordSets"))
		})
	}
}

// Every call of the traffic move is Route 53's control plane; when it is refused the run says
// so as a ControlPlaneError, which is what lets the caller fall back to the data plane.
func TestTrafficReportsARefusedControlPlane(t *testing.T) {
	for _, op := range []string{"ListResourceRecordSets", "ChangeResourceRecordSets", "GetChange"} {
		t.Run(op, func(t *testing.T) {
			w := switchovertest.NewWorld()
			w.AddZone(zoneID)
			w.SetCheckedRecord(zoneID, fqdn, tokyo, 100, tkALB, "hc-"+tokyo)
			w.SetCheckedRecord(zoneID, fqdn, osaka, 0, osALB, "hc-"+osaka)
			w.FailAlways(op, switchovertest.APIError("ServiceUnavailable", "us-east-1 is impaired"))
			_, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), trafficToOsaka, fast(switchover.Unplanned))
			require.Error(t, err)
			assert.True(t, switchover.IsControlPlane(err), "%v", err)
			// The data plane still moves traffic: tokyo lost the roles, osaka holds them.
			assert.Equal(t, []string{osaka}, w.Answer(zoneID, fqdn, healthy(osaka)))
		})
	}
	_, err := (&switchover.Traffic{API: switchovertest.NewWorld().Route53(osaka)}).EnsureTraffic(context.Background(),
		switchover.TrafficTarget{ZoneID: zoneID, RecordName: fqdn, Primary: osaka}, fast(switchover.Unplanned))
	require.Error(t, err)
	assert.False(t, switchover.IsControlPlane(err), "bad inputs are not the control plane: %v", err)
	assert.Contains(t, err.Error(), "health check")
}
