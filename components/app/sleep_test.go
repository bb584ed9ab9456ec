package app_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAsleepRunsNoTaskAndSchedulesNoSeason: asleep, the service starts at zero, autoscaling
// may neither keep nor start a task, and no season window is scheduled; awake, the same args
// run MinTasks and schedule the window.
func TestAsleepRunsNoTaskAndSchedulesNoSeason(t *testing.T) {
	for _, tc := range []struct {
		asleep             bool
		min, max           float64
		desired, scheduled int
	}{
		{asleep: false, min: 6, max: 40, desired: 6, scheduled: 2},
		{asleep: true, min: 0, max: 0, desired: 0, scheduled: 0},
	} {
		args := validArgs()
		args.Asleep = tc.asleep
		res := run(t, args)
		target := get(t, res, "aws:appautoscaling/target:Target", "app-scaling")
		assert.Equal(t, tc.min, num(target.Inputs, "minCapacity"), "asleep=%v", tc.asleep)
		assert.Equal(t, tc.max, num(target.Inputs, "maxCapacity"), "asleep=%v", tc.asleep)
		svc := get(t, res, "aws:ecs/service:Service", "app-service")
		assert.Equal(t, float64(tc.desired), num(svc.Inputs, "desiredCount"), "asleep=%v", tc.asleep)
		assert.Len(t, res.Find("aws:appautoscaling/scheduledAction:ScheduledAction"), tc.scheduled, "asleep=%v", tc.asleep)
		assert.Len(t, res.Find("aws:lb/loadBalancer:LoadBalancer"), 1, "the load balancer stays (DNS and health checks point at it)")
	}
}
