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

var june = switchover.Season{Timezone: "Asia/Tokyo", Windows: []switchover.Window{
	{Name: "june-agm-peak", Start: "06-20 08:00", End: "06-30 20:00", MinTasks: 20}}}

func TestSeasonFloorAt(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	cases := []struct {
		at     time.Time
		floor  int
		window string
	}{
		{time.Date(2026, 6, 26, 10, 0, 0, 0, jst), 20, "june-agm-peak"},
		{time.Date(2026, 6, 20, 8, 0, 0, 0, jst), 20, "june-agm-peak"}, // start is inside
		{time.Date(2026, 6, 20, 7, 59, 0, 0, jst), 0, ""},
		{time.Date(2026, 6, 30, 20, 0, 0, 0, jst), 0, ""},                     // end is outside
		{time.Date(2026, 6, 30, 10, 59, 0, 0, time.UTC), 20, "june-agm-peak"}, // 19:59 JST
		{time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), 0, ""},
	}
	for _, c := range cases {
		f, w, err := june.FloorAt(c.at)
		require.NoError(t, err)
		assert.Equal(t, c.floor, f, "%s", c.at)
		assert.Equal(t, c.window, w, "%s", c.at)
	}
}

func TestCapacityGate(t *testing.T) {
	inJune := time.Date(2026, 6, 26, 1, 0, 0, 0, time.UTC)
	offSeason := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	cases := []struct {
		name               string
		now                time.Time
		roleFloor          int
		wait               bool
		before             int // running = desired = floor before
		wantFloor          int
		wantRunningAtLeast int
	}{
		{"new primary off-season waits for primaryTasks", offSeason, 6, true, 2, 6, 6},
		{"new primary in June keeps the season floor 20", inJune, 6, true, 20, 20, 20},
		{"new primary in June from a standby at 2", inJune, 6, true, 2, 20, 20},
		{"old primary becoming standby in June keeps 20, not 2", inJune, 2, false, 20, 20, 20},
		{"old primary becoming standby off-season lowers the floor to 2", offSeason, 2, false, 6, 2, 6},
		{"unplanned: floor raised, no wait", offSeason, 6, false, 2, 6, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := switchovertest.NewWorld()
			w.AddService(osaka, "app", "app", c.before, 40)
			l := &logs{}
			eng := &switchover.Capacity{ECS: w.ECS(osaka), AutoScaling: w.AutoScaling(osaka), Log: l}
			o := fast(switchover.Planned)
			o.Clock = switchovertest.NewClock(c.now)
			out, err := eng.EnsureFloor(context.Background(), switchover.CapacityTarget{Region: osaka, Cluster: "app", Service: "app",
				RoleFloor: c.roleFloor, MaxTasks: 40, Season: june, Wait: c.wait}, o)
			require.NoError(t, err, l)
			assert.Equal(t, c.wantFloor, out.Floor)
			assert.Equal(t, c.wantFloor, w.Floor(osaka, "app", "app"), "the autoscaling floor the gate set")
			_, running := w.Tasks(osaka, "app", "app")
			assert.GreaterOrEqual(t, running, c.wantRunningAtLeast)
			if c.wait {
				assert.GreaterOrEqual(t, out.Running, c.wantFloor, "the gate returned before the floor ran: %s", l)
			}
			assert.Empty(t, w.Calls(tokyo), "region-local clients only")
		})
	}
}

func TestCapacityGateTimesOutWhenTasksNeverStart(t *testing.T) {
	w := switchovertest.NewWorld()
	s := w.AddService(osaka, "app", "app", 2, 40)
	s.StartPerPoll = 0 // e.g. no Fargate capacity, or the image does not start
	eng := &switchover.Capacity{ECS: w.ECS(osaka), AutoScaling: w.AutoScaling(osaka)}
	o := fast(switchover.Planned)
	o.Clock, o.Timeout, o.Poll = switchovertest.NewClock(t0), 10*time.Minute, 10*time.Second
	_, err := eng.EnsureFloor(context.Background(), switchover.CapacityTarget{Region: osaka, Cluster: "app", Service: "app",
		RoleFloor: 6, MaxTasks: 40, Wait: true}, o)
	require.ErrorIs(t, err, switchover.ErrTimeout)
}
