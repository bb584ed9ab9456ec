// Package cache provides the session cache: one ElastiCache (Valkey) replication group per
// region, joined into a global datastore that the home region's stack creates. The peer
// region's stack only attaches a secondary group to it.
package cache

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/network"
)

// Port is the Valkey/Redis port the cache security group opens to the app tasks.
const Port = 6379

// SnapshotRetentionDays is how long daily snapshots are kept in each region.
const SnapshotRetentionDays = 7

// Defaults applied when the matching Args field is empty.
const (
	DefaultEngine        = "valkey"
	DefaultEngineVersion = "7.2"
)

// Args describe one region's member of the global datastore.
type Args struct {
	// IsHome is true in the region that owns the global datastore (homeRegion), never derived
	// from primaryRegion: the flip must not change data resources.
	IsHome bool
	// ReplicationGroupID is this region's group id, e.g. "agm-dr-sessions-apne1" (max 40).
	ReplicationGroupID string
	// GlobalIDSuffix names the global datastore (home only); AWS prefixes it per region.
	GlobalIDSuffix string
	// GlobalID is the full global datastore id, required for the peer (read from the home
	// stack's outputs, since AWS assigns its prefix) and ignored at home.
	GlobalID pulumi.StringInput

	// Engine, EngineVersion and NodeType are set on the home group only; a secondary inherits
	// them from the global datastore (AWS and the provider refuse them on a secondary).
	Engine        string // "valkey" (default) or "redis"
	EngineVersion string // default "7.2"; global datastores need valkey >= 7.2 or redis >= 5.0.6
	NodeType      string // large or bigger of m5/m6g/m7g/r5/r6g/r7g/c7gn; never t-class
	// Replicas is the number of nodes in the group (numCacheClusters: primary plus read
	// replicas), at least 2 for Multi-AZ and automatic failover.
	Replicas int

	SubnetIDs             pulumi.StringArrayInput // isolated subnets
	VpcID                 pulumi.StringInput
	ClientSecurityGroupID pulumi.StringInput // the only source allowed to reach Port
	PeerCidrs             []string           // the peer region's app-task subnets, also admitted on Port (its tasks write here across the peering)

	// KmsKeyArn is this region's own key for at-rest encryption (KMS keys are regional).
	KmsKeyArn pulumi.StringInput
	// AuthToken is the AUTH password (secret), required in both regions; see authToken.
	AuthToken pulumi.StringInput

	// Adopted, on the home stack only, takes over an existing group instead of creating one.
	Adopted *Adopted
}

// Cache is one region's member of the session cache's global datastore.
type Cache struct {
	pulumi.ResourceState

	ReplicationGroupID  pulumi.StringOutput `pulumi:"replicationGroupId"`
	ReplicationGroupArn pulumi.StringOutput `pulumi:"replicationGroupArn"`
	PrimaryEndpoint     pulumi.StringOutput `pulumi:"primaryEndpoint"`
	ReaderEndpoint      pulumi.StringOutput `pulumi:"readerEndpoint"`
	SecurityGroupID     pulumi.StringOutput `pulumi:"securityGroupId"`
	// GlobalID is the global datastore id: the created one at home, the input in the peer.
	GlobalID pulumi.StringOutput `pulumi:"globalId"`
}

// New registers this region's replication group (and, at home, the global datastore).
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Cache, error) {
	if args == nil {
		return nil, errors.New("cache: args are required")
	}
	a := *args
	if err := a.withDefaults().validate(); err != nil {
		return nil, fmt.Errorf("cache %s: %w", name, err)
	}
	c := &Cache{}
	if err := ctx.RegisterComponentResource("agm-dr:cache:Cache", name, c, opts...); err != nil {
		return nil, fmt.Errorf("cache %s: %w", name, err)
	}
	if err := c.build(ctx, name, &a); err != nil {
		return nil, fmt.Errorf("cache %s: %w", name, err)
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"replicationGroupId":  c.ReplicationGroupID,
		"replicationGroupArn": c.ReplicationGroupArn,
		"primaryEndpoint":     c.PrimaryEndpoint,
		"readerEndpoint":      c.ReaderEndpoint,
		"securityGroupId":     c.SecurityGroupID,
		"globalId":            c.GlobalID,
	})
}

func (c *Cache) build(ctx *pulumi.Context, name string, a *Args) error {
	subnets, sgID, err := newNetwork(ctx, name, a, c)
	if err != nil {
		return err
	}
	var globalID pulumi.StringOutput
	if !a.IsHome {
		globalID = peerGlobalID(a)
	}
	rg, err := newReplicationGroup(ctx, name, a, globalID, subnets, sgID, c)
	if err != nil {
		return err
	}
	c.ReplicationGroupID = rg.ReplicationGroupId
	c.ReplicationGroupArn = rg.Arn
	c.PrimaryEndpoint = rg.PrimaryEndpointAddress
	c.ReaderEndpoint = rg.ReaderEndpointAddress
	c.SecurityGroupID = sgID
	if !a.IsHome {
		c.GlobalID = globalID
		return nil
	}
	// A switchover makes another region's group the real primary; a diff on
	// primaryReplicationGroupId would then replace the whole datastore (docs/architecture.md, data-loss guards).
	grg, err := elasticache.NewGlobalReplicationGroup(ctx, name+"-global", &elasticache.GlobalReplicationGroupArgs{
		GlobalReplicationGroupIdSuffix:    pulumi.String(a.GlobalIDSuffix),
		GlobalReplicationGroupDescription: pulumi.String("Sessions, replicated across regions"),
		PrimaryReplicationGroupId:         rg.ReplicationGroupId,
	}, append(dataGuards(c, "primaryReplicationGroupId"), a.imported(a.globalImportID())...)...)
	if err != nil {
		return err
	}
	c.GlobalID = grg.GlobalReplicationGroupId
	return nil
}

// peerGlobalID is the peer's datastore id, refused at deploy time when empty: an empty id
// means the home stack has not exported it yet, and joining nothing is never wanted.
func peerGlobalID(a *Args) pulumi.StringOutput {
	return a.GlobalID.ToStringOutput().ApplyT(func(id string) (string, error) {
		if id == "" {
			return "", fmt.Errorf("cache %s: GlobalID is empty; deploy the home stack first", a.ReplicationGroupID)
		}
		return id, nil
	}).(pulumi.StringOutput)
}

// dataGuards are the options every data-holding resource here gets (docs/architecture.md, data-loss guards).
func dataGuards(parent pulumi.Resource, ignore ...string) []pulumi.ResourceOption {
	return []pulumi.ResourceOption{
		pulumi.Parent(parent), pulumi.Protect(true), pulumi.RetainOnDelete(true), pulumi.IgnoreChanges(ignore),
	}
}

func newNetwork(ctx *pulumi.Context, name string, a *Args, parent pulumi.Resource) (pulumi.StringOutput, pulumi.StringOutput, error) {
	subnets := pulumi.String("").ToStringOutput()
	if a.Adopted != nil {
		// An adopted group stays in its own subnet group: the provider replaces a group on a change.
		subnets = pulumi.String(a.Adopted.SubnetGroup).ToStringOutput()
	} else {
		sng, err := elasticache.NewSubnetGroup(ctx, name+"-subnets", &elasticache.SubnetGroupArgs{
			Name:        pulumi.String(a.ReplicationGroupID),
			Description: pulumi.String("Isolated subnets of " + a.ReplicationGroupID),
			SubnetIds:   a.SubnetIDs,
		}, pulumi.Parent(parent))
		if err != nil {
			return pulumi.StringOutput{}, pulumi.StringOutput{}, err
		}
		subnets = sng.Name
	}
	// No egress rules: the cache only answers. Ingress only from the app tasks' group.
	sg, err := network.NewClientOnlyGroup(ctx, name+"-sg", network.ClientOnlyGroupArgs{
		Name:            a.ReplicationGroupID + "-cache",
		Description:     "ElastiCache " + a.ReplicationGroupID + ": TLS from app tasks only",
		RuleDescription: "Valkey/Redis TLS from app tasks",
		VpcID:           a.VpcID,
		Port:            Port,
		ClientGroupID:   a.ClientSecurityGroupID,
		PeerCidrs:       a.PeerCidrs,
	}, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, pulumi.StringOutput{}, err
	}
	return subnets, sg.ID().ToStringOutput(), nil
}
