package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/agm-dr/agm-dr/switchover"
)

// Traffic declares where the service name sends shareholders: only to
// primaryRegion's load balancer. Both stacks declare it with the same
// primaryRegion; only the stack of primaryRegion changes Route 53 (one atomic
// batch: its record at weight 100, every other record of the name deleted), the
// other stack only reads, so the two never fight.
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
	an.Describe(&a.HealthCheckID, "This region's health check, attached to its record for visibility.")
	an.Describe(&a.ClientTTLSeconds, "After INSYNC, wait this long (on top of timeoutSeconds) for answers cached before the change to expire (60 for an ALB alias; 0 = no wait).")
	an.Describe(&a.Mode, "\"planned\" or \"unplanned\"; recorded only.")
	an.Describe(&a.TimeoutSeconds, "Bound on one run (0 = 1800).")
	an.Describe(&a.PollSeconds, "Interval between GetChange calls while waiting for INSYNC (0 = 10).")
}

func (s *TrafficState) Annotate(an infer.Annotator) {
	an.Describe(&s.Records, "\"region=weight\" of every record of the name when last read; the primary's stack makes it [\"<primaryRegion>=100\"].")
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
	st := TrafficState{TrafficArgs: in, Records: prev.Records, Record: prev.Record}
	log := newReporter(ctx, fmt.Sprintf("traffic %s (%s): ", in.RecordName, in.Region))
	if dryRun {
		if in.owner() && !slices.Equal(prev.Records, switchover.OnlyTo(in.Region)) {
			log.Info(fmt.Sprintf("will send all traffic to %s in one Route 53 change, removing every other record", in.Region))
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
	if !in.owner() {
		rs, err := eng.Describe(ctx, in.ZoneID, in.RecordName)
		if err != nil {
			log.Warn(fmt.Sprintf("standby: could not read the records, keeping %v: %v", st.Records, err))
			return st, nil
		}
		st.Records = rs.Weights()
		if slices.Contains(rs.Serving(), in.Region) {
			log.Warn(fmt.Sprintf("standby, but this region still has traffic (%s): run `pulumi up` in %s's stack, it moves the traffic (this stack never changes records)", rs, in.PrimaryRegion))
		} else {
			log.Info("standby: traffic goes to " + strings.Join(rs.Serving(), ", "))
		}
		return st, nil
	}
	out, err := eng.EnsureTraffic(ctx, switchover.TrafficTarget{ZoneID: in.ZoneID, RecordName: in.RecordName,
		Primary: in.Region, LoadBalancerDNSName: in.LoadBalancerDNSName, LoadBalancerZoneID: in.LoadBalancerZoneID,
		HealthCheckID: in.HealthCheckID, ClientTTL: seconds(in.ClientTTLSeconds)}, opts)
	if err != nil {
		return st, err
	}
	st.Records = switchover.OnlyTo(in.Region)
	if out.Switched {
		st.Record = recordOf(out)
	}
	return st, nil
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
	if err != nil {
		return infer.ReadResponse[TrafficArgs, TrafficState]{}, err
	}
	now := rs.Weights()
	if st.Records != nil && !slices.Equal(st.Records, now) {
		newReporter(ctx, "").Warn(fmt.Sprintf("traffic %s: now %s (recorded %v): changed outside this stack", st.RecordName, rs, st.Records))
	}
	st.Records = now
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
	if n.owner() && !slices.Equal(req.State.Records, switchover.OnlyTo(n.Region)) {
		d.input("primaryRegion", true)
	}
	return d.response(), nil
}
