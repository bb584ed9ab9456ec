package switchover

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// preflight checks what must hold before a role change. Planned: the global
// cluster is available, every member is in sync, the target cluster is
// available and its replication lag is within the RPO budget. Unplanned:
// only the target cluster (in this region) must be available; the lag is
// logged as the data that may be lost. It calls only t.Region's endpoints.
func (a *Aurora) preflight(ctx context.Context, t AuroraTarget, o Options, st GlobalCluster, p *phases) error {
	res := fmt.Sprintf("global cluster %s, target %s", t.GlobalClusterID, t.ClusterArn)
	refuse := func(format string, args ...any) error {
		hint := "wait until it clears and re-run `pulumi up`; if the primary region is failing, " +
			"set the switchover mode to \"unplanned\" instead"
		return &Error{API: "preflight", Resource: res, Hint: hint,
			Err: fmt.Errorf("%w: "+format, append([]any{ErrPreflight}, args...)...)}
	}
	if o.Mode == Planned {
		if st.Status != "available" {
			return refuse("global cluster status is %q, want available", st.Status)
		}
		for _, m := range st.Members {
			if m.Sync != "" && m.Sync != "connected" {
				return refuse("member %s synchronization status is %q, want connected", m.Arn, m.Sync)
			}
		}
	}
	id, err := ClusterID(t.ClusterArn)
	if err != nil {
		return &Error{API: "preflight", Resource: res, Err: err, Hint: "fix clusterArn"}
	}
	out, err := a.API.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{
		DBClusterIdentifier: aws.String(t.ClusterArn),
	})
	if err != nil {
		return awsError("rds:DescribeDBClusters", "cluster "+t.ClusterArn, t.Region, err)
	}
	if len(out.DBClusters) == 0 {
		return refuse("cluster %s not found in %s", id, t.Region)
	}
	if s := aws.ToString(out.DBClusters[0].Status); s != "available" {
		return refuse("target cluster %s status is %q, want available", id, s)
	}

	if a.Lag == nil {
		p.log.Warn("no replication-lag source configured; skipping the RPO check")
		p.done("preflight passed (%s)", st)
		return nil
	}
	lag, ok, err := a.Lag.ReplicationLag(ctx, id)
	switch {
	case err != nil && o.Mode == Planned:
		return &Error{API: "cloudwatch:GetMetricStatistics", Resource: "replication lag of " + id,
			Err:  err,
			Hint: "the RPO check could not read the lag; fix CloudWatch access and re-run"}
	case err != nil:
		p.log.Warn(fmt.Sprintf("could not read replication lag of %s: %v", id, err))
	case !ok:
		p.log.Warn(fmt.Sprintf("no recent replication-lag datapoints for %s; proceeding "+
			"(a planned switchover still waits for full sync)", id))
	case o.Mode == Unplanned:
		p.log.Warn(fmt.Sprintf("unplanned failover: writes from the last %s before the outage may be lost", round(lag)))
	case lag > o.RPOBudget:
		return refuse("replication lag of %s is %s, above the RPO budget %s", id, round(lag), o.RPOBudget)
	default:
		p.log.Info(fmt.Sprintf("replication lag of %s is %s (budget %s)", id, round(lag), o.RPOBudget))
	}
	if err := a.cachePreflight(ctx, t, o, p); err != nil {
		return err
	}
	p.done("preflight passed (%s)", st)
	return nil
}

// cachePreflight checks the datastore that moves after the writer, with the
// same rules EnsurePrimary applies, so a refusal comes before Aurora moves.
func (a *Aurora) cachePreflight(ctx context.Context, t AuroraTarget, o Options, p *phases) error {
	if t.Cache == nil {
		return nil
	}
	if a.Cache == nil {
		return &Error{API: "preflight", Resource: "global datastore " + t.Cache.GlobalReplicationGroupID,
			Err: errors.New("no ElastiCache client for the cache preflight"), Hint: "this is a bug in the caller"}
	}
	ct := *t.Cache
	res := fmt.Sprintf("global datastore %s, target %s (%s)", ct.GlobalReplicationGroupID, ct.ReplicationGroupID, ct.Region)
	d, err := a.Cache.Describe(ctx, ct.GlobalReplicationGroupID, ct.Region)
	if err != nil {
		return err
	}
	if !d.has(ct) {
		return &Error{API: "preflight", Resource: res, Err: fmt.Errorf("%w: replication group is not a member (%s)", ErrPreflight, d),
			Hint: "fix replicationGroupId/region, or add this region's group to the global datastore"}
	}
	if o.Mode == Planned && !d.isPrimary(ct) {
		if err := cachePreflight(d, res); err != nil {
			return err
		}
	}
	p.log.Info(fmt.Sprintf("cache preflight passed (%s)", d))
	return nil
}
