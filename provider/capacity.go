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
// apply time, and on the new primary in planned mode waits until that many
// tasks run. The writer, cache and traffic resources depend on it, so roles
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
	Timezone       string         `pulumi:"timezone,optional"`
	Windows        []SeasonWindow `pulumi:"windows,optional"`
	Mode           string         `pulumi:"mode,optional"`
	TimeoutSeconds int            `pulumi:"timeoutSeconds,optional"`
	PollSeconds    int            `pulumi:"pollSeconds,optional"`
}

// CapacityState is the checkpointed state of Capacity.
type CapacityState struct {
	CapacityArgs
	Floor   int    `pulumi:"floor"`
	Window  string `pulumi:"window"`
	Running int    `pulumi:"running"`
}

func (r *Capacity) Annotate(a infer.Annotator) {
	a.SetToken("index", "Capacity")
	a.Describe(r, "Readiness gate of an ECS service: sets its autoscaling floor to max(roleFloor, active season "+
		"window floor) when applied and, on the primary in planned mode, waits until that many tasks run.")
}

func (a *CapacityArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Region, "This stack's region; the only region whose endpoints are called.")
	an.Describe(&a.Cluster, "ECS cluster name.")
	an.Describe(&a.Service, "ECS service name.")
	an.Describe(&a.RoleFloor, "Task floor of this region's role (primaryTasks or standbyTasks).")
	an.Describe(&a.MaxTasks, "Autoscaling maximum.")
	an.Describe(&a.Primary, "true: this region is (becoming) the primary; in planned mode the gate waits for the tasks.")
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
	st := CapacityState{CapacityArgs: in, Floor: prev.Floor, Window: prev.Window, Running: prev.Running}
	log := newReporter(ctx, fmt.Sprintf("capacity %s/%s (%s): ", in.Cluster, in.Service, in.Region))
	opts, err := options(in.Mode, 0, in.TimeoutSeconds, in.PollSeconds)
	if err != nil {
		return st, err
	}
	opts.Clock = r.clock
	if dryRun {
		log.Info(fmt.Sprintf("will set the task floor to max(%d, active season window)", in.RoleFloor))
		return st, nil
	}
	c, err := r.clients(ctx, in.Region)
	if err != nil {
		return st, err
	}
	eng := &switchover.Capacity{ECS: c.ECS, AutoScaling: c.AutoScaling, Log: log}
	out, err := eng.EnsureFloor(ctx, switchover.CapacityTarget{Region: in.Region, Cluster: in.Cluster, Service: in.Service,
		RoleFloor: in.RoleFloor, MaxTasks: in.MaxTasks, Season: in.season(),
		Wait: in.Primary && opts.Mode == switchover.Planned}, opts)
	if err != nil {
		return st, err
	}
	st.Floor, st.Window, st.Running = out.Floor, out.Window, out.Running
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
