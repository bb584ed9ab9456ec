package provider_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/provider"
	"github.com/agm-dr/agm-dr/readiness"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

const (
	trafficToken  = "agmdr:index:Traffic"
	capacityToken = "agmdr:index:Capacity"
	zone          = "Z123"
	fqdn          = "agm.example.jp"
)

func trafficInputs(region, primary string) map[string]any {
	return map[string]any{"zoneId": zone, "recordName": fqdn, "region": region, "primaryRegion": primary,
		"loadBalancerDnsName": "app-" + region + ".elb.amazonaws.com", "loadBalancerZoneId": "Z-ALB",
		"healthCheckId": "hc-" + region, "mode": "planned", "timeoutSeconds": 5, "pollSeconds": 1}
}

// Both stacks declare the same primaryRegion; only the primary's stack
// changes Route 53, in one batch, and the flip is an update.
func TestTrafficFlipIsOneChangeByTheNewPrimaryStack(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = 0
	f.w.AddZone(zone)
	tk := newResource(t, s, trafficToken, "traffic-tokyo")
	os := newResource(t, s, trafficToken, "traffic-osaka")
	for _, r := range []*resource{tk, os} {
		_, err := r.up(trafficInputs(map[*resource]string{tk: tokyo, os: osaka}[r], tokyo))
		require.NoError(t, err)
	}
	assert.Equal(t, map[string]int64{tokyo: 100, osaka: 0}, f.w.Weights(zone, fqdn), "the standby's stack adds its own record at 0")
	assert.Equal(t, 2, f.w.Count("ChangeResourceRecordSets"))

	// The flip: osaka first (the runbook's order), then tokyo.
	changed, err := os.up(trafficInputs(osaka, osaka))
	require.NoError(t, err)
	require.True(t, changed)
	assert.Contains(t, os.diff.DetailedDiff, "primaryRegion")
	assert.Equal(t, map[string]int64{osaka: 100, tokyo: 0}, f.w.Weights(zone, fqdn), "both weights in one change")
	assert.Equal(t, 3, f.w.Count("ChangeResourceRecordSets"))
	_, err = tk.up(trafficInputs(tokyo, osaka))
	require.NoError(t, err)
	assert.Equal(t, 3, f.w.Count("ChangeResourceRecordSets"), "the old primary's stack finds its record in place")
	assert.Equal(t, []any{"ap-northeast-1=0", "ap-northeast-3=100"}, records(tk))
}

func TestTrafficRefreshRevealsAHandEditAndUpRepairsIt(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = 0
	f.w.AddZone(zone)
	os := newResource(t, s, trafficToken, "traffic-osaka")
	_, err := os.up(trafficInputs(osaka, osaka))
	require.NoError(t, err)

	f.w.SetWeightedRecord(zone, fqdn, tokyo, 0, "app-tokyo.elb.amazonaws.com") // a leftover without a health check
	os.refresh()
	assert.ElementsMatch(t, []any{"ap-northeast-1=0", "ap-northeast-3=100"}, records(os))
	changed, err := os.up(trafficInputs(osaka, osaka))
	require.NoError(t, err)
	assert.True(t, changed, "a record without a health check would take traffic when osaka's check fails, whatever its roles")
	assert.Equal(t, map[string]int64{osaka: 100}, f.w.Weights(zone, fqdn))
}

// After an unplanned failover the recovered region runs its own stack: it
// declares the same primaryRegion (osaka) and never gives its record weight back.
func TestRecoveredRegionDoesNotTakeTrafficBack(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = 0
	f.w.AddZone(zone)
	f.w.SetCheckedRecord(zone, fqdn, tokyo, 100, "app-ap-northeast-1.elb.amazonaws.com", "hc-"+tokyo)
	f.w.SetDown(tokyo, true)
	os := newResource(t, s, trafficToken, "traffic-osaka")
	_, err := os.up(trafficInputs(osaka, osaka))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{osaka: 100, tokyo: 0}, f.w.Weights(zone, fqdn))

	f.w.SetDown(tokyo, false) // tokyo is back and healthy
	tk := newResource(t, s, trafficToken, "traffic-tokyo")
	_, err = tk.up(trafficInputs(tokyo, osaka))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{osaka: 100, tokyo: 0}, f.w.Weights(zone, fqdn))
}

// An unplanned failover with Route 53's control plane refusing every call: the new primary's
// `up` succeeds on the data plane when its health-checked record exists (Route 53 answers it
// once its check passes and the old primary's fails), keeps the weight change pending, and
// makes it on the first `up` after the control plane is back. Without that record there is no
// data-plane path and the `up` fails.
func TestTrafficFallsBackToTheDataPlaneWhenTheControlPlaneRefuses(t *testing.T) {
	for _, standbyRecord := range []bool{true, false} {
		t.Run(map[bool]string{true: "standby record in place", false: "no standby record"}[standbyRecord], func(t *testing.T) {
			clk := switchovertest.NewClock(offSeason)
			f, s := newFake(t, provider.WithClock(clk))
			f.w.SwitchPolls = 0
			f.w.AddZone(zone)
			tk := newResource(t, s, trafficToken, "traffic-tokyo")
			os := newResource(t, s, trafficToken, "traffic-osaka")
			_, err := tk.up(trafficInputs(tokyo, tokyo))
			require.NoError(t, err)
			if standbyRecord {
				_, err = os.up(trafficInputs(osaka, tokyo))
				require.NoError(t, err)
			} // else: osaka's stack never ran, so no record of osaka was ever read
			before := f.w.Weights(zone, fqdn)

			f.w.SetDown(tokyo, true)
			refused := switchovertest.APIError("ServiceUnavailable", "route 53 control plane impaired")
			for _, op := range []string{"ListResourceRecordSets", "ChangeResourceRecordSets", "GetChange"} {
				f.w.FailAlways(op, refused)
			}
			if standbyRecord {
				os.refresh() // a refresh must not need the control plane either (the runbook's up refreshes first)
			}
			in := trafficInputs(osaka, osaka)
			in["mode"], in["clientTtlSeconds"] = "unplanned", 60
			slept := clk.Slept()
			_, err = os.up(in)
			if !standbyRecord {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "no data-plane path")
				return
			}
			require.NoError(t, err, "the failover up must not need Route 53's control plane")
			assert.Equal(t, before, f.w.Weights(zone, fqdn), "no control-plane change was made")
			assert.Equal(t, readiness.Detection+60*time.Second, clk.Slept()-slept,
				"the up ends once the health checks have moved the answer and cached answers expired")
			// Tokyo is down (its check fails), osaka holds the roles: the data plane answers osaka.
			assert.Equal(t, []string{osaka}, f.w.Answer(zone, fqdn, func(r string) bool { return r == osaka }))

			for _, op := range []string{"ListResourceRecordSets", "ChangeResourceRecordSets", "GetChange"} {
				f.w.FailAlways(op, nil)
			}
			changed, err := os.up(in)
			require.NoError(t, err)
			assert.True(t, changed, "the pending weight change is made once the control plane answers")
			assert.Equal(t, map[string]int64{osaka: 100, tokyo: 0}, f.w.Weights(zone, fqdn))
		})
	}
}

func records(r *resource) []any {
	v := r.state.Get("records")
	var out []any
	for _, e := range v.AsArray().AsSlice() {
		out = append(out, e.AsString())
	}
	return out
}

var (
	offSeason = time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	inJune    = time.Date(2026, 6, 26, 3, 0, 0, 0, time.UTC)
)

func capacityInputs(floor int, primary bool) map[string]any {
	return map[string]any{"region": osaka, "cluster": "app", "service": "app", "roleFloor": floor, "maxTasks": 40,
		"primary": primary, "timezone": "Asia/Tokyo", "mode": "planned", "timeoutSeconds": 600, "pollSeconds": 10,
		"windows": []map[string]any{{"name": "june-agm-peak", "start": "06-20 08:00", "end": "06-30 20:00", "minTasks": 20}}}
}

func TestCapacityGateOnFlip(t *testing.T) {
	cases := []struct {
		name       string
		now        time.Time
		running    int // tasks running before the flip
		roleBefore int
		roleAfter  int
		primary    bool // after the flip
		wantFloor  int
	}{
		{"standby becomes primary off-season: floor 6, waited for", offSeason, 2, 2, 6, true, 6},
		{"standby becomes primary in June: season floor 20 kept", inJune, 20, 2, 6, true, 20},
		{"primary becomes standby in June: season floor 20 kept", inJune, 20, 6, 2, false, 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, s := newFake(t, provider.WithClock(switchovertest.NewClock(c.now)))
			f.w.AddService(osaka, "app", "app", c.running, 40)
			r := newResource(t, s, capacityToken, "capacity")
			_, err := r.up(capacityInputs(c.roleBefore, !c.primary))
			require.NoError(t, err)
			changed, err := r.up(capacityInputs(c.roleAfter, c.primary))
			require.NoError(t, err)
			require.True(t, changed)
			assert.Equal(t, float64(c.wantFloor), r.out("floor"))
			assert.Equal(t, c.wantFloor, f.w.Floor(osaka, "app", "app"))
			if c.primary {
				assert.GreaterOrEqual(t, r.out("running"), float64(c.wantFloor), "the gate returned before the tasks ran")
			}
		})
	}
}

// TestCapacityGateAcceptsASleepingFloor: a sleeping dev environment declares roleFloor 0 and
// maxTasks 0 (stacks/sleeping.go); the provider's own input check must take them, and the gate
// then lowers the floor to 0 and, on the primary in planned mode, has nothing to wait for.
func TestCapacityGateAcceptsASleepingFloor(t *testing.T) {
	f, s := newFake(t, provider.WithClock(switchovertest.NewClock(offSeason)))
	f.w.AddService(osaka, "app", "app", 6, 40)
	r := newResource(t, s, capacityToken, "capacity")
	_, err := r.up(capacityInputs(6, true))
	require.NoError(t, err)
	asleep := capacityInputs(0, true)
	asleep["maxTasks"] = 0
	asleep["windows"] = []map[string]any{}
	resp, err := s.Check(p.CheckRequest{Urn: r.urn, Inputs: props(asleep)})
	require.NoError(t, err)
	require.Empty(t, resp.Failures, "the sleeping floor is refused by the provider's check")
	changed, err := r.up(asleep)
	require.NoError(t, err)
	require.True(t, changed)
	assert.Equal(t, float64(0), r.out("floor"))
	assert.Equal(t, 0, f.w.Floor(osaka, "app", "app"))
}

func TestTrafficMoveWaitsTheClientTTL(t *testing.T) {
	clk := switchovertest.NewClock(offSeason)
	f, s := newFake(t, provider.WithClock(clk))
	f.w.SwitchPolls = 0
	f.w.AddZone(zone)
	f.w.SetCheckedRecord(zone, fqdn, tokyo, 100, "app-ap-northeast-1.elb.amazonaws.com", "hc-"+tokyo)
	os := newResource(t, s, trafficToken, "traffic-osaka")
	in := trafficInputs(osaka, osaka)
	in["clientTtlSeconds"] = 60 // above timeoutSeconds (5): the TTL wait is not part of the timeout
	_, err := os.up(in)
	require.NoError(t, err)
	assert.Equal(t, 60*time.Second, clk.Slept(), "INSYNC at once (fake), then one TTL")
	assert.Equal(t, float64(60), os.out("lastSwitchoverSeconds"))
}

func TestCheckRejectsBadTrafficAndCapacityInputs(t *testing.T) {
	_, s := newFake(t)
	cases := map[string]struct {
		token  string
		inputs map[string]any
		mutate func(map[string]any)
		prop   string
	}{
		"traffic without primaryRegion":  {trafficToken, trafficInputs(osaka, osaka), func(m map[string]any) { m["primaryRegion"] = "" }, "primaryRegion"},
		"traffic without a health check": {trafficToken, trafficInputs(osaka, osaka), func(m map[string]any) { delete(m, "healthCheckId") }, "healthCheckId"},
		"traffic negative TTL":           {trafficToken, trafficInputs(osaka, osaka), func(m map[string]any) { m["clientTtlSeconds"] = -1 }, "clientTtlSeconds"},
		"capacity floor below 0":         {capacityToken, capacityInputs(6, true), func(m map[string]any) { m["roleFloor"] = -1 }, "roleFloor"},
		"capacity max below floor":       {capacityToken, capacityInputs(6, true), func(m map[string]any) { m["maxTasks"] = 3 }, "maxTasks"},
		"capacity bad timezone":          {capacityToken, capacityInputs(6, true), func(m map[string]any) { m["timezone"] = "Mars/Olympus" }, "windows"},
		"capacity season above max":      {capacityToken, capacityInputs(6, true), func(m map[string]any) { m["maxTasks"] = 12 }, "windows"},
		"capacity peer is itself":        {capacityToken, capacityInputs(6, true), func(m map[string]any) { m["peerRegion"] = osaka }, "peerRegion"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := newResource(t, s, tc.token, "x")
			tc.mutate(tc.inputs)
			resp, err := s.Check(p.CheckRequest{Urn: r.urn, Inputs: props(tc.inputs)})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Failures)
			assert.Equal(t, tc.prop, resp.Failures[0].Property)
		})
	}
}

func TestCapacityRefreshRevealsAFloorLoweredByHand(t *testing.T) {
	f, s := newFake(t, provider.WithClock(switchovertest.NewClock(offSeason)))
	f.w.AddService(osaka, "app", "app", 6, 40)
	r := newResource(t, s, capacityToken, "capacity")
	in := capacityInputs(6, true)
	_, err := r.up(in)
	require.NoError(t, err)
	changed, err := r.up(in)
	require.NoError(t, err)
	require.False(t, changed)

	_, err = f.w.AutoScaling(osaka).RegisterScalableTarget(context.Background(), &applicationautoscaling.RegisterScalableTargetInput{
		ResourceId: aws.String("service/app/app"), MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(40)})
	require.NoError(t, err)
	r.refresh()
	assert.Equal(t, float64(1), r.out("floor"))
	changed, err = r.up(in)
	require.NoError(t, err)
	assert.True(t, changed, "a floor below the role's is put back")
	assert.Equal(t, 6, f.w.Floor(osaka, "app", "app"))
}

// The new primary's floor follows the old primary's desired count in planned
// mode (one read-only call to the old region); unplanned never asks for the
// old region's clients.
func TestCapacityFollowsTheOldPrimaryInPlannedModeOnly(t *testing.T) {
	for _, mode := range []string{"planned", "unplanned"} {
		t.Run(mode, func(t *testing.T) {
			f, s := newFake(t, provider.WithClock(switchovertest.NewClock(offSeason)))
			f.w.AddService(osaka, "app", "app", 2, 40).StartPerPoll = 40
			f.w.AddService(tokyo, "app", "app", 30, 40)
			r := newResource(t, s, capacityToken, "capacity")
			in := capacityInputs(6, true)
			in["mode"], in["peerRegion"] = mode, tokyo
			in["targetGroupArn"] = switchovertest.TargetGroupArn(osaka, "app", "app")
			_, err := r.up(in)
			require.NoError(t, err)
			if mode == "planned" {
				assert.Equal(t, float64(30), r.out("floor"))
				assert.Contains(t, r.out("floorSource").(string), "old primary's desired count in "+tokyo)
				assert.Contains(t, f.asked(), tokyo)
				return
			}
			assert.Equal(t, float64(6), r.out("floor"))
			assert.NotContains(t, f.asked(), tokyo, "unplanned: no client for the failed region")
		})
	}
}
