package switchover_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// loadGate is the new primary (Osaka, a standby at 2 tasks) with Tokyo, the
// old primary, autoscaled to oldDesired.
func loadGate(t *testing.T, oldDesired int) (*switchovertest.World, *switchover.Capacity, *logs) {
	t.Helper()
	w := switchovertest.NewWorld()
	w.AddService(osaka, "app", "app", 2, 40).StartPerPoll = 5
	w.AddService(tokyo, "app", "app", oldDesired, 40)
	l := &logs{}
	return w, &switchover.Capacity{ECS: w.ECS(osaka), AutoScaling: w.AutoScaling(osaka), ELB: w.ELB(osaka),
		OldPrimaryECS: w.ECS(tokyo), Log: l}, l
}

func loadTarget(now time.Time) (switchover.CapacityTarget, switchover.Options) {
	o := fast(switchover.Planned)
	o.Clock = switchovertest.NewClock(now)
	return switchover.CapacityTarget{Region: osaka, Cluster: "app", Service: "app", RoleFloor: 6, MaxTasks: 40, Season: june,
		Wait: true, TargetGroupArn: switchovertest.TargetGroupArn(osaka, "app", "app"), OldPrimaryRegion: tokyo}, o
}

func TestCapacityGateFollowsTheOldPrimarysLoad(t *testing.T) {
	inJune := time.Date(2026, 6, 26, 1, 0, 0, 0, time.UTC)
	w, eng, l := loadGate(t, 36)
	tg, o := loadTarget(inJune)
	out, err := eng.EnsureFloor(context.Background(), tg, o)
	require.NoError(t, err, l)
	assert.Equal(t, 36, out.Floor, "max(role 6, season 20, old primary's 36)")
	assert.Contains(t, out.Source, "old primary's desired count in "+tokyo)
	assert.Equal(t, 36, w.Floor(osaka, "app", "app"))
	assert.GreaterOrEqual(t, out.Healthy, 36, "the gate returned before 36 targets were healthy: %s", l)

	// Read-only in the old primary: one DescribeServices, nothing else.
	var ops []string
	for _, c := range w.Calls(tokyo) {
		ops = append(ops, c.Op)
	}
	assert.Equal(t, []string{"DescribeServices"}, ops)

	// The raised floor goes back to the season floor by a one-time scheduled action.
	acts := w.ScheduledActions(osaka, "app", "app")
	require.Len(t, acts, 1)
	assert.Equal(t, switchover.ReleaseActionName, acts[0].Name)
	assert.Equal(t, 20, acts[0].Min, "released to max(role, season), not below")
	assert.Equal(t, "at(2026-06-26T01:30:00)", acts[0].Schedule, "DefaultLoadHold after the gate raised the floor")
}

// TestCapacityGateReadsTheOldPrimaryByItsOwnNames: an adopted home keeps its own cluster and
// service names; the gate reads the old primary's load by them, not by the new primary's.
func TestCapacityGateReadsTheOldPrimaryByItsOwnNames(t *testing.T) {
	offSeason := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	w := switchovertest.NewWorld()
	w.AddService(osaka, "app", "app", 2, 40).StartPerPoll = 5
	w.AddService(tokyo, "agm-prod", "agm-web", 9, 40)
	l := &logs{}
	eng := &switchover.Capacity{ECS: w.ECS(osaka), AutoScaling: w.AutoScaling(osaka), ELB: w.ELB(osaka), OldPrimaryECS: w.ECS(tokyo), Log: l}
	tg, o := loadTarget(offSeason)
	out, err := eng.EnsureFloor(context.Background(), tg, o)
	require.NoError(t, err, l)
	assert.Equal(t, 6, out.Floor, "by the new primary's names the old primary is not found")
	assert.Contains(t, out.Source, "fallback")

	tg.OldPrimaryCluster, tg.OldPrimaryService = "agm-prod", "agm-web"
	out, err = eng.EnsureFloor(context.Background(), tg, o)
	require.NoError(t, err, l)
	assert.Equal(t, 9, out.Floor, "the adopted old primary's desired count")
	assert.Contains(t, out.Source, "old primary's desired count in "+tokyo)
}

func TestCapacityGateLoadFloorOnlyWhenPlanned(t *testing.T) {
	offSeason := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	w, eng, l := loadGate(t, 30)
	tg, o := loadTarget(offSeason)
	o.Mode, tg.Wait = switchover.Unplanned, false
	out, err := eng.EnsureFloor(context.Background(), tg, o)
	require.NoError(t, err, l)
	assert.Equal(t, 6, out.Floor)
	assert.Empty(t, w.Calls(tokyo), "unplanned: no call to the failed region")
	assert.Empty(t, w.ScheduledActions(osaka, "app", "app"), "nothing to release")
}

func TestCapacityGateFallsBackWhenTheOldPrimaryCannotBeRead(t *testing.T) {
	offSeason := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	w, eng, l := loadGate(t, 30)
	w.SetDown(tokyo, true)
	tg, o := loadTarget(offSeason)
	out, err := eng.EnsureFloor(context.Background(), tg, o)
	require.NoError(t, err, l)
	assert.Equal(t, 6, out.Floor, "the stated fallback: role/season floor")
	assert.Equal(t, "fallback: "+switchover.FallbackRule, out.Source)
	assert.Contains(t, l.String(), "could not read the old primary's desired count in "+tokyo, "reported, not guessed silently")
}

func TestCapacityGateRefusesAFloorAboveMaxTasks(t *testing.T) {
	inJune := time.Date(2026, 6, 26, 1, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		setup func(*switchover.CapacityTarget, *switchovertest.World)
		keys  []string
	}{
		{"old primary above maxTasks", func(tg *switchover.CapacityTarget, w *switchovertest.World) {
			w.AddService(tokyo, "app", "app", 45, 50)
		}, []string{"maxTasks", "agm-dr:capacity"}},
		{"season window above maxTasks", func(tg *switchover.CapacityTarget, _ *switchovertest.World) { tg.MaxTasks = 12 },
			[]string{"maxTasks", "agm-dr:season", "minTasks"}},
		{"role floor above maxTasks", func(tg *switchover.CapacityTarget, _ *switchovertest.World) {
			tg.MaxTasks, tg.Season = 4, switchover.Season{}
		},
			[]string{"maxTasks", "primaryTasks"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, eng, _ := loadGate(t, 10)
			tg, o := loadTarget(inJune)
			c.setup(&tg, w)
			_, err := eng.EnsureFloor(context.Background(), tg, o)
			require.Error(t, err)
			for _, k := range c.keys {
				assert.Contains(t, err.Error(), k)
			}
			assert.Equal(t, 2, w.Floor(osaka, "app", "app"), "nothing set")
		})
	}
}

// Running is not serving: the load balancer sends requests only to healthy
// targets, so the gate waits for them. Counting running tasks returns early.
func TestCapacityGateWaitsForHealthyTargets(t *testing.T) {
	offSeason := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	for _, withELB := range []bool{true, false} {
		w, eng, l := loadGate(t, 6)
		svc := w.AddService(osaka, "app", "app", 2, 40)
		svc.StartPerPoll, svc.Unhealthy = 10, 3 // three tasks run but fail the health check
		if !withELB {
			eng.ELB = nil
		}
		tg, o := loadTarget(offSeason)
		o.Timeout, o.Poll = 5*time.Minute, 10*time.Second
		_, err := eng.EnsureFloor(context.Background(), tg, o)
		if withELB {
			require.True(t, errors.Is(err, switchover.ErrTimeout), "the gate must not pass with 3 of 6 targets unhealthy: %v %s", err, l)
			assert.True(t, strings.Contains(l.String(), "healthy target"), "progress names healthy targets: %s", l)
		} else {
			require.NoError(t, err, "without target health the gate counts running tasks, and passes")
		}
	}
}
