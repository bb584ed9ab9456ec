package failover

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CapacityType is the token of the agmdr Capacity resource.
const CapacityType = "agmdr:index:Capacity"

// CapacityArgs declare the task floor of one region's ECS service by role.
// The season windows are static: the provider picks the active one when it
// applies, so the program never depends on the date.
type CapacityArgs struct {
	Region         pulumi.StringInput
	Cluster        pulumi.StringInput
	Service        pulumi.StringInput
	RoleFloor      pulumi.IntInput // primaryTasks or standbyTasks: a flip input
	MaxTasks       pulumi.IntInput
	Primary        pulumi.BoolInput   // a flip input: the new primary waits for its tasks (planned)
	TargetGroupArn pulumi.StringInput // the wait counts healthy targets here
	PeerRegion     pulumi.StringInput // the other region: in planned mode the new primary reads its desired count
	// PeerCluster and PeerService name the other region's service when they differ from
	// Cluster and Service (an adopted home keeps its own names). Nil: the same names.
	PeerCluster    pulumi.StringInput
	PeerService    pulumi.StringInput
	Timezone       pulumi.StringInput
	Windows        pulumi.MapArrayInput // {name, start, end, minTasks}
	Mode           pulumi.StringInput
	TimeoutSeconds pulumi.IntInput
	PollSeconds    pulumi.IntInput
}

type capacityArgs struct {
	Region         string           `pulumi:"region"`
	Cluster        string           `pulumi:"cluster"`
	Service        string           `pulumi:"service"`
	RoleFloor      int              `pulumi:"roleFloor"`
	MaxTasks       int              `pulumi:"maxTasks"`
	Primary        bool             `pulumi:"primary"`
	TargetGroupArn string           `pulumi:"targetGroupArn"`
	PeerRegion     string           `pulumi:"peerRegion"`
	PeerCluster    string           `pulumi:"peerCluster"`
	PeerService    string           `pulumi:"peerService"`
	Timezone       string           `pulumi:"timezone"`
	Windows        []map[string]any `pulumi:"windows"`
	Mode           string           `pulumi:"mode"`
	TimeoutSeconds int              `pulumi:"timeoutSeconds"`
	PollSeconds    int              `pulumi:"pollSeconds"`
}

// ElementType lets the SDK marshal the Input fields by their pulumi tags.
func (CapacityArgs) ElementType() reflect.Type { return reflect.TypeOf((*capacityArgs)(nil)).Elem() }

// Capacity is the gate and what it set.
type Capacity struct {
	pulumi.CustomResourceState

	Floor       pulumi.IntOutput    `pulumi:"floor"`
	Window      pulumi.StringOutput `pulumi:"window"`
	FloorSource pulumi.StringOutput `pulumi:"floorSource"`
	Running     pulumi.IntOutput    `pulumi:"running"`
}

// NewCapacity registers an agmdr:index:Capacity.
func NewCapacity(ctx *pulumi.Context, name string, args *CapacityArgs, opts ...pulumi.ResourceOption) (*Capacity, error) {
	if args == nil || args.Region == nil || args.Cluster == nil || args.Service == nil || args.RoleFloor == nil ||
		args.MaxTasks == nil || args.Primary == nil {
		return nil, errors.New("capacity " + name + ": Region, Cluster, Service, RoleFloor, MaxTasks and Primary are required")
	}
	var r Capacity
	if err := ctx.RegisterResource(CapacityType, name, args, &r, opts...); err != nil {
		return nil, err
	}
	return &r, nil
}
