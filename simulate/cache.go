package simulate

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/agm-dr/agm-dr/switchover"
)

// cacheStore is the ElastiCache global datastore: only the primary group
// accepts writes; a failover keeps the datastore `modifying` while no
// member does.
type cacheStore struct {
	id        string
	group     map[string]string // region → replication group id
	primary   string
	op        *cacheOp
	windows   []Window // failover windows (planned bound)
	movedAt   time.Time
	fail      int // scenario: the next n failover calls fail
	modifying bool
}

type cacheOp struct {
	from, to  string
	remaining time.Duration
	promoted  bool
}

// writable: a session write from region's tasks. The local cluster answers a write with
// READONLY unless it is the primary; the app then writes to CACHE_PEER_ENDPOINT (the app
// contract in docs/switchover.md), which works where the VPC peering leads to a primary that
// is up.
func (c *cacheStore) writable(w *World, region string) (bool, string) {
	switch {
	case w.down[region]:
		return false, ReasonRegionDown
	case c.op != nil && !c.op.promoted:
		return false, ReasonCacheFailover
	case c.primary != region && (!w.paths.cache[region] || w.down[c.primary]):
		return false, ReasonCacheReadOnly
	}
	return true, ""
}

func (c *cacheStore) regionChanged(*World, string, bool) {}

func (c *cacheStore) tick(w *World) {
	op := c.op
	if op == nil {
		return
	}
	if op.promoted {
		if !w.down[op.from] || !w.P.CacheModifyingSticks {
			w.log("cache", "global datastore available again (%s is a secondary)", op.from)
			c.op, c.modifying = nil, false
		}
		return
	}
	if w.down[op.to] {
		return
	}
	op.remaining -= time.Second
	if op.remaining > 0 {
		return
	}
	op.promoted, c.primary, c.movedAt = true, op.to, w.now
	if n := len(c.windows); n > 0 {
		c.windows[n-1].To = w.since()
	}
	w.log("cache", "primary is now %s; %s is a read-only secondary", op.to, op.from)
	if w.down[op.from] && w.P.CacheModifyingSticks {
		w.log("cache", "datastore stays `modifying` while %s is down", op.from)
		return
	}
	c.op, c.modifying = nil, false
}

// cacheClient is the ElastiCache API as seen from one region's endpoint.
type cacheClient struct {
	w      *World
	region string
}

func (c cacheClient) DescribeGlobalReplicationGroups(_ context.Context, in *elasticache.DescribeGlobalReplicationGroupsInput, _ ...func(*elasticache.Options)) (*elasticache.DescribeGlobalReplicationGroupsOutput, error) {
	if err := c.w.endpoint(c.region, "DescribeGlobalReplicationGroups"); err != nil {
		return nil, err
	}
	s := c.w.cache
	if aws.ToString(in.GlobalReplicationGroupId) != s.id {
		return &elasticache.DescribeGlobalReplicationGroupsOutput{}, nil
	}
	status := "available"
	if s.op != nil {
		status = "modifying"
	}
	g := ectypes.GlobalReplicationGroup{GlobalReplicationGroupId: aws.String(s.id), Status: aws.String(status)}
	for _, r := range c.w.regions {
		role := "SECONDARY"
		if r == s.primary {
			role = "PRIMARY"
		}
		g.Members = append(g.Members, ectypes.GlobalReplicationGroupMember{ReplicationGroupId: aws.String(s.group[r]),
			ReplicationGroupRegion: aws.String(r), Role: aws.String(role), Status: aws.String("associated")})
	}
	return &elasticache.DescribeGlobalReplicationGroupsOutput{GlobalReplicationGroups: []ectypes.GlobalReplicationGroup{g}}, nil
}

func (c cacheClient) FailoverGlobalReplicationGroup(_ context.Context, in *elasticache.FailoverGlobalReplicationGroupInput, _ ...func(*elasticache.Options)) (*elasticache.FailoverGlobalReplicationGroupOutput, error) {
	w, s := c.w, c.w.cache
	if err := w.endpoint(c.region, "FailoverGlobalReplicationGroup"); err != nil {
		return nil, err
	}
	if s.fail > 0 {
		s.fail--
		w.log("cache", "FailoverGlobalReplicationGroup fails (InternalFailure)")
		return nil, apiError("InternalFailure", "the global datastore failover failed")
	}
	to := aws.ToString(in.PrimaryRegion)
	if s.group[to] != aws.ToString(in.PrimaryReplicationGroupId) {
		return nil, apiError("InvalidParameterValue", "no such member")
	}
	if s.op != nil {
		return nil, apiError("InvalidGlobalReplicationGroupState", "the global datastore is modifying")
	}
	if to == s.primary {
		return nil, apiError("InvalidParameterValue", "already the primary")
	}
	s.op, s.modifying = &cacheOp{from: s.primary, to: to, remaining: w.P.CacheFailover}, true
	s.windows = append(s.windows, Window{From: w.since(), To: -1})
	w.log("cache", "FailoverGlobalReplicationGroup requested: primary %s → %s; datastore `modifying`, session writes fail", s.primary, to)
	return &elasticache.FailoverGlobalReplicationGroupOutput{}, nil
}

var _ switchover.ElastiCache = cacheClient{}
