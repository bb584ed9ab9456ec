package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover"
)

// Traffic declares where the service name sends shareholders: only to
// primaryRegion's load balancer. Both stacks declare it with the same
// primaryRegion; only the stack of primaryRegion changes weights (one atomic
// batch: its record at 100, every other at 0), the other stack only makes its
// own health-checked record exist, so the two never fight. When Route 53's
// control plane refuses, the primary's stack falls back to the data plane
// (health checks) and leaves the weight change pending for the next `up`.
type Traffic struct {
	clients ClientFactory
	clock   switchover.Clock // nil: wall clock
}

// TrafficArgs are the inputs of Traffic.
type TrafficArgs struct {
	ZoneID              string `pulumi:"zoneId"`
	RecordName          string `pulumi:"recordName"`
	Region              string `pulumi:"region"`
	PrimaryRegion       string `pulumi:"primaryRegion"`
	LoadBalancerDNSName string `pulumi:"loadBalancerDnsName"`
	LoadBalancerZoneID  string `pulumi:"loadBalancerZoneId"`
	HealthCheckID       string `pulumi:"healthCheckId,optional"`
	ClientTTLSeconds    int    `pulumi:"clientTtlSeconds,optional"`
	Mode                string `pulumi:"mode,optional"`
	TimeoutSeconds      int    `pulumi:"timeoutSeconds,optional"`
	PollSeconds         int    `pulumi:"pollSeconds,optional"`
}

// TrafficState is the checkpointed state of Traffic.
type TrafficState struct {
	TrafficArgs
	// Records lists "region=weight" for every record of the name, when last read.
	Records []string `pulumi:"records"`
	// Checked lists the regions whose record carried a health check, when last read.
	Checked []string `pulumi:"checked,optional"`
	Record
}

func (r *Traffic) Annotate(a infer.Annotator) {
	a.SetToken("index", "Traffic")
	a.Describe(r, "Declares that all traffic of recordName goes to primaryRegion's load balancer. "+
		"The stack of primaryRegion makes it true with one atomic Route 53 change of both regions' "+
		"records and waits until it is INSYNC; the other stack only reads. Read reports the real records.")
}

func (a *TrafficArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.ZoneID, "Route 53 hosted zone of recordName.")
	an.Describe(&a.RecordName, "The name shareholders resolve.")
	an.Describe(&a.Region, "This stack's region (the record's set identifier).")
	an.Describe(&a.PrimaryRegion, "The region that gets all traffic; the same in both stacks.")
	an.Describe(&a.LoadBalancerDNSName, "This region's load balancer DNS name (used when this region is the primary).")
	an.Describe(&a.LoadBalancerZoneID, "This region's load balancer canonical hosted zone id.")
	an.Describe(&a.HealthCheckID, "This region's health check, attached to its record: its status is the data-plane routing decision.")
	an.Describe(&a.ClientTTLSeconds, "After INSYNC, wait this long (on top of timeoutSeconds) for answers cached before the change to expire (60 for an ALB alias; 0 = no wait).")
	an.Describe(&a.Mode, "\"planned\" or \"unplanned\"; recorded only.")
	an.Describe(&a.TimeoutSeconds, "Bound on one run (0 = 1800).")
	an.Describe(&a.PollSeconds, "Interval between GetChange calls while waiting for INSYNC (0 = 10).")
}

func (s *TrafficState) Annotate(an infer.Annotator) {
	an.Describe(&s.Records, "\"region=weight\" of every record of the name when last read; the primary's stack makes it <primaryRegion>=100 and every other =0.")
	an.Describe(&s.Checked, "Regions whose record carried a health check when last read: those Route 53 can fail over to on the data plane.")
}

func (*Traffic) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TrafficArgs], error) {
	args, fs, err := infer.DefaultCheck[TrafficArgs](ctx, req.NewInputs)
	if err != nil || len(fs) > 0 {
		return infer.CheckResponse[TrafficArgs]{Inputs: args, Failures: fs}, err
	}
	f := &failures{inputs: req.NewInputs}
	f.common(args.Mode, args.Region, args.TimeoutSeconds, args.PollSeconds)
	f.add("zoneId", args.ZoneID == "", "zoneId is required")
	f.add("recordName", args.RecordName == "", "recordName is required")
	f.add("primaryRegion", args.PrimaryRegion == "", "primaryRegion is required")
	f.add("clientTtlSeconds", args.ClientTTLSeconds < 0, "clientTtlSeconds must be >= 0")
	f.add("healthCheckId", args.HealthCheckID == "", "healthCheckId is required: this region's health check status is how traffic fails over without Route 53's control plane")
	return infer.CheckResponse[TrafficArgs]{Inputs: args, Failures: f.list}, nil
}

func (r *Traffic) Create(ctx context.Context, req infer.CreateRequest[TrafficArgs]) (infer.CreateResponse[TrafficState], error) {
	st, err := r.apply(ctx, req.Inputs, TrafficState{}, req.DryRun)
	id := req.Inputs.ZoneID + "/" + req.Inputs.RecordName + "/" + req.Inputs.Region
	return infer.CreateResponse[TrafficState]{ID: id, Output: st}, err
}

func (r *Traffic) Update(ctx context.Context, req infer.UpdateRequest[TrafficArgs, TrafficState]) (infer.UpdateResponse[TrafficState], error) {
	st, err := r.apply(ctx, req.Inputs, req.State, req.DryRun)
	return infer.UpdateResponse[TrafficState]{Output: st}, err
}

func (in TrafficArgs) owner() bool { return in.Region == in.PrimaryRegion }

func (r *Traffic) apply(ctx context.Context, in TrafficArgs, prev TrafficState, dryRun bool) (TrafficState, error) {
	st := TrafficState{TrafficArgs: in, Records: prev.Records, Checked: prev.Checked, Record: prev.Record}
	log := newReporter(ctx, fmt.Sprintf("traffic %s (%s): ", in.RecordName, in.Region))
	if dryRun {
		if in.owner() && !switchover.Sends(prev.Records, in.Region) {
			log.Info(fmt.Sprintf("will send all traffic to %s in one Route 53 change (every other record at weight 0)", in.Region))
		}
		return st, nil
	}
	opts, err := options(in.Mode, 0, in.TimeoutSeconds, in.PollSeconds)
	if err != nil {
		return st, err
	}
	opts.Clock = r.clock
	c, err := r.clients(ctx, in.Region)
	if err != nil {
		return st, err
	}
	eng := &switchover.Traffic{API: c.Route53, Log: log}
	tt := switchover.TrafficTarget{ZoneID: in.ZoneID, RecordName: in.RecordName, Primary: in.Region, Standby: !in.owner(),
		LoadBalancerDNSName: in.LoadBalancerDNSName, LoadBalancerZoneID: in.LoadBalancerZoneID,
		HealthCheckID: in.HealthCheckID, ClientTTL: seconds(in.ClientTTLSeconds)}
	out, err := eng.EnsureTraffic(ctx, tt, opts)
	if err != nil {
		if in.owner() && switchover.IsControlPlane(err) {
			if err := dataPlane(log, in, prev, err); err != nil {
				return st, err
			}
			return st, eng.AwaitDataPlane(ctx, in.Region, seconds(in.ClientTTLSeconds), opts)
		}
		return st, err
	}
	if rs, err := eng.Describe(ctx, in.ZoneID, in.RecordName); err == nil {
		st.Records, st.Checked = rs.Weights(), rs.Checked()
		if !in.owner() && slices.Contains(rs.Serving(), in.Region) {
			log.Warn(fmt.Sprintf("standby, but this region's record still has weight (%s): run `pulumi up` in %s's stack, it moves the weights (this stack never does)", rs, in.PrimaryRegion))
		} else if !in.owner() {
			log.Info("standby: traffic goes to " + strings.Join(rs.Serving(), ", "))
		}
	} else if in.owner() {
		// The change is INSYNC; a failed read afterwards only loses the other records' names.
		st.Records, st.Checked = switchover.OnlyTo(in.Region), []string{in.Region}
	}
	if out.Switched && in.owner() {
		st.Record = recordOf(out)
	}
	return st, nil
}

// dataPlane decides what an `up` of the primary's stack does when Route 53's control plane
// refused the traffic move: when this region's record exists with its health check (the
// last read saw it), Route 53 already answers it as soon as its check passes and the old
// primary's fails, with no control-plane call; the run succeeds, keeps the recorded weights
// (so the next `up` makes the change again) and says so; the caller then waits for the
// health checks and one TTL. Without that record there is no data-plane path and the error
// stands.
func dataPlane(log reporter, in TrafficArgs, prev TrafficState, err error) error {
	if !slices.Contains(prev.Checked, in.Region) {
		return fmt.Errorf("%w\n  no data-plane path: the last read of %s saw no health-checked record of %s (recorded: %v), "+
			"so traffic cannot fail over without Route 53's control plane; retry `pulumi up` when it answers", err, in.RecordName, in.Region, prev.Records)
	}
	stack := config.StackFor(in.Region)
	cause, _, _ := strings.Cut(err.Error(), "\n") // the AWS error, without the generic re-run hint
	log.Warn(fmt.Sprintf("Route 53's control plane did not take the traffic change (%s). Traffic moves on the data plane: "+
		"%s's record (health check %s) is answered as soon as its check passes and the old primary's fails (docs/switchover.md, "+
		"\"Traffic without Route 53's control plane\"). The weights still name the old primary (%v). Next step, once Route 53's "+
		"control plane answers again: `pulumi up --yes -s %s` (or `drctl switchover --to %s` again), which makes %s the weight holder in one change",
		cause, in.Region, in.HealthCheckID, prev.Records, stack, in.Region, in.Region))
	return nil
}

// Read reports the real records, so `pulumi refresh` shows a hand edit and the
// next `up` of the primary's stack puts the routing back.
func (r *Traffic) Read(ctx context.Context, req infer.ReadRequest[TrafficArgs, TrafficState]) (infer.ReadResponse[TrafficArgs, TrafficState], error) {
	st, in := req.State, req.Inputs
	if st.ZoneID == "" { // import: the ID is "<zoneId>/<recordName>/<region>"
		parts := strings.Split(req.ID, "/")
		if len(parts) != 3 {
			return infer.ReadResponse[TrafficArgs, TrafficState]{}, fmt.Errorf("traffic id %q: want <zoneId>/<recordName>/<region>", req.ID)
		}
		st.ZoneID, st.RecordName, st.Region = parts[0], parts[1], parts[2]
	}
	c, err := r.clients(ctx, st.Region)
	if err != nil {
		return infer.ReadResponse[TrafficArgs, TrafficState]{}, err
	}
	rs, err := (&switchover.Traffic{API: c.Route53}).Describe(ctx, st.ZoneID, st.RecordName)
	if switchover.IsControlPlane(err) {
		// A refresh must not need Route 53's control plane (us-east-1): keep what was recorded.
		newReporter(ctx, "").Warn(fmt.Sprintf("traffic %s: Route 53's control plane did not answer (%v): keeping the records as last read (%v)", st.RecordName, err, st.Records))
		return infer.ReadResponse[TrafficArgs, TrafficState]{ID: req.ID, Inputs: in, State: st}, nil
	}
	if err != nil {
		return infer.ReadResponse[TrafficArgs, TrafficState]{}, err
	}
	now := rs.Weights()
	if st.Records != nil && !slices.Equal(st.Records, now) {
		newReporter(ctx, "").Warn(fmt.Sprintf("traffic %s: now %s (recorded %v): changed outside this stack", st.RecordName, rs, st.Records))
	}
	st.Records, st.Checked = now, rs.Checked()
	return infer.ReadResponse[TrafficArgs, TrafficState]{ID: req.ID, Inputs: in, State: st}, nil
}

// Diff: an input changed, or this stack owns the traffic and the recorded
// routing is not "only this region".
func (*Traffic) Diff(_ context.Context, req infer.DiffRequest[TrafficArgs, TrafficState]) (infer.DiffResponse, error) {
	o, n := req.State.TrafficArgs, req.Inputs
	d := diffs{}
	d.input("zoneId", o.ZoneID != n.ZoneID)
	d.input("recordName", o.RecordName != n.RecordName)
	d.input("region", o.Region != n.Region)
	d.input("primaryRegion", o.PrimaryRegion != n.PrimaryRegion)
	d.input("loadBalancerDnsName", o.LoadBalancerDNSName != n.LoadBalancerDNSName)
	d.input("loadBalancerZoneId", o.LoadBalancerZoneID != n.LoadBalancerZoneID)
	d.input("healthCheckId", o.HealthCheckID != n.HealthCheckID)
	d.input("clientTtlSeconds", o.ClientTTLSeconds != n.ClientTTLSeconds)
	d.input("mode", o.Mode != n.Mode)
	d.input("timeoutSeconds", o.TimeoutSeconds != n.TimeoutSeconds)
	d.input("pollSeconds", o.PollSeconds != n.PollSeconds)
	if n.owner() && (!switchover.Sends(req.State.Records, n.Region) || !allChecked(req.State)) {
		d.input("primaryRegion", true)
	}
	if !n.owner() && !slices.Contains(req.State.Checked, n.Region) {
		d.input("healthCheckId", true) // the standby's own health-checked record is missing
	}
	return d.response(), nil
}

// allChecked: every record last read carried a health check (a record without one counts as
// healthy and would take traffic whatever its roles).
func allChecked(st TrafficState) bool {
	for _, w := range st.Records {
		region, _, _ := strings.Cut(w, "=")
		if !slices.Contains(st.Checked, region) {
			return false
		}
	}
	return true
}
