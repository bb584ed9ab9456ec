package switchovertest

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// Datastore is a fake ElastiCache global datastore (global replication group).
type Datastore struct {
	ID      string
	Members []CacheMember
	Status  string // "available" unless a change is in flight or staged
	// A failover in flight: target member index and remaining describe calls
	// (negative: forever).
	to    int
	polls int
}

// CacheMember is one regional replication group of a Datastore.
type CacheMember struct {
	ID, Region string
	Primary    bool
	Status     string // default "associated"
}

// AddDatastore adds a global datastore; the first member is the primary.
func (w *World) AddDatastore(id string, members ...CacheMember) *Datastore {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range members {
		members[i].Primary = i == 0
		if members[i].Status == "" {
			members[i].Status = "associated"
		}
	}
	d := &Datastore{ID: id, Members: members, Status: "available", to: -1}
	w.datastores[id] = d
	return d
}

// Primary returns the primary member's replication group id and region.
func (w *World) Primary(id string) (string, string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range w.datastores[id].Members {
		if m.Primary {
			return m.ID, m.Region
		}
	}
	return "", ""
}

// StartFailover stages a failover to member index to, in flight for polls
// describe calls, as if an earlier run had requested it.
func (w *World) StartFailover(id string, to, polls int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d := w.datastores[id]
	d.to, d.polls, d.Status = to, polls, "modifying"
}

// SetMemberStatus sets the status of member index i of datastore id.
func (w *World) SetMemberStatus(id string, i int, status string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.datastores[id].Members[i].Status = status
}

func (d *Datastore) primaryRegion() string {
	for _, m := range d.Members {
		if m.Primary {
			return m.Region
		}
	}
	return ""
}

// ElastiCache returns the ElastiCache client of region.
func (w *World) ElastiCache(region string) *CacheClient { return &CacheClient{w: w, region: region} }

// CacheClient implements switchover.ElastiCache for one region.
type CacheClient struct {
	w      *World
	region string
}

func (c *CacheClient) DescribeGlobalReplicationGroups(_ context.Context, in *elasticache.DescribeGlobalReplicationGroupsInput, _ ...func(*elasticache.Options)) (*elasticache.DescribeGlobalReplicationGroupsOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeGlobalReplicationGroups", false); err != nil {
		return nil, err
	}
	d, ok := c.w.datastores[aws.ToString(in.GlobalReplicationGroupId)]
	if !ok {
		return nil, APIError("GlobalReplicationGroupNotFoundFault", "global replication group not found")
	}
	if d.to >= 0 {
		if d.polls == 0 {
			oldDown := c.w.down[d.primaryRegion()]
			for i := range d.Members {
				d.Members[i].Primary = i == d.to
			}
			d.to, d.Status = -1, "available"
			if c.w.LingerWhenOldDown && oldDown {
				d.Status = "modifying" // role moved, status never settles
			}
		} else if d.polls > 0 {
			d.polls--
		}
	}
	out := ectypes.GlobalReplicationGroup{GlobalReplicationGroupId: aws.String(d.ID), Status: aws.String(d.Status)}
	for _, m := range d.Members {
		role := "SECONDARY"
		if m.Primary {
			role = "PRIMARY"
		}
		out.Members = append(out.Members, ectypes.GlobalReplicationGroupMember{
			ReplicationGroupId: aws.String(m.ID), ReplicationGroupRegion: aws.String(m.Region),
			Role: aws.String(role), Status: aws.String(m.Status)})
	}
	return &elasticache.DescribeGlobalReplicationGroupsOutput{GlobalReplicationGroups: []ectypes.GlobalReplicationGroup{out}}, nil
}

func (c *CacheClient) FailoverGlobalReplicationGroup(_ context.Context, in *elasticache.FailoverGlobalReplicationGroupInput, _ ...func(*elasticache.Options)) (*elasticache.FailoverGlobalReplicationGroupOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "FailoverGlobalReplicationGroup", false); err != nil {
		return nil, err
	}
	d, ok := c.w.datastores[aws.ToString(in.GlobalReplicationGroupId)]
	if !ok {
		return nil, APIError("GlobalReplicationGroupNotFoundFault", "global replication group not found")
	}
	if c.w.resendRole > 0 && d.to < 0 {
		// As for RDS: the first send finished before the resend arrived.
		for i, m := range d.Members {
			if m.ID == aws.ToString(in.PrimaryReplicationGroupId) && m.Region == aws.ToString(in.PrimaryRegion) {
				c.w.resendRole--
				for j := range d.Members {
					d.Members[j].Primary = j == i
				}
			}
		}
	}
	takeover := c.w.LingerWhenOldDown && c.w.down[d.primaryRegion()] && d.to >= 0
	if d.Status != "available" && !takeover {
		return nil, APIError("InvalidGlobalReplicationGroupStateFault", "global replication group is "+d.Status)
	}
	for i, m := range d.Members {
		if m.ID == aws.ToString(in.PrimaryReplicationGroupId) && m.Region == aws.ToString(in.PrimaryRegion) {
			if m.Primary {
				return nil, APIError("InvalidParameterValue", m.ID+" is already the primary")
			}
			d.to, d.polls, d.Status = i, c.w.SwitchPolls, "modifying"
			return &elasticache.FailoverGlobalReplicationGroupOutput{}, nil
		}
	}
	return nil, APIError("ReplicationGroupNotFoundFault", "replication group not a member")
}
