package stacks

// FlipAllowed is the flip contract (DESIGN.md §2) as data: per resource type, the inputs a
// change of primaryRegion may touch — the switchover engine's desired roles, capacity, traffic
// routing and alarm routing (an alarm's description states its threshold, so it moves with
// it). Tests, policies and `drctl plan` all check plans against this one list.
var FlipAllowed = map[string][]string{
	"agmdr:index:AuroraWriter":                           {"writer"},
	"agmdr:index:CachePrimary":                           {"primary"},
	"aws:appautoscaling/target:Target":                   {"minCapacity"},
	"aws:appautoscaling/scheduledAction:ScheduledAction": {"scalableTargetAction"},
	"aws:ecs/service:Service":                            {"desiredCount"},
	"aws:route53/record:Record":                          {"weightedRoutingPolicies"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":             {"actionsEnabled", "threshold", "alarmDescription"},
	"aws:cloudwatch/dashboard:Dashboard":                 {"dashboardBody"},
}
