package switchovertest

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// ReplicationGroup is a fake regional ElastiCache replication group, as a team built it by
// hand: DescribeReplicationGroups and DescribeCacheClusters read it, and
// CreateGlobalReplicationGroup makes it the primary of a new Datastore.
type ReplicationGroup struct {
	ID, Region, Engine, EngineVersion, NodeType string
	TransitEncryption, AtRestEncryption         bool
	// Global is the datastore it belongs to ("" if none); Secondary when not its primary.
	Global    string
	Secondary bool
}

// GlobalIDPrefix stands for the per-region prefix AWS puts before a global datastore's suffix
// (CreateGlobalReplicationGroup, GlobalReplicationGroupIdSuffix). The real prefixes are
// region codes listed in the ElastiCache User Guide; this one is made up.
const GlobalIDPrefix = "fakex"

// AddReplicationGroup adds a replication group in g.Region.
func (w *World) AddReplicationGroup(g ReplicationGroup) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.groups[g.Region+"/"+g.ID] = &g
}

// Group returns a copy of the replication group id in region.
func (w *World) Group(region, id string) ReplicationGroup {
	w.mu.Lock()
	defer w.mu.Unlock()
	return *w.groups[region+"/"+id]
}

func (c *CacheClient) DescribeReplicationGroups(_ context.Context, in *elasticache.DescribeReplicationGroupsInput, _ ...func(*elasticache.Options)) (*elasticache.DescribeReplicationGroupsOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeReplicationGroups", false); err != nil {
		return nil, err
	}
	g, ok := c.w.groups[c.region+"/"+aws.ToString(in.ReplicationGroupId)]
	if !ok {
		return nil, APIError("ReplicationGroupNotFoundFault", "replication group "+aws.ToString(in.ReplicationGroupId)+" not found")
	}
	out := ectypes.ReplicationGroup{
		ReplicationGroupId: aws.String(g.ID), Engine: aws.String(g.Engine), CacheNodeType: aws.String(g.NodeType),
		TransitEncryptionEnabled: aws.Bool(g.TransitEncryption), AtRestEncryptionEnabled: aws.Bool(g.AtRestEncryption),
		MemberClusters: []string{g.ID + "-001", g.ID + "-002"}, Status: aws.String("available"),
	}
	if g.Global != "" {
		role := "PRIMARY"
		if g.Secondary {
			role = "SECONDARY"
		}
		out.GlobalReplicationGroupInfo = &ectypes.GlobalReplicationGroupInfo{
			GlobalReplicationGroupId: aws.String(g.Global), GlobalReplicationGroupMemberRole: aws.String(role)}
	}
	return &elasticache.DescribeReplicationGroupsOutput{ReplicationGroups: []ectypes.ReplicationGroup{out}}, nil
}

func (c *CacheClient) DescribeCacheClusters(_ context.Context, in *elasticache.DescribeCacheClustersInput, _ ...func(*elasticache.Options)) (*elasticache.DescribeCacheClustersOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeCacheClusters", false); err != nil {
		return nil, err
	}
	id := aws.ToString(in.CacheClusterId)
	g, ok := c.w.groups[c.region+"/"+id[:max(0, strings.LastIndex(id, "-"))]]
	if !ok {
		return nil, APIError("CacheClusterNotFound", "cache cluster "+id+" not found")
	}
	return &elasticache.DescribeCacheClustersOutput{CacheClusters: []ectypes.CacheCluster{{
		CacheClusterId: aws.String(id), Engine: aws.String(g.Engine), EngineVersion: aws.String(g.EngineVersion),
		CacheNodeType: aws.String(g.NodeType), ReplicationGroupId: aws.String(g.ID)}}}, nil
}

func (c *CacheClient) CreateGlobalReplicationGroup(_ context.Context, in *elasticache.CreateGlobalReplicationGroupInput, _ ...func(*elasticache.Options)) (*elasticache.CreateGlobalReplicationGroupOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "CreateGlobalReplicationGroup", false); err != nil {
		return nil, err
	}
	g, ok := c.w.groups[c.region+"/"+aws.ToString(in.PrimaryReplicationGroupId)]
	if !ok {
		return nil, APIError("ReplicationGroupNotFoundFault", "replication group not found")
	}
	if g.Global != "" {
		return nil, APIError("InvalidReplicationGroupState", g.ID+" is already a member of "+g.Global)
	}
	id := GlobalIDPrefix + "-" + aws.ToString(in.GlobalReplicationGroupIdSuffix)
	if _, taken := c.w.datastores[id]; taken {
		return nil, APIError("GlobalReplicationGroupAlreadyExistsFault", id+" already exists")
	}
	g.Global = id
	c.w.datastores[id] = &Datastore{ID: id, Status: "available", to: -1,
		Members: []CacheMember{{ID: g.ID, Region: c.region, Primary: true, Status: "associated"}}}
	return &elasticache.CreateGlobalReplicationGroupOutput{GlobalReplicationGroup: &ectypes.GlobalReplicationGroup{
		GlobalReplicationGroupId: aws.String(id), Status: aws.String("creating")}}, nil
}

// JoinDatastore adds a secondary member to datastore id, as the peer stack's
// CreateReplicationGroup with GlobalReplicationGroupId does.
func (w *World) JoinDatastore(id string, m CacheMember) {
	w.mu.Lock()
	defer w.mu.Unlock()
	m.Primary = false
	if m.Status == "" {
		m.Status = "associated"
	}
	w.datastores[id].Members = append(w.datastores[id].Members, m)
	w.groups[m.Region+"/"+m.ID] = &ReplicationGroup{ID: m.ID, Region: m.Region, Global: id, Secondary: true}
}
