package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/agm-dr/agm-dr/switchover"
)

// CachePrimary declares whether this region's replication group is the
// primary of an ElastiCache global datastore.
type CachePrimary struct{ clients ClientFactory }

// CachePrimaryArgs are the inputs of CachePrimary.
type CachePrimaryArgs struct {
	GlobalReplicationGroupID string `pulumi:"globalReplicationGroupId"`
	Region                   string `pulumi:"region"`
	ReplicationGroupID       string `pulumi:"replicationGroupId"`
	Primary                  bool   `pulumi:"primary"`
	Mode                     string `pulumi:"mode,optional"`
	TimeoutSeconds           int    `pulumi:"timeoutSeconds,optional"`
	PollSeconds              int    `pulumi:"pollSeconds,optional"`
}

// CachePrimaryState is the checkpointed state of CachePrimary.
type CachePrimaryState struct {
	CachePrimaryArgs
	// ActualPrimary is the region of the real primary when last seen.
	ActualPrimary string `pulumi:"actualPrimary"`
	Record
}

func (r *CachePrimary) Annotate(a infer.Annotator) {
	a.SetToken("index", "CachePrimary")
	a.Describe(r, "Declares whether this region's replication group is the primary of an ElastiCache "+
		"global datastore. Create/Update fail over to it from this region only; Read reports the real primary.")
}

func (a *CachePrimaryArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.GlobalReplicationGroupID, "Identifier of the global datastore (global replication group).")
	an.Describe(&a.Region, "This stack's AWS region; the only region whose endpoints are called.")
	an.Describe(&a.ReplicationGroupID, "This region's member replication group.")
	an.Describe(&a.Primary, "true: this region's group must be the primary. false: read and log only.")
	an.Describe(&a.Mode, "\"planned\" (preflight: all members associated) or \"unplanned\" (no checks on the old primary).")
	an.Describe(&a.TimeoutSeconds, "Bound on one run (0 = 1800).")
	an.Describe(&a.PollSeconds, "Interval between status reads while waiting (0 = 10).")
}

func (s *CachePrimaryState) Annotate(an infer.Annotator) {
	an.Describe(&s.ActualPrimary, "Region of the primary member when last read.")
}

func (*CachePrimary) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[CachePrimaryArgs], error) {
	args, fs, err := infer.DefaultCheck[CachePrimaryArgs](ctx, req.NewInputs)
	if err != nil || len(fs) > 0 {
		return infer.CheckResponse[CachePrimaryArgs]{Inputs: args, Failures: fs}, err
	}
	f := &failures{inputs: req.NewInputs}
	f.common(args.Mode, args.Region, args.TimeoutSeconds, args.PollSeconds)
	f.add("globalReplicationGroupId", args.GlobalReplicationGroupID == "", "globalReplicationGroupId is required")
	f.add("replicationGroupId", args.ReplicationGroupID == "", "replicationGroupId is required")
	return infer.CheckResponse[CachePrimaryArgs]{Inputs: args, Failures: f.list}, nil
}

func (r *CachePrimary) Create(ctx context.Context, req infer.CreateRequest[CachePrimaryArgs]) (infer.CreateResponse[CachePrimaryState], error) {
	st, err := r.apply(ctx, req.Inputs, CachePrimaryState{}, req.DryRun)
	return infer.CreateResponse[CachePrimaryState]{ID: req.Inputs.GlobalReplicationGroupID + "/" + req.Inputs.Region, Output: st}, err
}

func (r *CachePrimary) Update(ctx context.Context, req infer.UpdateRequest[CachePrimaryArgs, CachePrimaryState]) (infer.UpdateResponse[CachePrimaryState], error) {
	st, err := r.apply(ctx, req.Inputs, req.State, req.DryRun)
	return infer.UpdateResponse[CachePrimaryState]{Output: st}, err
}

// apply mirrors AuroraWriter.apply for the global datastore.
func (r *CachePrimary) apply(ctx context.Context, in CachePrimaryArgs, prev CachePrimaryState, dryRun bool) (CachePrimaryState, error) {
	st := CachePrimaryState{CachePrimaryArgs: in, ActualPrimary: prev.ActualPrimary, Record: prev.Record}
	log := newReporter(ctx, fmt.Sprintf("cache %s (%s): ", in.GlobalReplicationGroupID, in.Region))
	if dryRun {
		if in.Primary && prev.ActualPrimary != in.Region {
			log.Info(fmt.Sprintf("will make %s the primary (%s) unless it already is", in.Region, modeOrDefault(in.Mode)))
		}
		return st, nil
	}
	opts, err := options(in.Mode, 0, in.TimeoutSeconds, in.PollSeconds)
	if err != nil {
		return st, err
	}
	c, err := r.clients(ctx, in.Region)
	if err != nil {
		return st, err
	}
	eng := &switchover.Cache{API: c.ElastiCache, Log: log}
	if !in.Primary {
		d, err := eng.Describe(ctx, in.GlobalReplicationGroupID, in.Region)
		if err != nil {
			log.Warn(fmt.Sprintf("standby: could not read the primary, keeping %q: %v", st.ActualPrimary, err))
			return st, nil
		}
		st.ActualPrimary = d.PrimaryRegion
		if d.PrimaryRegion == in.Region {
			log.Warn("standby declared but this region is still the primary: run `pulumi up` in the new primary region's stack (this stack never moves roles)")
		} else {
			log.Info("standby: primary is " + d.PrimaryRegion)
		}
		return st, nil
	}
	out, err := eng.EnsurePrimary(ctx, switchover.CacheTarget{GlobalReplicationGroupID: in.GlobalReplicationGroupID,
		Region: in.Region, ReplicationGroupID: in.ReplicationGroupID}, opts)
	if err != nil {
		return st, err
	}
	st.ActualPrimary = out.Actual
	if out.Switched {
		st.Record = recordOf(out)
	}
	return st, nil
}

// Read reports the real primary (see AuroraWriter.Read).
func (r *CachePrimary) Read(ctx context.Context, req infer.ReadRequest[CachePrimaryArgs, CachePrimaryState]) (infer.ReadResponse[CachePrimaryArgs, CachePrimaryState], error) {
	st, in := req.State, req.Inputs
	if st.GlobalReplicationGroupID == "" { // import: "<globalReplicationGroupId>/<region>"
		id, region, ok := strings.Cut(req.ID, "/")
		if !ok {
			return infer.ReadResponse[CachePrimaryArgs, CachePrimaryState]{}, fmt.Errorf("cache primary id %q: want <globalReplicationGroupId>/<region>", req.ID)
		}
		st.GlobalReplicationGroupID, st.Region = id, region
	}
	c, err := r.clients(ctx, st.Region)
	if err != nil {
		return infer.ReadResponse[CachePrimaryArgs, CachePrimaryState]{}, err
	}
	d, err := (&switchover.Cache{API: c.ElastiCache}).Describe(ctx, st.GlobalReplicationGroupID, st.Region)
	if err != nil {
		return infer.ReadResponse[CachePrimaryArgs, CachePrimaryState]{}, err
	}
	if st.ActualPrimary != "" && st.ActualPrimary != d.PrimaryRegion {
		newReporter(ctx, "").Warn(fmt.Sprintf("cache %s: primary is now %s (recorded %s): it was moved outside this stack",
			st.GlobalReplicationGroupID, d.PrimaryRegion, st.ActualPrimary))
	}
	st.ActualPrimary = d.PrimaryRegion
	return infer.ReadResponse[CachePrimaryArgs, CachePrimaryState]{ID: req.ID, Inputs: in, State: st}, nil
}

// Diff mirrors AuroraWriter.Diff.
func (*CachePrimary) Diff(_ context.Context, req infer.DiffRequest[CachePrimaryArgs, CachePrimaryState]) (infer.DiffResponse, error) {
	o, n := req.State.CachePrimaryArgs, req.Inputs
	d := diffs{}
	d.identity("globalReplicationGroupId", o.GlobalReplicationGroupID != n.GlobalReplicationGroupID)
	d.identity("region", o.Region != n.Region)
	d.input("replicationGroupId", o.ReplicationGroupID != n.ReplicationGroupID)
	d.input("primary", o.Primary != n.Primary)
	d.input("mode", o.Mode != n.Mode)
	d.input("timeoutSeconds", o.TimeoutSeconds != n.TimeoutSeconds)
	d.input("pollSeconds", o.PollSeconds != n.PollSeconds)
	if roleDiffers(n.Primary, req.State.ActualPrimary, n.Region) {
		d.input("primary", true)
	}
	return d.response(), nil
}
