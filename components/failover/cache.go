package failover

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CachePrimaryArgs declare this region's role in an ElastiCache global
// datastore. Mode, TimeoutSeconds and PollSeconds are optional.
type CachePrimaryArgs struct {
	GlobalReplicationGroupId pulumi.StringInput
	Region                   pulumi.StringInput // this stack's region
	ReplicationGroupId       pulumi.StringInput // this region's member replication group
	Primary                  pulumi.BoolInput   // true: this region's group must be the primary
	Mode                     pulumi.StringInput // "planned" | "unplanned"
	TimeoutSeconds           pulumi.IntInput
	PollSeconds              pulumi.IntInput
}

type cachePrimaryArgs struct {
	GlobalReplicationGroupId string `pulumi:"globalReplicationGroupId"`
	Region                   string `pulumi:"region"`
	ReplicationGroupId       string `pulumi:"replicationGroupId"`
	Primary                  bool   `pulumi:"primary"`
	Mode                     string `pulumi:"mode"`
	TimeoutSeconds           int    `pulumi:"timeoutSeconds"`
	PollSeconds              int    `pulumi:"pollSeconds"`
}

// ElementType lets the SDK marshal the Input fields by their pulumi tags.
func (CachePrimaryArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*cachePrimaryArgs)(nil)).Elem()
}

// CachePrimary is the declared primary role and what the provider last saw.
type CachePrimary struct {
	pulumi.CustomResourceState

	GlobalReplicationGroupId pulumi.StringOutput `pulumi:"globalReplicationGroupId"`
	Region                   pulumi.StringOutput `pulumi:"region"`
	ReplicationGroupId       pulumi.StringOutput `pulumi:"replicationGroupId"`
	Primary                  pulumi.BoolOutput   `pulumi:"primary"`
	Mode                     pulumi.StringOutput `pulumi:"mode"`
	TimeoutSeconds           pulumi.IntOutput    `pulumi:"timeoutSeconds"`
	PollSeconds              pulumi.IntOutput    `pulumi:"pollSeconds"`

	// ActualPrimary is the region of the real primary when last read.
	ActualPrimary          pulumi.StringOutput  `pulumi:"actualPrimary"`
	LastSwitchoverStarted  pulumi.StringOutput  `pulumi:"lastSwitchoverStarted"`
	LastSwitchoverFinished pulumi.StringOutput  `pulumi:"lastSwitchoverFinished"`
	LastSwitchoverMode     pulumi.StringOutput  `pulumi:"lastSwitchoverMode"`
	LastSwitchoverSeconds  pulumi.Float64Output `pulumi:"lastSwitchoverSeconds"`
}

// NewCachePrimary registers an agmdr:index:CachePrimary.
func NewCachePrimary(ctx *pulumi.Context, name string, args *CachePrimaryArgs, opts ...pulumi.ResourceOption) (*CachePrimary, error) {
	if args == nil {
		return nil, errors.New("cache primary " + name + ": missing args")
	}
	if args.GlobalReplicationGroupId == nil || args.Region == nil || args.ReplicationGroupId == nil || args.Primary == nil {
		return nil, errors.New("cache primary " + name + ": GlobalReplicationGroupId, Region, ReplicationGroupId and Primary are required")
	}
	var r CachePrimary
	if err := ctx.RegisterResource(CachePrimaryType, name, args, &r, opts...); err != nil {
		return nil, err
	}
	return &r, nil
}
