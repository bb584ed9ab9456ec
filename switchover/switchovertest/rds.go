package switchovertest

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// Global is a fake Aurora global cluster.
type Global struct {
	ID      string
	Members []string // cluster ARNs
	Writer  string
	Sync    map[string]string // member ARN -> synchronization status ("" = connected)
	// A change in flight: To is the target, Polls the number of describe
	// calls it stays in flight (negative: forever, for timeout tests).
	To       string
	DataLoss bool
	Polls    int
}

// AddGlobalCluster adds a global cluster whose writer is members[0].
func (w *World) AddGlobalCluster(id string, members ...string) *Global {
	w.mu.Lock()
	defer w.mu.Unlock()
	g := &Global{ID: id, Members: members, Writer: members[0], Sync: map[string]string{}}
	w.globals[id] = g
	return g
}

// Global returns the global cluster id for inspection or staging.
func (w *World) Global(id string) *Global {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.globals[id]
}

// Writer returns the current writer ARN of global cluster id.
func (w *World) Writer(id string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.globals[id].Writer
}

// StartChange stages a change in flight, as if someone (or an earlier,
// timed-out run) had requested it; polls as in Global.Polls.
func (w *World) StartChange(id, to string, dataLoss bool, polls int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	g := w.globals[id]
	g.To, g.DataLoss, g.Polls = to, dataLoss, polls
}

// RDS returns the RDS client of region.
func (w *World) RDS(region string) *RDSClient { return &RDSClient{w: w, region: region} }

// RDSClient implements switchover.RDS for one region.
type RDSClient struct {
	w      *World
	region string
}

func (c *RDSClient) DescribeGlobalClusters(_ context.Context, in *rds.DescribeGlobalClustersInput, _ ...func(*rds.Options)) (*rds.DescribeGlobalClustersOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeGlobalClusters", false); err != nil {
		return nil, err
	}
	g, ok := c.w.globals[aws.ToString(in.GlobalClusterIdentifier)]
	if !ok {
		return nil, APIError("GlobalClusterNotFoundFault", "global cluster not found")
	}
	if g.To != "" && g.To != g.Writer {
		if g.Polls == 0 {
			old := g.Writer
			g.Writer, g.To = g.To, ""
			if c.w.LingerWhenOldDown && c.w.down[regionOf(old)] {
				g.To, g.Polls = g.Writer, -1 // role moved, state never clears
			}
		} else if g.Polls > 0 {
			g.Polls--
		}
	}
	out := rdstypes.GlobalCluster{GlobalClusterIdentifier: aws.String(g.ID), Status: aws.String("available")}
	if g.To != "" {
		out.Status = aws.String("switching-over")
		if g.DataLoss {
			out.Status = aws.String("failing-over")
		}
		out.FailoverState = &rdstypes.FailoverState{FromDbClusterArn: aws.String(g.Writer),
			ToDbClusterArn: aws.String(g.To), IsDataLossAllowed: aws.Bool(g.DataLoss),
			Status: rdstypes.FailoverStatusPending}
	}
	for _, m := range g.Members {
		sync := g.Sync[m]
		if sync == "" {
			sync = "connected"
		}
		out.GlobalClusterMembers = append(out.GlobalClusterMembers, rdstypes.GlobalClusterMember{
			DBClusterArn: aws.String(m), IsWriter: aws.Bool(m == g.Writer),
			SynchronizationStatus: rdstypes.GlobalClusterMemberSynchronizationStatus(sync)})
	}
	return &rds.DescribeGlobalClustersOutput{GlobalClusters: []rdstypes.GlobalCluster{out}}, nil
}

func (c *RDSClient) DescribeDBClusters(_ context.Context, in *rds.DescribeDBClustersInput, _ ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeDBClusters", false); err != nil {
		return nil, err
	}
	id := aws.ToString(in.DBClusterIdentifier)
	a, err := arn.Parse(id)
	if err != nil || a.Region != c.region {
		return nil, APIError("DBClusterNotFoundFault", "DBCluster "+id+" not found in "+c.region)
	}
	status := c.w.clusters[id]
	if status == "" {
		status = "available"
	}
	return &rds.DescribeDBClustersOutput{DBClusters: []rdstypes.DBCluster{{DBClusterArn: aws.String(id), Status: aws.String(status)}}}, nil
}

func (c *RDSClient) SwitchoverGlobalCluster(_ context.Context, in *rds.SwitchoverGlobalClusterInput, _ ...func(*rds.Options)) (*rds.SwitchoverGlobalClusterOutput, error) {
	if err := c.change("SwitchoverGlobalCluster", aws.ToString(in.GlobalClusterIdentifier), aws.ToString(in.TargetDbClusterIdentifier), false); err != nil {
		return nil, err
	}
	return &rds.SwitchoverGlobalClusterOutput{}, nil
}

func (c *RDSClient) FailoverGlobalCluster(_ context.Context, in *rds.FailoverGlobalClusterInput, _ ...func(*rds.Options)) (*rds.FailoverGlobalClusterOutput, error) {
	if err := c.change("FailoverGlobalCluster", aws.ToString(in.GlobalClusterIdentifier), aws.ToString(in.TargetDbClusterIdentifier), aws.ToBool(in.AllowDataLoss)); err != nil {
		return nil, err
	}
	return &rds.FailoverGlobalClusterOutput{}, nil
}

func (c *RDSClient) change(op, id, target string, dataLoss bool) error {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, op, dataLoss); err != nil {
		return err
	}
	g, ok := c.w.globals[id]
	if !ok {
		return APIError("GlobalClusterNotFoundFault", "global cluster "+id+" not found")
	}
	member := false
	for _, m := range g.Members {
		member = member || m == target
	}
	if !member {
		return APIError("DBClusterNotFoundFault", "DBCluster "+target+" not found")
	}
	if c.w.resendRole > 0 && g.To == "" && g.Writer != target {
		// The first send went through and the change finished before the SDK's resend
		// arrived: the resend meets a cluster whose writer already is the target.
		c.w.resendRole--
		g.Writer = target
	}
	takeover := c.w.LingerWhenOldDown && dataLoss && g.To == target && !g.DataLoss && c.w.down[regionOf(g.Writer)]
	if (g.To != "" && !takeover) || g.Writer == target {
		return APIError("InvalidGlobalClusterStateFault", "global cluster "+id+" has a change in progress or target is the writer")
	}
	g.To, g.DataLoss, g.Polls = target, dataLoss, c.w.SwitchPolls
	return nil
}

func regionOf(clusterArn string) string {
	a, err := arn.Parse(clusterArn)
	if err != nil {
		return ""
	}
	return a.Region
}

// Lag returns a switchover.Lag for region that reports SetLag values.
func (w *World) Lag(region string) *LagClient { return &LagClient{w: w, region: region} }

// LagClient implements switchover.Lag.
type LagClient struct {
	w      *World
	region string
}

// ReplicationLag reports the staged lag; ok is false when none was set.
func (l *LagClient) ReplicationLag(_ context.Context, clusterID string) (time.Duration, bool, error) {
	l.w.mu.Lock()
	defer l.w.mu.Unlock()
	if err := l.w.enter(l.region, "GetMetricStatistics", false); err != nil {
		return 0, false, err
	}
	ms, ok := l.w.lagMs[clusterID]
	return time.Duration(ms * float64(time.Millisecond)), ok, nil
}
