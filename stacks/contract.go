package stacks

// FlipAllowed is the flip contract (docs/architecture.md) as data: per resource type, the inputs a
// change of primaryRegion may touch — the switchover engine's desired roles, capacity, traffic
// routing and alarm routing (an alarm's description states its threshold, so it moves with
// it). The autoscaling target's and the ECS service's counts change as inputs but are ignored
// after creation: the Capacity gate owns the floor. Tests, policies and `drctl plan` all check
// plans against this one list.
var FlipAllowed = map[string][]string{
	"agmdr:index:AuroraWriter":                           {"writer"},
	"agmdr:index:CachePrimary":                           {"primary"},
	"agmdr:index:Capacity":                               {"roleFloor", "primary"},
	"agmdr:index:Traffic":                                {"primaryRegion"},
	"aws:appautoscaling/target:Target":                   {"minCapacity"},
	"aws:appautoscaling/scheduledAction:ScheduledAction": {"scalableTargetAction"},
	"aws:ecs/service:Service":                            {"desiredCount"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":             {"actionsEnabled", "threshold", "alarmDescription"},
	"aws:cloudwatch/dashboard:Dashboard":                 {"dashboardBody"},
}
