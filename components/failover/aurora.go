// Package failover is the hand-written Go SDK of this repo's agmdr provider:
// it registers agmdr:index:Capacity, AuroraWriter, CachePrimary and Traffic,
// whose plugin (bin/pulumi-resource-agmdr) raises the new primary's capacity,
// moves the Aurora writer and the ElastiCache primary to the region that
// declares them, and sends all traffic there in one Route 53 change.
package failover

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Resource type tokens served by the agmdr provider.
const (
	AuroraWriterType = "agmdr:index:AuroraWriter"
	CachePrimaryType = "agmdr:index:CachePrimary"
)

// AuroraWriterArgs declare this region's role in an Aurora global cluster.
// Mode, RpoBudgetSeconds, TimeoutSeconds and PollSeconds are optional
// (defaults: planned, 30, 1800, 10).
type AuroraWriterArgs struct {
	GlobalClusterId  pulumi.StringInput
	Region           pulumi.StringInput // this stack's region: the only one whose endpoints are called
	ClusterArn       pulumi.StringInput // this region's member cluster
	Writer           pulumi.BoolInput   // true: this region's member must be the writer
	Mode             pulumi.StringInput // "planned" | "unplanned"
	RpoBudgetSeconds pulumi.IntInput
	TimeoutSeconds   pulumi.IntInput
	PollSeconds      pulumi.IntInput
	// The cache datastore that moves right after the writer; when set, the
	// writer's preflight checks it too (neither moves unless both can).
	CacheGlobalReplicationGroupId pulumi.StringInput
	CacheReplicationGroupId       pulumi.StringInput
}

type auroraWriterArgs struct {
	GlobalClusterId  string `pulumi:"globalClusterId"`
	Region           string `pulumi:"region"`
	ClusterArn       string `pulumi:"clusterArn"`
	Writer           bool   `pulumi:"writer"`
	Mode             string `pulumi:"mode"`
	RpoBudgetSeconds int    `pulumi:"rpoBudgetSeconds"`
	TimeoutSeconds   int    `pulumi:"timeoutSeconds"`
	PollSeconds      int    `pulumi:"pollSeconds"`

	CacheGlobalReplicationGroupId string `pulumi:"cacheGlobalReplicationGroupId"`
	CacheReplicationGroupId       string `pulumi:"cacheReplicationGroupId"`
}

// ElementType lets the SDK marshal the Input fields by their pulumi tags.
func (AuroraWriterArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*auroraWriterArgs)(nil)).Elem()
}

// AuroraWriter is the declared writer role and what the provider last saw.
type AuroraWriter struct {
	pulumi.CustomResourceState

	GlobalClusterId  pulumi.StringOutput `pulumi:"globalClusterId"`
	Region           pulumi.StringOutput `pulumi:"region"`
	ClusterArn       pulumi.StringOutput `pulumi:"clusterArn"`
	Writer           pulumi.BoolOutput   `pulumi:"writer"`
	Mode             pulumi.StringOutput `pulumi:"mode"`
	RpoBudgetSeconds pulumi.IntOutput    `pulumi:"rpoBudgetSeconds"`
	TimeoutSeconds   pulumi.IntOutput    `pulumi:"timeoutSeconds"`
	PollSeconds      pulumi.IntOutput    `pulumi:"pollSeconds"`

	// ActualWriter is the region of the real writer when last read.
	ActualWriter pulumi.StringOutput `pulumi:"actualWriter"`
	// The last switchover this resource performed (RFC3339 times; empty if none).
	LastSwitchoverStarted  pulumi.StringOutput  `pulumi:"lastSwitchoverStarted"`
	LastSwitchoverFinished pulumi.StringOutput  `pulumi:"lastSwitchoverFinished"`
	LastSwitchoverMode     pulumi.StringOutput  `pulumi:"lastSwitchoverMode"`
	LastSwitchoverSeconds  pulumi.Float64Output `pulumi:"lastSwitchoverSeconds"`
}

// NewAuroraWriter registers an agmdr:index:AuroraWriter.
func NewAuroraWriter(ctx *pulumi.Context, name string, args *AuroraWriterArgs, opts ...pulumi.ResourceOption) (*AuroraWriter, error) {
	if args == nil {
		return nil, errors.New("aurora writer " + name + ": missing args")
	}
	if args.GlobalClusterId == nil || args.Region == nil || args.ClusterArn == nil || args.Writer == nil {
		return nil, errors.New("aurora writer " + name + ": GlobalClusterId, Region, ClusterArn and Writer are required")
	}
	var r AuroraWriter
	if err := ctx.RegisterResource(AuroraWriterType, name, args, &r, opts...); err != nil {
		return nil, err
	}
	return &r, nil
}
