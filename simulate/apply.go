package simulate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover"
)

// Resource types the world models. Every other resource's change is
// instant here (it does not move roles, capacity or traffic).
const (
	typeAuroraWriter = "agmdr:index:AuroraWriter"
	typeCachePrimary = "agmdr:index:CachePrimary"
	typeTraffic      = "agmdr:index:Traffic"
	typeCapacity     = "agmdr:index:Capacity"
	typeTarget       = "aws:appautoscaling/target:Target"
	typeRecord       = "aws:route53/record:Record"
)

// inputsRead lists, per switchover resource type, every input apply reads
// or deliberately replaces with the world's own identifiers (the capture's
// mock ARNs and ids are not AWS's). A test fails when the program passes an
// input not listed here, so the simulation cannot silently ignore a new one.
var inputsRead = map[string][]string{
	typeAuroraWriter: {"globalClusterId", "region", "clusterArn", "writer", "mode", "rpoBudgetSeconds", "timeoutSeconds",
		"pollSeconds", "cacheGlobalReplicationGroupId", "cacheReplicationGroupId"},
	typeCachePrimary: {"globalReplicationGroupId", "region", "replicationGroupId", "primary", "mode", "timeoutSeconds", "pollSeconds"},
	typeTraffic: {"zoneId", "recordName", "region", "primaryRegion", "loadBalancerDnsName", "loadBalancerZoneId", "healthCheckId",
		"clientTtlSeconds", "mode", "timeoutSeconds", "pollSeconds"},
	typeCapacity: {"region", "cluster", "service", "roleFloor", "maxTasks", "primary", "targetGroupArn", "peerRegion",
		"loadHoldSeconds", "timezone", "windows", "mode", "timeoutSeconds", "pollSeconds"},
}

func modeled(t string) bool {
	return t == typeAuroraWriter || t == typeCachePrimary || t == typeTarget || t == typeRecord ||
		strings.HasPrefix(t, "agmdr:")
}

// roleDiffers mirrors the provider's Diff: a resource declaring this region
// the holder of a role is updated while the real role is elsewhere.
func (d *deployment) roleDiffers(stack string, r capture.Resource) bool {
	region := config.RegionFor(stack)
	switch r.Type {
	case typeAuroraWriter:
		return boolIn(r, "writer") && d.w.aurora.writer != region
	case typeCachePrimary:
		return boolIn(r, "primary") && d.w.cache.primary != region
	}
	return false
}

func boolIn(r capture.Resource, key string) bool {
	v := r.Inputs[resource.PropertyKey(key)]
	return v.IsBool() && v.BoolValue()
}

func intIn(r capture.Resource, key string) int {
	v := r.Inputs[resource.PropertyKey(key)]
	if v.IsNumber() {
		return int(v.NumberValue())
	}
	return 0
}

func strIn(r capture.Resource, key string) string {
	v := r.Inputs[resource.PropertyKey(key)]
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// options converts a switchover resource's inputs to engine options, as the
// provider does, on the simulation's clock.
func options(r capture.Resource, clk switchover.Clock) (switchover.Options, error) {
	m, err := switchover.ParseMode(strIn(r, "mode"))
	if err != nil {
		return switchover.Options{}, err
	}
	sec := func(k string) time.Duration { return time.Duration(intIn(r, k)) * time.Second }
	return switchover.Options{Mode: m, RPOBudget: sec("rpoBudgetSeconds"), Timeout: sec("timeoutSeconds"),
		Poll: sec("pollSeconds"), Clock: clk}, nil
}

// apply runs one resource operation against the simulated AWS. Switchover
// resources run the real engine (package switchover) with the stack
// region's clients only, exactly as the agmdr provider does.
func (d *deployment) apply(ctx context.Context, stack string, r capture.Resource, clk actorClock) error {
	w := d.w
	region := config.RegionFor(stack)
	c := w.Clients(region)
	log := &engineLog{w: w, prefix: stack + ": "}
	switch r.Type {
	case typeAuroraWriter:
		o, err := options(r, clk)
		if err != nil {
			return err
		}
		eng := &switchover.Aurora{API: c.RDS, Lag: c.Lag, Log: log, Cache: &switchover.Cache{API: c.ElastiCache, Log: log}}
		if !boolIn(r, "writer") {
			_, err := eng.Describe(ctx, w.aurora.id, region)
			if err != nil {
				log.Warn("standby: could not read the writer: " + err.Error())
			}
			return nil
		}
		// The mock ARNs and ids of the capture are not AWS's; the world's are.
		t := switchover.AuroraTarget{GlobalClusterID: w.aurora.id, Region: region, ClusterArn: w.aurora.arn[region]}
		if strIn(r, "cacheGlobalReplicationGroupId") != "" || !r.Inputs["cacheGlobalReplicationGroupId"].IsNull() {
			t.Cache = &switchover.CacheTarget{GlobalReplicationGroupID: w.cache.id, Region: region, ReplicationGroupID: w.cache.group[region]}
		}
		_, err = eng.EnsureWriter(ctx, t, o)
		return err
	case typeTraffic:
		o, err := options(r, clk)
		if err != nil {
			return err
		}
		eng := &switchover.Traffic{API: c.Route53, Log: log}
		owner := strIn(r, "region") == strIn(r, "primaryRegion")
		_, err = eng.EnsureTraffic(ctx, switchover.TrafficTarget{ZoneID: "ZSIM", RecordName: w.dns.name, Primary: region,
			Standby: !owner, LoadBalancerDNSName: w.dns.target[region], LoadBalancerZoneID: "ZALB", HealthCheckID: "hc-" + region,
			ClientTTL: time.Duration(intIn(r, "clientTtlSeconds")) * time.Second}, o)
		if err != nil && switchover.IsControlPlane(err) {
			// As the provider does: the region's health-checked record exists, so the
			// health checks move traffic; the weight change waits for the control plane.
			if _, ok := w.dns.weight[region]; ok {
				log.Warn("Route 53's control plane refused the traffic change: traffic moves by health checks; " +
					"the weights change on the first `up` after it answers again")
				return eng.AwaitDataPlane(ctx, region, time.Duration(intIn(r, "clientTtlSeconds"))*time.Second, o)
			}
		}
		return err
	case typeCapacity:
		o, err := options(r, clk)
		if err != nil {
			return err
		}
		season := switchover.Season{Timezone: strIn(r, "timezone")}
		if ws := r.Inputs["windows"]; ws.IsArray() {
			for _, x := range ws.ArrayValue() {
				if !x.IsObject() {
					continue
				}
				m := capture.Resource{Inputs: x.ObjectValue()}
				season.Windows = append(season.Windows, switchover.Window{Name: strIn(m, "name"), Start: strIn(m, "start"),
					End: strIn(m, "end"), MinTasks: intIn(m, "minTasks")})
			}
		}
		eng := &switchover.Capacity{ECS: c.ECS, AutoScaling: c.AutoScaling, ELB: c.ELB, Log: log}
		t := switchover.CapacityTarget{Region: region, Cluster: strIn(r, "cluster"), Service: strIn(r, "service"),
			RoleFloor: intIn(r, "roleFloor"), MaxTasks: intIn(r, "maxTasks"), Season: season,
			Wait:           boolIn(r, "primary") && o.Mode == switchover.Planned && !w.mechanismOff(OffCapacityWait),
			TargetGroupArn: "tg/" + region, // the world's own id, as for the other resources
			Hold:           time.Duration(intIn(r, "loadHoldSeconds")) * time.Second}
		if peer := strIn(r, "peerRegion"); peer != "" && boolIn(r, "primary") && !w.mechanismOff(OffLoadFloor) {
			// As the provider: the new primary only; the engine reads it in planned mode only, read-only.
			t.OldPrimaryRegion, eng.OldPrimaryECS = peer, w.Clients(peer).ECS
		}
		_, err = eng.EnsureFloor(ctx, t, o)
		return err
	case typeCachePrimary:
		o, err := options(r, clk)
		if err != nil {
			return err
		}
		if !boolIn(r, "primary") {
			return nil
		}
		_, err = (&switchover.Cache{API: c.ElastiCache, Log: log}).EnsurePrimary(ctx, switchover.CacheTarget{
			GlobalReplicationGroupID: w.cache.id, Region: region, ReplicationGroupID: w.cache.group[region]}, o)
		return err
	case typeTarget:
		if err := clk.Sleep(ctx, w.P.ResourceUpdate); err != nil {
			return err
		}
		if err := w.endpoint(region, "RegisterScalableTarget"); err != nil {
			return err
		}
		// Pulumi sends only what the program does not ignore (ignoreChanges, read from
		// the captured program): the Capacity gate owns the floor.
		s := w.ecs[region]
		min, max := s.min, s.max
		if !capture.Ignored(r, "minCapacity") {
			min = intIn(r, "minCapacity")
		}
		if !capture.Ignored(r, "maxCapacity") {
			max = intIn(r, "maxCapacity")
		}
		s.setFloor(w, min, max, "pulumi up: scalable target")
		return nil
	case typeRecord:
		set := strIn(r, "setIdentifier")
		pol := r.Inputs["weightedRoutingPolicies"]
		if set == "" || !pol.IsArray() || len(pol.ArrayValue()) == 0 {
			return clk.Sleep(ctx, w.P.ResourceUpdate)
		}
		weight, _ := recordWeight(r)
		w.dns.setWeight(w, set, weight, "pulumi up -s "+stack+": its own record")
		return clk.Sleep(ctx, w.P.RecordSync)
	}
	return fmt.Errorf("simulate: no model for resource type %s (%s): add it to simulate/stacks.go", r.Type, r.Name)
}

// engineLog puts the engine's progress on the timeline.
type engineLog struct {
	w      *World
	prefix string
}

func (l *engineLog) Info(msg string) { l.w.log("engine", "%s%s", l.prefix, msg) }
func (l *engineLog) Status(string)   {}
func (l *engineLog) Warn(msg string) { l.w.log("engine", "%sWARNING %s", l.prefix, msg) }

// recordWeight reads a route53.Record's weighted routing policy.
func recordWeight(r capture.Resource) (int, bool) {
	pol := r.Inputs["weightedRoutingPolicies"]
	if !pol.IsArray() || len(pol.ArrayValue()) == 0 || !pol.ArrayValue()[0].IsObject() {
		return 0, false
	}
	wt := pol.ArrayValue()[0].ObjectValue()["weight"]
	if !wt.IsNumber() {
		return 0, false
	}
	return int(wt.NumberValue()), true
}
