package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/agm-dr/agm-dr/switchover"
)

// AuroraWriter declares whether this region's member of an Aurora global
// cluster is the writer.
type AuroraWriter struct{ clients ClientFactory }

// AuroraWriterArgs are the inputs of AuroraWriter.
type AuroraWriterArgs struct {
	GlobalClusterID  string `pulumi:"globalClusterId"`
	Region           string `pulumi:"region"`
	ClusterArn       string `pulumi:"clusterArn"`
	Writer           bool   `pulumi:"writer"`
	Mode             string `pulumi:"mode,optional"`
	RPOBudgetSeconds int    `pulumi:"rpoBudgetSeconds,optional"`
	TimeoutSeconds   int    `pulumi:"timeoutSeconds,optional"`
	PollSeconds      int    `pulumi:"pollSeconds,optional"`
	// The cache datastore that moves right after the writer: when both are
	// set, the writer's preflight checks it too, so neither moves unless both can.
	CacheGlobalReplicationGroupID string `pulumi:"cacheGlobalReplicationGroupId,optional"`
	CacheReplicationGroupID       string `pulumi:"cacheReplicationGroupId,optional"`
}

// AuroraWriterState is the checkpointed state of AuroraWriter.
type AuroraWriterState struct {
	AuroraWriterArgs
	// ActualWriter is the region of the real writer when last seen.
	ActualWriter string `pulumi:"actualWriter"`
	Record
}

func (r *AuroraWriter) Annotate(a infer.Annotator) {
	a.SetToken("index", "AuroraWriter")
	a.Describe(r, "Declares whether this region's member is the writer of an Aurora global cluster. "+
		"Create/Update make it true (planned switchover or unplanned failover) from this region only; "+
		"Read reports the real writer.")
}

func (a *AuroraWriterArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.GlobalClusterID, "Identifier of the Aurora global cluster.")
	an.Describe(&a.Region, "This stack's AWS region; the only region whose endpoints are called.")
	an.Describe(&a.ClusterArn, "ARN of this region's member cluster.")
	an.Describe(&a.Writer, "true: this region's member must be the writer. false: read and log only.")
	an.Describe(&a.Mode, "\"planned\" (SwitchoverGlobalCluster, RPO 0) or \"unplanned\" (FailoverGlobalCluster with AllowDataLoss).")
	an.Describe(&a.RPOBudgetSeconds, "Planned: refuse when replication lag exceeds this (0 = 30).")
	an.Describe(&a.TimeoutSeconds, "Bound on one run: preflight, call and wait (0 = 1800).")
	an.Describe(&a.PollSeconds, "Interval between status reads while waiting (0 = 10).")
	an.Describe(&a.CacheGlobalReplicationGroupID, "Global datastore that moves after the writer; preflighted before the writer moves.")
	an.Describe(&a.CacheReplicationGroupID, "This region's member of that datastore.")
}

func (s *AuroraWriterState) Annotate(an infer.Annotator) {
	an.Describe(&s.ActualWriter, "Region of the writer member when last read.")
}

func (*AuroraWriter) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[AuroraWriterArgs], error) {
	args, fs, err := infer.DefaultCheck[AuroraWriterArgs](ctx, req.NewInputs)
	if err != nil || len(fs) > 0 {
		return infer.CheckResponse[AuroraWriterArgs]{Inputs: args, Failures: fs}, err
	}
	f := &failures{inputs: req.NewInputs}
	f.common(args.Mode, args.Region, args.TimeoutSeconds, args.PollSeconds)
	f.add("globalClusterId", args.GlobalClusterID == "", "globalClusterId is required")
	_, err = switchover.ClusterID(args.ClusterArn)
	f.add("clusterArn", err != nil, "%v", err)
	arnRegion := switchover.RegionOf(args.ClusterArn)
	f.add("clusterArn", err == nil && args.Region != "" && arnRegion != args.Region && !req.NewInputs.Get("region").IsComputed(),
		"clusterArn is in %s but region is %s: declare this stack's own member", arnRegion, args.Region)
	f.add("rpoBudgetSeconds", args.RPOBudgetSeconds < 0, "rpoBudgetSeconds must be >= 0")
	return infer.CheckResponse[AuroraWriterArgs]{Inputs: args, Failures: f.list}, nil
}

func (r *AuroraWriter) Create(ctx context.Context, req infer.CreateRequest[AuroraWriterArgs]) (infer.CreateResponse[AuroraWriterState], error) {
	st, err := r.apply(ctx, req.Inputs, AuroraWriterState{}, req.DryRun)
	return infer.CreateResponse[AuroraWriterState]{ID: req.Inputs.GlobalClusterID + "/" + req.Inputs.Region, Output: st}, err
}

func (r *AuroraWriter) Update(ctx context.Context, req infer.UpdateRequest[AuroraWriterArgs, AuroraWriterState]) (infer.UpdateResponse[AuroraWriterState], error) {
	st, err := r.apply(ctx, req.Inputs, req.State, req.DryRun)
	return infer.UpdateResponse[AuroraWriterState]{Output: st}, err
}

// apply makes the declared role true. A standby declaration (writer=false)
// never moves roles: the new primary's stack does that, from its region.
func (r *AuroraWriter) apply(ctx context.Context, in AuroraWriterArgs, prev AuroraWriterState, dryRun bool) (AuroraWriterState, error) {
	st := AuroraWriterState{AuroraWriterArgs: in, ActualWriter: prev.ActualWriter, Record: prev.Record}
	log := newReporter(ctx, fmt.Sprintf("aurora %s (%s): ", in.GlobalClusterID, in.Region))
	if dryRun {
		if in.Writer && prev.ActualWriter != in.Region {
			log.Info(fmt.Sprintf("will make %s the writer (%s) unless it already is", in.Region, modeOrDefault(in.Mode)))
		}
		return st, nil
	}
	opts, err := options(in.Mode, in.RPOBudgetSeconds, in.TimeoutSeconds, in.PollSeconds)
	if err != nil {
		return st, err
	}
	c, err := r.clients(ctx, in.Region)
	if err != nil {
		return st, err
	}
	eng := &switchover.Aurora{API: c.RDS, Lag: c.Lag, Log: log, Cache: &switchover.Cache{API: c.ElastiCache, Log: log}}
	if !in.Writer {
		gc, err := eng.Describe(ctx, in.GlobalClusterID, in.Region)
		if err != nil {
			log.Warn(fmt.Sprintf("standby: could not read the writer, keeping %q: %v", st.ActualWriter, err))
			return st, nil
		}
		st.ActualWriter = gc.WriterRegion
		if gc.WriterRegion == in.Region {
			log.Warn("standby declared but this region is still the writer: run `pulumi up` in the new primary region's stack (this stack never moves roles)")
		} else {
			log.Info("standby: writer is " + gc.WriterRegion)
		}
		return st, nil
	}
	target := switchover.AuroraTarget{GlobalClusterID: in.GlobalClusterID, Region: in.Region, ClusterArn: in.ClusterArn}
	if in.CacheGlobalReplicationGroupID != "" && in.CacheReplicationGroupID != "" {
		target.Cache = &switchover.CacheTarget{GlobalReplicationGroupID: in.CacheGlobalReplicationGroupID,
			Region: in.Region, ReplicationGroupID: in.CacheReplicationGroupID}
	}
	out, err := eng.EnsureWriter(ctx, target, opts)
	if err != nil {
		return st, err
	}
	st.ActualWriter = out.Actual
	if out.Switched {
		st.Record = recordOf(out)
	}
	return st, nil
}

// Read reports the real writer, so `pulumi refresh` shows a switchover made
// outside Pulumi and the next `up` sees the role difference.
func (r *AuroraWriter) Read(ctx context.Context, req infer.ReadRequest[AuroraWriterArgs, AuroraWriterState]) (infer.ReadResponse[AuroraWriterArgs, AuroraWriterState], error) {
	st, in := req.State, req.Inputs
	if st.GlobalClusterID == "" { // import: the ID is "<globalClusterId>/<region>"
		id, region, ok := strings.Cut(req.ID, "/")
		if !ok {
			return infer.ReadResponse[AuroraWriterArgs, AuroraWriterState]{}, fmt.Errorf("aurora writer id %q: want <globalClusterId>/<region>", req.ID)
		}
		st.GlobalClusterID, st.Region = id, region
	}
	c, err := r.clients(ctx, st.Region)
	if err != nil {
		return infer.ReadResponse[AuroraWriterArgs, AuroraWriterState]{}, err
	}
	gc, err := (&switchover.Aurora{API: c.RDS}).Describe(ctx, st.GlobalClusterID, st.Region)
	if err != nil {
		return infer.ReadResponse[AuroraWriterArgs, AuroraWriterState]{}, err
	}
	if st.ActualWriter != "" && st.ActualWriter != gc.WriterRegion {
		newReporter(ctx, "").Warn(fmt.Sprintf("aurora %s: writer is now %s (recorded %s): it was moved outside this stack",
			st.GlobalClusterID, gc.WriterRegion, st.ActualWriter))
	}
	st.ActualWriter = gc.WriterRegion
	return infer.ReadResponse[AuroraWriterArgs, AuroraWriterState]{ID: req.ID, Inputs: in, State: st}, nil
}

// Diff reports a change when an input changed or when the declared role and
// the recorded real role differ (after a refresh, or a failed run).
func (*AuroraWriter) Diff(_ context.Context, req infer.DiffRequest[AuroraWriterArgs, AuroraWriterState]) (infer.DiffResponse, error) {
	o, n := req.State.AuroraWriterArgs, req.Inputs
	d := diffs{}
	d.identity("globalClusterId", o.GlobalClusterID != n.GlobalClusterID)
	d.identity("region", o.Region != n.Region)
	d.input("clusterArn", o.ClusterArn != n.ClusterArn)
	d.input("writer", o.Writer != n.Writer)
	d.input("mode", o.Mode != n.Mode)
	d.input("rpoBudgetSeconds", o.RPOBudgetSeconds != n.RPOBudgetSeconds)
	d.input("timeoutSeconds", o.TimeoutSeconds != n.TimeoutSeconds)
	d.input("pollSeconds", o.PollSeconds != n.PollSeconds)
	d.input("cacheGlobalReplicationGroupId", o.CacheGlobalReplicationGroupID != n.CacheGlobalReplicationGroupID)
	d.input("cacheReplicationGroupId", o.CacheReplicationGroupID != n.CacheReplicationGroupID)
	if roleDiffers(n.Writer, req.State.ActualWriter, n.Region) {
		d.input("writer", true)
	}
	return d.response(), nil
}

// roleDiffers: is the declared role (want) not the recorded one? An unknown
// actual region only matters when this region should hold the role.
func roleDiffers(want bool, actual, region string) bool {
	if actual == "" {
		return want
	}
	return want != (actual == region)
}

func modeOrDefault(m string) string {
	if m == "" {
		return string(switchover.Planned)
	}
	return m
}
