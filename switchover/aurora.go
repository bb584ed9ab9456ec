package switchover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/smithy-go"
)

// RDS is the part of the RDS API the engine uses; *rds.Client satisfies it.
type RDS interface {
	DescribeGlobalClusters(context.Context, *rds.DescribeGlobalClustersInput, ...func(*rds.Options)) (*rds.DescribeGlobalClustersOutput, error)
	DescribeDBClusters(context.Context, *rds.DescribeDBClustersInput, ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)
	SwitchoverGlobalCluster(context.Context, *rds.SwitchoverGlobalClusterInput, ...func(*rds.Options)) (*rds.SwitchoverGlobalClusterOutput, error)
	FailoverGlobalCluster(context.Context, *rds.FailoverGlobalClusterInput, ...func(*rds.Options)) (*rds.FailoverGlobalClusterOutput, error)
}

// Lag reports the replication lag of a secondary cluster in the client's
// region; ok is false when no recent value exists.
type Lag interface {
	ReplicationLag(ctx context.Context, clusterID string) (lag time.Duration, ok bool, err error)
}

// AuroraTarget names the member that must become the writer. Region is the
// region of ClusterArn and of the API client.
type AuroraTarget struct {
	GlobalClusterID string
	Region          string
	ClusterArn      string
	// Cache, when set, is the cache datastore that moves right after the
	// writer: the preflight checks it too, before any Aurora call, so neither
	// store moves unless both can (Aurora.Cache must be set).
	Cache *CacheTarget
}

// Aurora moves and reads the writer of an Aurora global cluster.
type Aurora struct {
	API   RDS
	Lag   Lag // nil skips the lag check (with a warning)
	Log   Reporter
	Cache *Cache // reads the datastore of AuroraTarget.Cache in the preflight
}

// GlobalCluster is the role picture DescribeGlobalClusters gives.
type GlobalCluster struct {
	Status       string
	WriterArn    string
	WriterRegion string
	Members      []Member
	// Failover is set while a switchover or failover is pending or running.
	Failover *Failover
}

// Member is one regional cluster of a global cluster.
type Member struct {
	Arn, Region, Sync string
	Writer            bool
}

// Failover describes a role change in flight.
type Failover struct {
	From, To, Status string
	DataLoss         bool
}

// Describe reads the global cluster's roles.
func (a *Aurora) Describe(ctx context.Context, globalID, region string) (GlobalCluster, error) {
	out, err := a.API.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{
		GlobalClusterIdentifier: aws.String(globalID),
	})
	res := "global cluster " + globalID
	if err != nil {
		return GlobalCluster{}, awsError("rds:DescribeGlobalClusters", res, region, err)
	}
	if len(out.GlobalClusters) == 0 {
		return GlobalCluster{}, awsError("rds:DescribeGlobalClusters", res, region,
			errors.New("GlobalClusterNotFoundFault: no such global cluster"))
	}
	gc := out.GlobalClusters[0]
	st := GlobalCluster{Status: aws.ToString(gc.Status)}
	for _, m := range gc.GlobalClusterMembers {
		mem := Member{Arn: aws.ToString(m.DBClusterArn), Writer: aws.ToBool(m.IsWriter),
			Sync: string(m.SynchronizationStatus)}
		mem.Region = RegionOf(mem.Arn)
		if mem.Writer {
			st.WriterArn, st.WriterRegion = mem.Arn, mem.Region
		}
		st.Members = append(st.Members, mem)
	}
	if f := gc.FailoverState; f != nil && (f.Status != "" || f.ToDbClusterArn != nil) {
		st.Failover = &Failover{From: aws.ToString(f.FromDbClusterArn), To: aws.ToString(f.ToDbClusterArn),
			Status: string(f.Status), DataLoss: aws.ToBool(f.IsDataLossAllowed)}
	}
	return st, nil
}

func (g GlobalCluster) member(clusterArn string) (Member, bool) {
	for _, m := range g.Members {
		if m.Arn == clusterArn {
			return m, true
		}
	}
	return Member{}, false
}

func (g GlobalCluster) String() string {
	s := fmt.Sprintf("status %s, writer %s", g.Status, g.WriterRegion)
	if g.Failover != nil {
		s += fmt.Sprintf(", %s to %s %s", kind(g.Failover.DataLoss), RegionOf(g.Failover.To), g.Failover.Status)
	}
	return s
}

func kind(dataLoss bool) string {
	if dataLoss {
		return "failover"
	}
	return "switchover"
}

// EnsureWriter makes t.ClusterArn the writer. It does nothing when it already
// is, waits for (rather than repeats) a change towards it that is already in
// flight, and otherwise runs preflight, requests the change and waits.
//
// Unplanned runs end as soon as the target is the writer: with the old primary
// region dead, AWS may keep FailoverState set long after the target took the
// role. An unplanned run also takes over a planned switchover in flight (the old
// primary died during it): it requests the failover instead of waiting, and
// repeats the request each poll while AWS refuses it, until the target writes.
func (a *Aurora) EnsureWriter(ctx context.Context, t AuroraTarget, o Options) (Outcome, error) {
	o = o.withDefaults()
	p := newPhases(a.Log, o)
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	res := fmt.Sprintf("global cluster %s, target %s", t.GlobalClusterID, t.ClusterArn)
	fail := func(api string, err error) (Outcome, error) {
		return Outcome{}, timeoutError(api, res, o.Timeout, err)
	}
	unplanned := o.Mode == Unplanned

	st, err := a.Describe(ctx, t.GlobalClusterID, t.Region)
	if err != nil {
		return fail("rds:DescribeGlobalClusters", err)
	}
	if _, ok := st.member(t.ClusterArn); !ok {
		return Outcome{}, &Error{API: "rds:DescribeGlobalClusters", Resource: res,
			Err:  fmt.Errorf("cluster is not a member (%s)", st),
			Hint: "fix clusterArn, or attach this region's cluster to the global cluster first"}
	}
	resumed, takeover := false, false
	switch {
	case st.WriterArn == t.ClusterArn && (st.Failover == nil || unplanned):
		p.done("%s is already the writer of %s; nothing to do (%s)", t.Region, t.GlobalClusterID, st)
		return Outcome{Actual: st.WriterRegion}, nil
	case unplanned && st.Failover != nil && st.Failover.To == t.ClusterArn && !st.Failover.DataLoss:
		p.done("a planned switchover to %s is in flight (%s); unplanned mode takes it over with a failover", t.Region, st)
		takeover = true
	case st.Failover != nil && st.Failover.To == t.ClusterArn:
		p.done("a %s to %s is already in flight (%s); waiting for it, not starting another",
			kind(st.Failover.DataLoss), t.Region, st)
		resumed = true
	case st.Failover != nil:
		return Outcome{}, &Error{API: "rds:DescribeGlobalClusters", Resource: res,
			Err:  fmt.Errorf("%w: %s", ErrInProgress, st),
			Hint: "wait for it to finish (aws rds describe-global-clusters), then re-run `pulumi up`"}
	}

	out := Outcome{Switched: true, Started: p.start, Mode: o.Mode}
	if !resumed {
		if err := a.preflight(ctx, t, o, st, p); err != nil {
			return fail("preflight", err)
		}
		if err := a.request(ctx, t, o, p); err != nil {
			if !takeover || !isStateFault(err) {
				return fail(apiName(o.Mode), err)
			}
			p.log.Warn(fmt.Sprintf("%s refused while the switchover is in flight (%v); retrying each poll", apiName(o.Mode), err))
		}
	}
	err = waitFor(ctx, p, o.Poll, "writer "+t.Region, func(ctx context.Context) (bool, string, error) {
		st, err := a.Describe(ctx, t.GlobalClusterID, t.Region)
		if err != nil {
			return false, "", err
		}
		if st.Failover != nil && st.Failover.To != t.ClusterArn {
			return false, "", &Error{API: "rds:DescribeGlobalClusters", Resource: res,
				Err:  fmt.Errorf("%w: %s", ErrInProgress, st),
				Hint: "someone started a change to another member; settle it, then re-run"}
		}
		if st.WriterArn == t.ClusterArn && (st.Failover == nil || unplanned) {
			return true, st.String(), nil
		}
		if unplanned && st.WriterArn != t.ClusterArn && (st.Failover == nil || !st.Failover.DataLoss) {
			// No failover under way (a planned one is stuck, or was cancelled):
			// ask again; a refusal just means the next poll tries again.
			if err := a.request(ctx, t, o, p); err != nil && !isStateFault(err) {
				return false, "", err
			}
		}
		return false, st.String(), nil
	})
	if err != nil {
		return fail("wait", err)
	}
	out.Finished, out.Actual = p.now(), t.Region
	p.done("%s writer of %s is now %s", o.Mode, t.GlobalClusterID, t.Region)
	return out, nil
}

// isStateFault: AWS refused because the global resource is busy.
func isStateFault(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && strings.HasPrefix(apiErr.ErrorCode(), "InvalidGlobal")
}

func apiName(m Mode) string {
	if m == Unplanned {
		return "rds:FailoverGlobalCluster"
	}
	return "rds:SwitchoverGlobalCluster"
}

// request starts the change. A refusal is not an error when a fresh read shows
// the change happened anyway: the same change already under way (another run
// raced us, or the SDK resent a request whose answer was lost), or already
// done (the resend arrived after a fast change finished).
func (a *Aurora) request(ctx context.Context, t AuroraTarget, o Options, p *phases) error {
	var err error
	if o.Mode == Unplanned {
		_, err = a.API.FailoverGlobalCluster(ctx, &rds.FailoverGlobalClusterInput{
			GlobalClusterIdentifier:   aws.String(t.GlobalClusterID),
			TargetDbClusterIdentifier: aws.String(t.ClusterArn),
			AllowDataLoss:             aws.Bool(true),
		})
	} else {
		_, err = a.API.SwitchoverGlobalCluster(ctx, &rds.SwitchoverGlobalClusterInput{
			GlobalClusterIdentifier:   aws.String(t.GlobalClusterID),
			TargetDbClusterIdentifier: aws.String(t.ClusterArn),
		})
	}
	if err != nil {
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			st, derr := a.Describe(ctx, t.GlobalClusterID, t.Region)
			switch {
			case derr != nil:
			case st.WriterArn == t.ClusterArn && st.Failover == nil:
				p.done("%s refused (%s), but %s already is the writer (%s)", apiName(o.Mode), apiErr.ErrorCode(), t.Region, st)
				return nil
			case strings.HasPrefix(apiErr.ErrorCode(), "InvalidGlobalClusterState") &&
				st.Failover != nil && st.Failover.To == t.ClusterArn && (o.Mode == Planned || st.Failover.DataLoss):
				p.done("%s was already under way (%s); waiting for it", kind(st.Failover.DataLoss), st)
				return nil
			}
		}
		return awsError(apiName(o.Mode), "global cluster "+t.GlobalClusterID, t.Region, err)
	}
	p.done("%s requested: %s -> %s", apiName(o.Mode), t.GlobalClusterID, t.Region)
	return nil
}

// RegionOf returns the region field of an ARN, or "" if s is not an ARN.
func RegionOf(s string) string {
	a, err := arn.Parse(s)
	if err != nil {
		return ""
	}
	return a.Region
}

// ClusterID returns the DB cluster identifier of an RDS cluster ARN.
func ClusterID(clusterArn string) (string, error) {
	a, err := arn.Parse(clusterArn)
	if err != nil {
		return "", fmt.Errorf("cluster ARN %q: %w", clusterArn, err)
	}
	id, ok := strings.CutPrefix(a.Resource, "cluster:")
	if a.Service != "rds" || !ok || id == "" {
		return "", fmt.Errorf("cluster ARN %q: not an rds cluster ARN (arn:aws:rds:REGION:ACCOUNT:cluster:ID)", clusterArn)
	}
	return id, nil
}
