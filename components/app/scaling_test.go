package app_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/components/app"
)

const scheduledT = "aws:appautoscaling/scheduledAction:ScheduledAction"

func TestAutoscalingTargetFollowsRoleCapacity(t *testing.T) {
	cases := []struct {
		name     string
		min, max int
	}{
		{"production primary", 6, 40},
		{"production standby", 2, 40},
		{"dev", 1, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs()
			args.MinTasks, args.MaxTasks = tc.min, tc.max
			args.Schedules[0].MinTasks = tc.max
			res := run(t, args)
			target := get(t, res, "aws:appautoscaling/target:Target", "app-scaling")
			assert.Equal(t, float64(tc.min), num(target.Inputs, "minCapacity"))
			assert.Equal(t, float64(tc.max), num(target.Inputs, "maxCapacity"))
			assert.Equal(t, "service/app/app", str(target.Inputs, "resourceId"))
			assert.Equal(t, "ecs:service:DesiredCount", str(target.Inputs, "scalableDimension"))
			assert.Contains(t, target.IgnoreChanges, "minCapacity",
				"the Capacity gate owns the floor: a Pulumi update would drop a season window's floor on a flip")

			svc := get(t, res, "aws:ecs/service:Service", "app-service")
			assert.Equal(t, float64(tc.min), num(svc.Inputs, "desiredCount"))
			assert.Contains(t, svc.IgnoreChanges, "desiredCount", "Pulumi would undo autoscaling on every update")
		})
	}
}

func TestTargetTrackingOnCpuAndRequests(t *testing.T) {
	res := run(t, validArgs())
	policies := res.Find("aws:appautoscaling/policy:Policy")
	require.Len(t, policies, 2)
	metrics := map[string]float64{}
	for _, p := range policies {
		assert.Equal(t, "TargetTrackingScaling", str(p.Inputs, "policyType"))
		cfg := obj(p.Inputs, "targetTrackingScalingPolicyConfiguration")
		spec := obj(cfg, "predefinedMetricSpecification")
		metrics[str(spec, "predefinedMetricType")] = num(cfg, "targetValue")
	}
	assert.Equal(t, map[string]float64{"ECSServiceAverageCPUUtilization": 60, "ALBRequestCountPerTarget": 1000}, metrics)
}

func TestEachScheduleRaisesThenRestoresTheFloor(t *testing.T) {
	cases := []struct {
		name           string
		base, seasonal int
		wantStartMin   int
	}{
		{"primary below the season floor", 6, 20, 20},
		{"standby below the season floor", 2, 20, 20},
		{"floor already above the season floor", 25, 20, 25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs()
			args.MinTasks, args.MaxTasks = tc.base, 40
			args.Schedules = []app.Schedule{
				{Name: "june-agm-peak", StartCron: "cron(0 7 15 6 ? *)", EndCron: "cron(0 21 30 6 ? *)", MinTasks: tc.seasonal},
				{Name: "march-egm", StartCron: "cron(0 8 20 3 ? *)", EndCron: "cron(0 18 20 3 ? *)", MinTasks: tc.seasonal},
			}
			res := run(t, args)
			assert.Len(t, res.Find(scheduledT), 4)
			for _, s := range args.Schedules {
				start := get(t, res, scheduledT, "app-"+s.Name+"-start")
				end := get(t, res, scheduledT, "app-"+s.Name+"-end")
				for _, act := range []struct {
					r    string
					cron string
					min  int
				}{{"start", s.StartCron, tc.wantStartMin}, {"end", s.EndCron, tc.base}} {
					r := start
					if act.r == "end" {
						r = end
					}
					assert.Equal(t, act.cron, str(r.Inputs, "schedule"), "%s %s", s.Name, act.r)
					assert.Equal(t, "Asia/Tokyo", str(r.Inputs, "timezone"))
					assert.Equal(t, "service/app/app", str(r.Inputs, "resourceId"))
					cap := obj(r.Inputs, "scalableTargetAction")
					assert.Equal(t, float64(act.min), num(cap, "minCapacity"), "%s %s min", s.Name, act.r)
					assert.Equal(t, 40.0, num(cap, "maxCapacity"), "%s %s max", s.Name, act.r)
				}
			}
		})
	}
}

func TestScheduledActionsAreSerialized(t *testing.T) {
	res := run(t, validArgs())
	end := get(t, res, scheduledT, "app-june-agm-peak-end")
	assert.True(t, slices.Contains(end.DependsOn, "urn:pulumi:tokyo::agm-dr::agm-dr:app:App$aws:appautoscaling/scheduledAction:ScheduledAction::app-june-agm-peak-start"),
		"end action may race the start action on the same scalable target: %v", end.DependsOn)
}

func TestNoSchedulesNeedNoTimezone(t *testing.T) {
	args := validArgs()
	args.Schedules, args.Timezone = nil, ""
	res := run(t, args)
	assert.Empty(t, res.Find(scheduledT))
}
