package cost

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/agm-dr/agm-dr/capture"
)

// serverlessACUHours is the cluster's minimum capacity for every hour of the month: an idle
// drill environment stays at its floor.
func serverlessACUHours(_ capture.Resource, s Scope) float64 {
	for _, c := range s.Stack.Find("aws:rds/cluster:Cluster") {
		cfg := c.Inputs["serverlessv2ScalingConfiguration"]
		if cfg.IsObject() {
			if m := cfg.ObjectValue()["minCapacity"]; m.IsNumber() {
				return m.NumberValue() * HoursPerMonth
			}
		}
	}
	return 0
}

// cacheNodeType is a group's node type, or for a secondary (which inherits it) the home group's.
func cacheNodeType(r capture.Resource, s Scope) string {
	if t := str(r, "nodeType"); t != "" {
		return t
	}
	for _, res := range append([]*capture.Result{s.Stack}, s.Others...) {
		for _, g := range res.Find(r.Type) {
			if t := str(g, "nodeType"); t != "" {
				return t
			}
		}
	}
	return "unknown: no group in any stack sets nodeType"
}

func cacheNodeHours(r capture.Resource, _ Scope) float64 {
	return num(r, "numCacheClusters") * HoursPerMonth
}

// fargate is the service's desired tasks × the task size in units (cpu/1024 vCPU, memory/1024
// GB) × the hours of the month.
func fargate(key string, per float64) Usage {
	return func(r capture.Resource, s Scope) float64 {
		tasks := num(r, "desiredCount")
		for _, td := range s.Stack.Find("aws:ecs/taskDefinition:TaskDefinition") {
			return tasks * num(td, key) / per * HoursPerMonth
		}
		return 0
	}
}

// healthCheckFeatures counts the optional, separately priced features of a health check.
func healthCheckFeatures(r capture.Resource, _ Scope) float64 {
	n := 0.0
	switch str(r, "type") {
	case "HTTPS":
		n++
	case "HTTPS_STR_MATCH": // HTTPS and string matching, each a feature
		n += 2
	}
	if flag(r, "measureLatency") {
		n++
	}
	if v := r.Inputs[resource.PropertyKey("requestInterval")]; v.IsNumber() && v.NumberValue() == 10 {
		n++
	}
	return n
}
