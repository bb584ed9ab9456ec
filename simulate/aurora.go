package simulate

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/agm-dr/agm-dr/switchover"
)

// aurora is the global cluster: a writer region, a role change in flight,
// and the replication that decides what an unplanned failover loses.
type aurora struct {
	id     string
	arn    map[string]string // region → member cluster ARN
	writer string
	op     *auroraOp
	lag    time.Duration // replication lag while both regions are up
	pauses []Window      // write pauses of switchovers (planned bound)
	// replicated is the commit time up to which the secondary has the data;
	// lastCommit the newest commit on the writer.
	replicated, lastCommit time.Time
	lagAtOutage            time.Duration
	outageAt               time.Time
	lost                   int // votes committed on a writer that a failover then discarded
	rpo                    time.Duration
	rpoKnown               bool
	writerMovedAt          time.Time
	refuse                 int // scenario: the next n switchover calls fail
}

type auroraOp struct {
	dataLoss  bool
	from, to  string
	started   time.Time
	done      time.Time // the writer has moved (zero until then)
	status    string
	remaining time.Duration // progress still needed; stalls while a region is down
}

// Window is a span of simulation seconds.
type Window struct {
	From float64 `json:"from"`
	To   float64 `json:"to"` // -1 while open
}

func (a *aurora) writable(w *World, region string) (bool, string) {
	switch {
	case w.down[a.writer]:
		return false, ReasonWriterDown
	case a.writer != region && !w.paths.db[region]:
		// The global writer endpoint names the writer in the other VPC: a private address only
		// the VPC peering leads to.
		return false, ReasonWriterDown
	case a.op != nil && a.op.done.IsZero() && a.op.dataLoss:
		return false, ReasonWriterFailover
	case a.op != nil && a.op.done.IsZero() && a.op.remaining <= w.P.AuroraWritePause:
		return false, ReasonWritePause
	}
	return true, ""
}

// commit records a vote written at now on the writer.
func (a *aurora) commit(now time.Time) { a.lastCommit = now }

func (a *aurora) regionChanged(w *World, region string, down bool) {
	if region == a.writer && down {
		a.lagAtOutage, a.outageAt = a.lag, w.now
	}
}

func (a *aurora) tick(w *World) {
	// Replication runs while both regions are up and no data-loss failover
	// is promoting the secondary (from then on it takes nothing more).
	if !w.down[a.writer] && !w.down[w.peer(a.writer)] && (a.op == nil || !a.op.dataLoss) {
		a.replicated = w.now.Add(-a.lag)
	}
	op := a.op
	if op == nil {
		return
	}
	if !op.done.IsZero() {
		// The target holds the role; the state clears once the old primary
		// is reachable again (it rejoins as a secondary) or at once when it
		// never went away.
		if !w.down[op.from] || !w.P.FailoverStateSticks {
			w.log("aurora", "FailoverState clears (%s rejoined as secondary)", op.from)
			a.op = nil
		}
		return
	}
	stalled := w.down[op.to] || (!op.dataLoss && w.down[op.from])
	if stalled {
		return
	}
	before := op.remaining
	op.remaining -= time.Second
	if !op.dataLoss && before > w.P.AuroraWritePause && op.remaining <= w.P.AuroraWritePause {
		w.log("aurora", "write pause starts: %s demoted, %s not yet writer — votes fail", op.from, op.to)
		a.pauses = append(a.pauses, Window{From: w.since(), To: -1})
	}
	if op.remaining > 0 {
		return
	}
	if op.dataLoss {
		// Everything the writer committed after the replicated point is gone.
		if a.lastCommit.After(a.replicated) {
			a.rpo, a.rpoKnown = a.lastCommit.Sub(a.replicated), true
		} else {
			a.rpo, a.rpoKnown = 0, true
		}
		a.lost += lostVotes(w, a.replicated)
	} else if n := len(a.pauses); n > 0 && a.pauses[n-1].To < 0 {
		a.pauses[n-1].To = w.since()
	}
	a.writer, op.done, a.writerMovedAt = op.to, w.now, w.now
	a.replicated, a.lastCommit = w.now, w.now
	w.log("aurora", "writer is now %s (%s)", op.to, kindOf(op.dataLoss))
	if op.dataLoss && w.down[op.from] && w.P.FailoverStateSticks {
		w.log("aurora", "FailoverState stays %q while %s is down", op.status, op.from)
		return
	}
	a.op = nil
}

func kindOf(dataLoss bool) string {
	if dataLoss {
		return "failover, data loss allowed"
	}
	return "switchover, no data loss"
}

// lostVotes counts the votes committed after the replicated point.
func lostVotes(w *World, replicated time.Time) int {
	from := replicated.Sub(w.start).Seconds()
	n := 0
	for _, s := range w.series {
		if s.At >= from {
			n += s.Votes
		}
	}
	return n
}

// rdsClient is the RDS API as seen from one region's endpoint.
type rdsClient struct {
	w      *World
	region string
}

func (c rdsClient) DescribeGlobalClusters(_ context.Context, in *rds.DescribeGlobalClustersInput, _ ...func(*rds.Options)) (*rds.DescribeGlobalClustersOutput, error) {
	if err := c.w.endpoint(c.region, "DescribeGlobalClusters"); err != nil {
		return nil, err
	}
	a := c.w.aurora
	if aws.ToString(in.GlobalClusterIdentifier) != a.id {
		return &rds.DescribeGlobalClustersOutput{}, nil
	}
	gc := rdstypes.GlobalCluster{GlobalClusterIdentifier: aws.String(a.id), Status: aws.String("available")}
	for _, r := range c.w.regions {
		sync := rdstypes.GlobalClusterMemberSynchronizationStatusConnected
		if c.w.down[r] || c.w.down[c.w.peer(r)] {
			sync = rdstypes.GlobalClusterMemberSynchronizationStatusPendingResync
		}
		gc.GlobalClusterMembers = append(gc.GlobalClusterMembers, rdstypes.GlobalClusterMember{
			DBClusterArn: aws.String(a.arn[r]), IsWriter: aws.Bool(r == a.writer), SynchronizationStatus: sync})
	}
	if op := a.op; op != nil {
		gc.Status = aws.String(op.status)
		gc.FailoverState = &rdstypes.FailoverState{FromDbClusterArn: aws.String(a.arn[op.from]),
			ToDbClusterArn: aws.String(a.arn[op.to]), IsDataLossAllowed: aws.Bool(op.dataLoss),
			Status: rdstypes.FailoverStatus(op.status)}
	}
	return &rds.DescribeGlobalClustersOutput{GlobalClusters: []rdstypes.GlobalCluster{gc}}, nil
}

func (c rdsClient) DescribeDBClusters(_ context.Context, in *rds.DescribeDBClustersInput, _ ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	if err := c.w.endpoint(c.region, "DescribeDBClusters"); err != nil {
		return nil, err
	}
	for r, arn := range c.w.aurora.arn {
		if arn == aws.ToString(in.DBClusterIdentifier) && r == c.region {
			return &rds.DescribeDBClustersOutput{DBClusters: []rdstypes.DBCluster{{DBClusterArn: aws.String(arn), Status: aws.String("available")}}}, nil
		}
	}
	return &rds.DescribeDBClustersOutput{}, nil
}

func (c rdsClient) SwitchoverGlobalCluster(_ context.Context, in *rds.SwitchoverGlobalClusterInput, _ ...func(*rds.Options)) (*rds.SwitchoverGlobalClusterOutput, error) {
	if err := c.w.endpoint(c.region, "SwitchoverGlobalCluster"); err != nil {
		return nil, err
	}
	a := c.w.aurora
	if a.refuse > 0 {
		a.refuse--
		c.w.log("aurora", "SwitchoverGlobalCluster refused (InvalidGlobalClusterStateFault)")
		return nil, apiError("InvalidGlobalClusterStateFault", "global cluster is not in a state to switch over")
	}
	if err := c.start(aws.ToString(in.TargetDbClusterIdentifier), false); err != nil {
		return nil, err
	}
	return &rds.SwitchoverGlobalClusterOutput{}, nil
}

func (c rdsClient) FailoverGlobalCluster(_ context.Context, in *rds.FailoverGlobalClusterInput, _ ...func(*rds.Options)) (*rds.FailoverGlobalClusterOutput, error) {
	if err := c.w.endpoint(c.region, "FailoverGlobalCluster"); err != nil {
		return nil, err
	}
	if err := c.start(aws.ToString(in.TargetDbClusterIdentifier), aws.ToBool(in.AllowDataLoss)); err != nil {
		return nil, err
	}
	return &rds.FailoverGlobalClusterOutput{}, nil
}

func (c rdsClient) start(target string, dataLoss bool) error {
	w, a := c.w, c.w.aurora
	to := ""
	for r, arn := range a.arn {
		if arn == target {
			to = r
		}
	}
	if to == "" {
		return apiError("DBClusterNotFoundFault", "no such member "+target)
	}
	if to == a.writer && a.op == nil {
		return apiError("InvalidGlobalClusterStateFault", "target is already the writer")
	}
	if op := a.op; op != nil {
		// A data-loss failover may take over a switchover that cannot finish
		// because its old primary is down; anything else is refused.
		if !(dataLoss && !op.dataLoss && w.down[op.from]) {
			return apiError("InvalidGlobalClusterStateFault", "a "+kindOf(op.dataLoss)+" is already in progress")
		}
		w.log("aurora", "failover takes over the stalled switchover")
		if n := len(a.pauses); n > 0 && a.pauses[n-1].To < 0 {
			a.pauses[n-1].To = w.since()
		}
	}
	op := &auroraOp{dataLoss: dataLoss, from: a.writer, to: to, started: w.now}
	if dataLoss {
		op.status, op.remaining = "failing-over", w.P.AuroraFailover
	} else {
		op.status, op.remaining = "switching-over", w.P.AuroraSwitchover
		if op.remaining < w.P.AuroraWritePause {
			op.remaining = w.P.AuroraWritePause
		}
	}
	a.op = op
	w.log("aurora", "%s requested: writer %s → %s", map[bool]string{true: "FailoverGlobalCluster", false: "SwitchoverGlobalCluster"}[dataLoss], op.from, to)
	return nil
}

// lag is the AuroraGlobalDBReplicationLag a secondary publishes in its own
// region: the live lag while the writer is up, the last value for five
// minutes after the writer went away, then nothing.
type lagClient struct {
	w      *World
	region string
}

func (l lagClient) ReplicationLag(_ context.Context, _ string) (time.Duration, bool, error) {
	w, a := l.w, l.w.aurora
	if err := w.endpoint(l.region, "GetMetricStatistics"); err != nil {
		return 0, false, err
	}
	if a.writer == l.region {
		return 0, false, nil
	}
	if w.down[a.writer] {
		if w.now.Sub(a.outageAt) <= 5*time.Minute {
			return a.lagAtOutage, true, nil
		}
		return 0, false, nil
	}
	return a.lag, true, nil
}

var (
	_ switchover.RDS = rdsClient{}
	_ switchover.Lag = lagClient{}
)
