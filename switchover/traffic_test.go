package switchover_test

import (
	"context"
	"testing"
	"time"

	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

const (
	zoneID  = "Z123"
	fqdn    = "agm.example.jp"
	tkALB   = "app-tokyo.ap-northeast-1.elb.amazonaws.com"
	osALB   = "app-osaka.ap-northeast-3.elb.amazonaws.com"
	albZone = "Z-ALB"
)

var trafficToOsaka = switchover.TrafficTarget{ZoneID: zoneID, RecordName: fqdn, Primary: osaka,
	LoadBalancerDNSName: osALB, LoadBalancerZoneID: albZone, HealthCheckID: "hc-" + osaka}

// Every region keeps a health-checked record: the primary's at 100, every other at 0, so
// Route 53 can fail over by health-check status alone when its control plane is down.
func TestTrafficMovesInOneAtomicChangeAndKeepsTheStandbyRecordAtZero(t *testing.T) {
	cases := []struct {
		name   string
		before map[string]int64 // region → weight before the run
	}{
		{"planned: tokyo 100, osaka 0", map[string]int64{tokyo: 100, osaka: 0}},
		{"only tokyo's record", map[string]int64{tokyo: 100}},
		{"split by hand: both 100", map[string]int64{tokyo: 100, osaka: 100}},
		{"nothing yet (first deployment)", map[string]int64{}},
		{"osaka at the wrong weight", map[string]int64{osaka: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := switchovertest.NewWorld()
			w.AddZone(zoneID)
			for r, wt := range c.before {
				target := tkALB
				if r == osaka {
					target = osALB
				}
				w.SetCheckedRecord(zoneID, fqdn, r, wt, target, "hc-"+r)
			}
			want := map[string]int64{osaka: switchover.TrafficWeight}
			if _, ok := c.before[tokyo]; ok {
				want[tokyo] = switchover.StandbyWeight
			}
			l := &logs{}
			eng := &switchover.Traffic{API: w.Route53(osaka), Log: l}
			out, err := eng.EnsureTraffic(context.Background(), trafficToOsaka, fast(switchover.Planned))
			require.NoError(t, err, l)
			assert.Equal(t, want, w.Weights(zoneID, fqdn), "the primary at 100, the standby's health-checked record kept at 0")
			assert.Equal(t, 1, w.Count("ChangeResourceRecordSets"), "one atomic batch moves both regions' records")
			assert.True(t, out.Switched)
			assert.GreaterOrEqual(t, w.Count("GetChange"), 2, "waits for INSYNC (the fake stays PENDING for 2 polls)")
			assert.Contains(t, l.String(), "INSYNC")
			// Same desired state again: no call.
			out, err = eng.EnsureTraffic(context.Background(), trafficToOsaka, fast(switchover.Planned))
			require.NoError(t, err)
			assert.False(t, out.Switched)
			assert.Equal(t, 1, w.Count("ChangeResourceRecordSets"), "idempotent")
		})
	}
}

// One batch holds both regions' records. The old primary's record goes to weight 0 and keeps
// its health check; a record without a health check is deleted, since Route 53 counts it
// healthy and would answer it whenever the primary's check fails, whatever its roles.
func TestTrafficBatchHoldsBothRegionsRecords(t *testing.T) {
	for _, tc := range []struct {
		name    string
		checked bool
		action  r53types.ChangeAction
		weights map[string]int64
	}{
		{"health-checked old primary: weight 0", true, r53types.ChangeActionUpsert, map[string]int64{osaka: 100, tokyo: 0}},
		{"old primary without a health check: deleted", false, r53types.ChangeActionDelete, map[string]int64{osaka: 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := switchovertest.NewWorld()
			w.AddZone(zoneID)
			if tc.checked {
				w.SetCheckedRecord(zoneID, fqdn, tokyo, 100, tkALB, "hc-"+tokyo)
			} else {
				w.SetWeightedRecord(zoneID, fqdn, tokyo, 100, tkALB)
			}
			_, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), trafficToOsaka, fast(switchover.Planned))
			require.NoError(t, err)
			require.Len(t, w.Batches, 1)
			got := map[string]r53types.ChangeAction{}
			for _, c := range w.Batches[0] {
				got[*c.ResourceRecordSet.SetIdentifier] = c.Action
			}
			assert.Equal(t, map[string]r53types.ChangeAction{osaka: r53types.ChangeActionUpsert, tokyo: tc.action}, got)
			assert.Equal(t, tc.weights, w.Weights(zoneID, fqdn))
		})
	}
}

func TestTrafficWorksWithTheOldPrimaryRegionDown(t *testing.T) {
	w := switchovertest.NewWorld()
	w.AddZone(zoneID)
	w.SetWeightedRecord(zoneID, fqdn, tokyo, 100, tkALB)
	w.SetDown(tokyo, true)
	_, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), trafficToOsaka, fast(switchover.Unplanned))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{osaka: 100}, w.Weights(zoneID, fqdn))
	assert.Empty(t, w.Calls(tokyo), "nothing in the failed region is called")
}

func TestTrafficRefusedChangeLeavesRecordsAsTheyWere(t *testing.T) {
	w := switchovertest.NewWorld()
	w.AddZone(zoneID)
	w.SetWeightedRecord(zoneID, fqdn, tokyo, 100, tkALB)
	w.FailNext("ChangeResourceRecordSets", switchovertest.APIError("Throttling", "rate exceeded"))
	_, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), trafficToOsaka, fast(switchover.Planned))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "throttled")
	assert.Equal(t, map[string]int64{tokyo: 100}, w.Weights(zoneID, fqdn), "no half-applied change")
}

func TestTrafficNeedsTheLoadBalancer(t *testing.T) {
	w := switchovertest.NewWorld()
	w.AddZone(zoneID)
	tt := trafficToOsaka
	tt.LoadBalancerDNSName = ""
	_, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), tt, fast(switchover.Planned))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "load balancer")
	assert.Zero(t, w.Count("ChangeResourceRecordSets"))
}

// The run returns only once answers cached before the change have expired, so when the
// failover `up` completes no client still resolves to the old region.
// TestTrafficWaitsTheTTLOnlyWhenAnswersPointedElsewhere: a first record (bring-up) or a change
// that keeps the same load balancer leaves no cached answer to wait out.
func TestTrafficWaitsTheTTLOnlyWhenAnswersPointedElsewhere(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before func(w *switchovertest.World)
		want   time.Duration
	}{
		{"first record", func(*switchovertest.World) {}, 20 * time.Second},
		{"old primary's record", func(w *switchovertest.World) { w.SetWeightedRecord(zoneID, fqdn, tokyo, 100, tkALB) }, 80 * time.Second},
		{"zero-weight leftover of the old primary", func(w *switchovertest.World) {
			w.SetWeightedRecord(zoneID, fqdn, osaka, 100, trafficToOsaka.LoadBalancerDNSName)
			w.SetWeightedRecord(zoneID, fqdn, tokyo, 0, tkALB)
		}, 20 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := switchovertest.NewWorld()
			w.AddZone(zoneID)
			tc.before(w)
			clk := switchovertest.NewClock(t0)
			o := fast(switchover.Unplanned)
			o.Clock, o.Poll, o.Timeout = clk, 10*time.Second, 30*time.Minute
			tt := trafficToOsaka
			tt.ClientTTL = 60 * time.Second
			out, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), tt, o)
			require.NoError(t, err)
			assert.Equal(t, tc.want, out.Finished.Sub(out.Started), "2 polls of 10 s while PENDING, plus the TTL only when an answer led elsewhere")
		})
	}
}

func TestTrafficWaitsOneClientTTLAfterInsync(t *testing.T) {
	w := switchovertest.NewWorld()
	w.AddZone(zoneID)
	w.SetWeightedRecord(zoneID, fqdn, tokyo, 100, tkALB)
	clk := switchovertest.NewClock(t0)
	o := fast(switchover.Unplanned)
	o.Clock, o.Poll, o.Timeout = clk, 10*time.Second, 30*time.Minute
	tt := trafficToOsaka
	tt.ClientTTL = 60 * time.Second
	out, err := (&switchover.Traffic{API: w.Route53(osaka)}).EnsureTraffic(context.Background(), tt, o)
	require.NoError(t, err)
	// The fake is PENDING for 2 GetChange calls: 2 polls of 10 s, then the TTL.
	assert.Equal(t, 80*time.Second, out.Finished.Sub(out.Started))
}

// TestTrafficRereadsWhenTheBatchNoLongerMatches: Route 53 refuses a whole batch with
// InvalidChangeBatch when a DELETE no longer matches. The SDK's own retry of a batch whose
// answer was lost gets exactly that (CI saw it against ministack); so does a run racing a
// hand edit. The engine reads the records again and sends what is still missing, and still
// waits for INSYNC; a batch that keeps being refused ends the run with the AWS error.
func TestTrafficRereadsWhenTheBatchNoLongerMatches(t *testing.T) {
	cases := []struct {
		name    string
		arrange func(w *switchovertest.World)
		calls   int  // ChangeResourceRecordSets calls the engine makes
		ok      bool // the run succeeds
	}{
		{"the SDK resent an applied batch", func(w *switchovertest.World) { w.ResendNextChange() }, 2, true},
		{"records changed after the read", func(w *switchovertest.World) {
			w.FailNext("ChangeResourceRecordSets", switchovertest.APIError("InvalidChangeBatch", "values do not match"))
		}, 2, true},
		{"refused every time", func(w *switchovertest.World) {
			w.FailAlways("ChangeResourceRecordSets", switchovertest.APIError("InvalidChangeBatch", "values do not match"))
		}, 3, false},
		{"other errors are not resent", func(w *switchovertest.World) {
			w.FailNext("ChangeResourceRecordSets", switchovertest.APIError("NoSuchHealthCheck", "no health check"))
		}, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := switchovertest.NewWorld()
			w.AddZone(zoneID)
			w.SetWeightedRecord(zoneID, fqdn, tokyo, 100, tkALB)
			c.arrange(w)
			l := &logs{}
			_, err := (&switchover.Traffic{API: w.Route53(osaka), Log: l}).EnsureTraffic(context.Background(), trafficToOsaka, fast(switchover.Planned))
			assert.Equal(t, c.calls, w.Count("ChangeResourceRecordSets"))
			if !c.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err, l)
			assert.Equal(t, map[string]int64{osaka: switchover.TrafficWeight}, w.Weights(zoneID, fqdn))
			assert.Contains(t, l.String(), "reading them again")
			assert.Contains(t, l.String(), "INSYNC", "the resent change is waited for too")
		})
	}
}
