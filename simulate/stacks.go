package simulate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/switchover"
)

// deployment is the simulated Pulumi state: the project config (what
// Pulumi.yaml says) and, per stack, the inputs each resource was last
// applied with, so a re-run after a failure retries only what did not
// finish, as `pulumi up` does.
type deployment struct {
	w       *World
	progs   *programs
	sched   *sched
	primary string
	mode    config.Mode
	applied map[string]map[string]resource.PropertyMap // stack → resource key → inputs
	outputs map[string]map[string]any
	// upDone is when the last successful `up` of each stack ended.
	upDone map[string]time.Time
}

// Primary implements runbook.Project.
func (d *deployment) Primary(context.Context) (string, error) { return d.primary, nil }

// SetPrimary implements runbook.Project.
func (d *deployment) SetPrimary(_ context.Context, region string, mode config.Mode) (bool, error) {
	changed := d.primary != region || d.mode != mode
	d.primary, d.mode = region, mode
	if changed {
		d.w.log("operator", "sets primaryRegion = %s, mode %s in Pulumi.yaml", region, mode)
	}
	return changed, nil
}

// Preview implements runbook.Stacks (unused by a switchover).
func (d *deployment) Preview(context.Context, string) (int, error) { return 0, nil }

// LastUpdate implements runbook.Stacks (unused by a switchover).
func (d *deployment) LastUpdate(context.Context, string) (runbook.Update, error) {
	return runbook.Update{}, nil
}

// Outputs implements runbook.Stacks: those of the last successful up.
func (d *deployment) Outputs(_ context.Context, stack string) (map[string]any, error) {
	return d.outputs[stack], nil
}

// op is one resource operation of an up.
type op struct {
	res     capture.Resource
	urn     string
	deps    map[string]bool
	started bool
	done    bool
	err     error
	start   time.Time
	end     time.Time
}

// Up implements runbook.Stacks: the real program's changes for this stack,
// applied in its dependency order, parallel where Pulumi runs them in
// parallel, each against the simulated AWS.
func (d *deployment) Up(ctx context.Context, stack string, progress func(runbook.Line)) (runbook.UpResult, error) {
	w := d.w
	say := func(format string, args ...any) {
		if progress != nil {
			progress(runbook.Line{At: w.now, Stack: stack, Text: fmt.Sprintf(format, args...)})
		}
	}
	all, err := d.progs.run(d.primary, d.mode)
	if err != nil {
		return runbook.UpResult{}, err
	}
	res := all[stack]
	g := newGraph(stack, res)
	var ops []*op
	for _, r := range res.Resources {
		prev, deployed := d.applied[stack][r.Key()]
		if !modeled(r.Type) {
			continue
		}
		if deployed && equalInputs(prev, r.Inputs) && !d.roleDiffers(stack, r) {
			continue
		}
		u := urnOf(stack, r)
		ops = append(ops, &op{res: r, urn: u, deps: g.deps(u)})
	}
	w.log("pulumi", "up -s %s starts (%d operations to run)", stack, len(ops))
	w.sleep(w.P.UpOverhead / 2)
	if err := ctx.Err(); err != nil {
		return runbook.UpResult{}, err
	}
	failed := false
	for {
		started := 0
		for _, o := range ops {
			if o.started || failed || !d.ready(o, ops) {
				continue
			}
			started++
			o.started, o.start = true, w.now
			say("%s: updating", name(o.res))
			d.sched.spawn(func(clk actorClock) {
				o.err = d.apply(ctx, stack, o.res, clk)
				o.done, o.end = true, w.now
			})
		}
		for _, o := range ops {
			if o.done && o.err != nil {
				failed = true
			}
		}
		// Operations that finished without sleeping may have made others
		// ready: go round again before deciding the up is over.
		if !d.sched.step() && started == 0 {
			break
		}
	}
	out := runbook.UpResult{Changes: map[string]int{}}
	var errs []error
	for _, o := range ops {
		if !o.started {
			continue
		}
		out.Changes["update"]++
		out.Ops = append(out.Ops, report.Op{Resource: o.res.Name, Type: o.res.Type, Op: "update", Start: o.start, End: o.end,
			Seconds: report.Seconds(o.end.Sub(o.start)), Failed: o.err != nil})
		if o.err != nil {
			say("%s: FAILED: %v", name(o.res), o.err)
			w.log("pulumi", "up -s %s: %s failed: %s", stack, name(o.res), firstLine(o.err))
			errs = append(errs, fmt.Errorf("%s: %w", name(o.res), o.err))
			continue
		}
		say("%s: updated in %s", name(o.res), report.Human(report.Seconds(o.end.Sub(o.start))))
		d.applied[stack][o.res.Key()] = o.res.Inputs
	}
	if len(errs) > 0 {
		w.log("pulumi", "up -s %s FAILED", stack)
		return out, errors.Join(errs...)
	}
	for _, r := range res.Resources {
		d.applied[stack][r.Key()] = r.Inputs
	}
	w.sleep(w.P.UpOverhead / 2)
	d.upDone[stack] = w.now
	d.outputs[stack] = map[string]any{
		runbook.OutPrimaryRegion:    d.primary,
		runbook.OutSwitchoverWriter: w.aurora.writer,
		runbook.OutSwitchoverCache:  w.cache.primary,
	}
	w.log("pulumi", "up -s %s done", stack)
	return out, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func (d *deployment) ready(o *op, ops []*op) bool {
	for _, x := range ops {
		if x != o && o.deps[x.urn] && (!x.done || x.err != nil) {
			return false
		}
	}
	return true
}

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
		if strIn(r, "region") != strIn(r, "primaryRegion") {
			if _, err := eng.Describe(ctx, "ZSIM", w.dns.name); err != nil {
				log.Warn("standby: could not read the records: " + err.Error())
			}
			return nil
		}
		_, err = eng.EnsureTraffic(ctx, switchover.TrafficTarget{ZoneID: "ZSIM", RecordName: w.dns.name, Primary: region,
			LoadBalancerDNSName: w.dns.target[region], LoadBalancerZoneID: "ZALB", HealthCheckID: "hc-" + region}, o)
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
		_, err = (&switchover.Capacity{ECS: c.ECS, AutoScaling: c.AutoScaling, Log: log}).EnsureFloor(ctx, switchover.CapacityTarget{
			Region: region, Cluster: strIn(r, "cluster"), Service: strIn(r, "service"), RoleFloor: intIn(r, "roleFloor"),
			MaxTasks: intIn(r, "maxTasks"), Season: season, Wait: boolIn(r, "primary") && o.Mode == switchover.Planned}, o)
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
		w.ecs[region].setFloor(w, intIn(r, "minCapacity"), intIn(r, "maxCapacity"), "pulumi up: scalable target minCapacity")
		return nil
	case typeRecord:
		set := strIn(r, "setIdentifier")
		pol := r.Inputs["weightedRoutingPolicies"]
		if set == "" || !pol.IsArray() || len(pol.ArrayValue()) == 0 {
			return clk.Sleep(ctx, w.P.ResourceUpdate)
		}
		wt := pol.ArrayValue()[0]
		weight := 0
		if wt.IsObject() && wt.ObjectValue()["weight"].IsNumber() {
			weight = int(wt.ObjectValue()["weight"].NumberValue())
		}
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
