package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/agm-dr/agm-dr/switchover"
)

// Capacity is the readiness gate of one region's ECS service: it sets the
// autoscaling floor to max(roleFloor, the active season window's floor) at
// apply time, on the new primary in planned mode also to the old primary's
// current desired count (read-only, in oldPrimaryRegion), and there waits
// until that many targets are healthy in the service's target group. The writer, cache and traffic resources depend on it, so roles
// and traffic move only onto a region that can carry the load. The season
// windows are static inputs: the program never reads the clock.
type Capacity struct {
	clients ClientFactory
	clock   switchover.Clock // nil: wall clock
}

// SeasonWindow is one yearly window, as in config.
type SeasonWindow struct {
	Name     string `pulumi:"name"`
	Start    string `pulumi:"start"`
	End      string `pulumi:"end"`
	MinTasks int    `pulumi:"minTasks"`
}

// CapacityArgs are the inputs of Capacity.
type CapacityArgs struct {
	Region         string         `pulumi:"region"`
	Cluster        string         `pulumi:"cluster"`
	Service        string         `pulumi:"service"`
	RoleFloor      int            `pulumi:"roleFloor"`
	MaxTasks       int            `pulumi:"maxTasks"`
	Primary        bool           `pulumi:"primary"`
	TargetGroupArn string         `pulumi:"targetGroupArn,optional"`
	PeerRegion     string         `pulumi:"peerRegion,optional"`
	PeerCluster    string         `pulumi:"peerCluster,optional"`
	PeerService    string         `pulumi:"peerService,optional"`
	LoadHoldSecs   int            `pulumi:"loadHoldSeconds,optional"`
	Timezone       string         `pulumi:"timezone,optional"`
	Windows        []SeasonWindow `pulumi:"windows,optional"`
	Mode           string         `pulumi:"mode,optional"`
	TimeoutSeconds int            `pulumi:"timeoutSeconds,optional"`
	PollSeconds    int            `pulumi:"pollSeconds,optional"`
}

// CapacityState is the checkpointed state of Capacity.
type CapacityState struct {
	CapacityArgs
	Floor       int    `pulumi:"floor"`
	Window      string `pulumi:"window"`
	FloorSource string `pulumi:"floorSource"`
	Running     int    `pulumi:"running"`
}

func (r *Capacity) Annotate(a infer.Annotator) {
	a.SetToken("index", "Capacity")
	a.Describe(r, "Readiness gate of an ECS service: sets its autoscaling floor to max(roleFloor, active season "+
		"window floor, in planned mode the old primary's desired count) when applied and, on the primary in planned "+
		"mode, waits until that many targets are healthy in its target group.")
}

func (a *CapacityArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Region, "This stack's region; the only region whose endpoints are called.")
	an.Describe(&a.Cluster, "ECS cluster name.")
	an.Describe(&a.Service, "ECS service name.")
	an.Describe(&a.RoleFloor, "Task floor of this region's role (primaryTasks or standbyTasks).")
	an.Describe(&a.MaxTasks, "Autoscaling maximum.")
	an.Describe(&a.Primary, "true: this region is (becoming) the primary; in planned mode the gate waits for the tasks.")
	an.Describe(&a.TargetGroupArn, "The service's load balancer target group; the wait counts its healthy targets.")
	an.Describe(&a.PeerRegion, "The other region. On the primary in planned mode its service's desired count is read "+
		"(ecs:DescribeServices only) and raises the floor; unplanned runs never call it.")
	an.Describe(&a.PeerCluster, "The other region's ECS cluster name, when it differs from cluster (an adopted home keeps its own).")
	an.Describe(&a.PeerService, "The other region's ECS service name, when it differs from service.")
	an.Describe(&a.LoadHoldSecs, "How long a floor raised to the old primary's load stays before a one-time scheduled "+
		"action returns it to the role/season floor (0 = 1800).")
	an.Describe(&a.Timezone, "IANA time zone of the season windows.")
	an.Describe(&a.Windows, "AGM-season windows (\"MM-DD HH:MM\"); the active one's floor is kept across a flip.")
	an.Describe(&a.Mode, "\"planned\" waits for the tasks; \"unplanned\" raises the floor and goes on.")
	an.Describe(&a.TimeoutSeconds, "Bound on one run (0 = 1800).")
	an.Describe(&a.PollSeconds, "Interval between DescribeServices calls while waiting (0 = 10).")
}

func (*Capacity) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[CapacityArgs], error) {
	args, fs, err := infer.DefaultCheck[CapacityArgs](ctx, req.NewInputs)
	if err != nil || len(fs) > 0 {
		return infer.CheckResponse[CapacityArgs]{Inputs: args, Failures: fs}, err
	}
	f := &failures{inputs: req.NewInputs}
	f.common(args.Mode, args.Region, args.TimeoutSeconds, args.PollSeconds)
	// 0 is a sleeping dev environment's floor (no task runs); a serving region's floor comes
	// from config, which refuses fewer than one task.
	f.add("roleFloor", args.RoleFloor < 0, "roleFloor must be >= 0")
	f.add("maxTasks", args.MaxTasks < args.RoleFloor, "maxTasks (%d) must be >= roleFloor (%d)", args.MaxTasks, args.RoleFloor)
	for _, w := range args.Windows {
		f.add("windows", w.MinTasks > args.MaxTasks, "season window %s: minTasks (%d) must be <= maxTasks (%d)", w.Name, w.MinTasks, args.MaxTasks)
	}
	f.add("peerRegion", args.PeerRegion != "" && args.PeerRegion == args.Region, "peerRegion must be the other region, not %s", args.Region)
	f.add("loadHoldSeconds", args.LoadHoldSecs < 0, "loadHoldSeconds must be >= 0")
	_, _, serr := args.season().FloorAt(timeZero)
	f.add("windows", serr != nil, "%v", serr)
	return infer.CheckResponse[CapacityArgs]{Inputs: args, Failures: f.list}, nil
}

func (a CapacityArgs) season() switchover.Season {
	s := switchover.Season{Timezone: a.Timezone}
	for _, w := range a.Windows {
		s.Windows = append(s.Windows, switchover.Window{Name: w.Name, Start: w.Start, End: w.End, MinTasks: w.MinTasks})
	}
	return s
}

func (r *Capacity) Create(ctx context.Context, req infer.CreateRequest[CapacityArgs]) (infer.CreateResponse[CapacityState], error) {
	st, err := r.apply(ctx, req.Inputs, CapacityState{}, req.DryRun)
	return infer.CreateResponse[CapacityState]{ID: req.Inputs.Region + "/" + req.Inputs.Cluster + "/" + req.Inputs.Service, Output: st}, err
}

func (r *Capacity) Update(ctx context.Context, req infer.UpdateRequest[CapacityArgs, CapacityState]) (infer.UpdateResponse[CapacityState], error) {
	st, err := r.apply(ctx, req.Inputs, req.State, req.DryRun)
	return infer.UpdateResponse[CapacityState]{Output: st}, err
}

func (r *Capacity) apply(ctx context.Context, in CapacityArgs, prev CapacityState, dryRun bool) (CapacityState, error) {
	st := CapacityState{CapacityArgs: in, Floor: prev.Floor, Window: prev.Window, FloorSource: prev.FloorSource, Running: prev.Running}
	log := newReporter(ctx, fmt.Sprintf("capacity %s/%s (%s): ", in.Cluster, in.Service, in.Region))
	opts, err := options(in.Mode, 0, in.TimeoutSeconds, in.PollSeconds)
	if err != nil {
		return st, err
	}
	opts.Clock = r.clock
	if dryRun {
		if in.Primary && opts.Mode == switchover.Planned && in.PeerRegion != "" {
			log.Info(fmt.Sprintf("will set the task floor to max(%d, active season window, the desired count in %s)", in.RoleFloor, in.PeerRegion))
		} else {
			log.Info(fmt.Sprintf("will set the task floor to max(%d, active season window)", in.RoleFloor))
		}
		return st, nil
	}
	c, err := r.clients(ctx, in.Region)
	if err != nil {
		return st, err
	}
	planned := in.Primary && opts.Mode == switchover.Planned
	eng := &switchover.Capacity{ECS: c.ECS, AutoScaling: c.AutoScaling, ELB: c.ELB, Log: log}
	t := switchover.CapacityTarget{Region: in.Region, Cluster: in.Cluster, Service: in.Service,
		RoleFloor: in.RoleFloor, MaxTasks: in.MaxTasks, Season: in.season(), Wait: planned,
		TargetGroupArn: in.TargetGroupArn, Hold: seconds(in.LoadHoldSecs)}
	if planned && in.PeerRegion != "" {
		// The one call outside this stack's region, read-only and in planned mode only: an
		// unplanned failover builds no client for the failed region.
		// Without a client the engine reports its fallback rule.
		t.OldPrimaryRegion, t.OldPrimaryCluster, t.OldPrimaryService = in.PeerRegion, in.PeerCluster, in.PeerService
		if peer, err := r.clients(ctx, in.PeerRegion); err == nil {
			eng.OldPrimaryECS = peer.ECS
		}
	}
	out, err := eng.EnsureFloor(ctx, t, opts)
	if err != nil {
		return st, err
	}
	st.Floor, st.Window, st.FloorSource, st.Running = out.Floor, out.Window, out.Source, out.Running
	return st, nil
}

// Read reports the real floor and running tasks, so `pulumi refresh` shows a
// floor lowered by hand and the next `up` raises it again.
func (r *Capacity) Read(ctx context.Context, req infer.ReadRequest[CapacityArgs, CapacityState]) (infer.ReadResponse[CapacityArgs, CapacityState], error) {
	st := req.State
	c, err := r.clients(ctx, st.Region)
	if err != nil {
		return infer.ReadResponse[CapacityArgs, CapacityState]{}, err
	}
	eng := &switchover.Capacity{ECS: c.ECS, AutoScaling: c.AutoScaling}
	t := switchover.CapacityTarget{Region: st.Region, Cluster: st.Cluster, Service: st.Service}
	floor, ok, err := eng.CurrentFloor(ctx, t)
	if err != nil {
		return infer.ReadResponse[CapacityArgs, CapacityState]{}, err
	}
	if ok {
		st.Floor = floor
	}
	if svc, err := eng.Service(ctx, t); err == nil {
		st.Running = svc.Running
	}
	return infer.ReadResponse[CapacityArgs, CapacityState]{ID: req.ID, Inputs: req.Inputs, State: st}, nil
}

// Diff: inputs, or a recorded floor below the role's (lowered by hand). Season
// windows starting and ending between flips are the scheduled actions' job.
func (*Capacity) Diff(_ context.Context, req infer.DiffRequest[CapacityArgs, CapacityState]) (infer.DiffResponse, error) {
	o, n := req.State.CapacityArgs, req.Inputs
	d := diffs{}
	d.input("region", o.Region != n.Region)
	d.input("cluster", o.Cluster != n.Cluster)
	d.input("service", o.Service != n.Service)
	d.input("roleFloor", o.RoleFloor != n.RoleFloor)
	d.input("maxTasks", o.MaxTasks != n.MaxTasks)
	d.input("primary", o.Primary != n.Primary)
	d.input("targetGroupArn", o.TargetGroupArn != n.TargetGroupArn)
	d.input("peerRegion", o.PeerRegion != n.PeerRegion)
	d.input("peerCluster", o.PeerCluster != n.PeerCluster)
	d.input("peerService", o.PeerService != n.PeerService)
	d.input("loadHoldSeconds", o.LoadHoldSecs != n.LoadHoldSecs)
	d.input("timezone", o.Timezone != n.Timezone)
	d.input("windows", fmt.Sprint(o.Windows) != fmt.Sprint(n.Windows))
	d.input("mode", o.Mode != n.Mode)
	d.input("timeoutSeconds", o.TimeoutSeconds != n.TimeoutSeconds)
	d.input("pollSeconds", o.PollSeconds != n.PollSeconds)
	if req.State.Floor < n.RoleFloor {
		d.input("roleFloor", true)
	}
	return d.response(), nil
}

// timeZero is any instant: Check only validates that the windows parse.
var timeZero = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
