package failover

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TrafficType is the token of the agmdr Traffic resource.
const TrafficType = "agmdr:index:Traffic"

// TrafficArgs declare where the service name sends traffic: only to
// PrimaryRegion's load balancer. Both stacks pass the same PrimaryRegion; the
// provider changes Route 53 only from the stack whose Region is PrimaryRegion.
type TrafficArgs struct {
	ZoneId              pulumi.StringInput
	RecordName          pulumi.StringInput
	Region              pulumi.StringInput // this stack's region: its record's set identifier
	PrimaryRegion       pulumi.StringInput // the same in both stacks: the only flip input
	LoadBalancerDnsName pulumi.StringInput // this region's load balancer
	LoadBalancerZoneId  pulumi.StringInput
	HealthCheckId       pulumi.StringInput // optional
	ClientTtlSeconds    pulumi.IntInput    // wait after INSYNC for cached answers to expire
	Mode                pulumi.StringInput
	TimeoutSeconds      pulumi.IntInput
	PollSeconds         pulumi.IntInput
}

type trafficArgs struct {
	ZoneId              string `pulumi:"zoneId"`
	RecordName          string `pulumi:"recordName"`
	Region              string `pulumi:"region"`
	PrimaryRegion       string `pulumi:"primaryRegion"`
	LoadBalancerDnsName string `pulumi:"loadBalancerDnsName"`
	LoadBalancerZoneId  string `pulumi:"loadBalancerZoneId"`
	HealthCheckId       string `pulumi:"healthCheckId"`
	ClientTtlSeconds    int    `pulumi:"clientTtlSeconds"`
	Mode                string `pulumi:"mode"`
	TimeoutSeconds      int    `pulumi:"timeoutSeconds"`
	PollSeconds         int    `pulumi:"pollSeconds"`
}

// ElementType lets the SDK marshal the Input fields by their pulumi tags.
func (TrafficArgs) ElementType() reflect.Type { return reflect.TypeOf((*trafficArgs)(nil)).Elem() }

// Traffic is the declared routing and the records the provider last saw.
type Traffic struct {
	pulumi.CustomResourceState

	PrimaryRegion          pulumi.StringOutput      `pulumi:"primaryRegion"`
	Records                pulumi.StringArrayOutput `pulumi:"records"` // "region=weight", when last read
	LastSwitchoverStarted  pulumi.StringOutput      `pulumi:"lastSwitchoverStarted"`
	LastSwitchoverFinished pulumi.StringOutput      `pulumi:"lastSwitchoverFinished"`
	LastSwitchoverSeconds  pulumi.Float64Output     `pulumi:"lastSwitchoverSeconds"`
}

// NewTraffic registers an agmdr:index:Traffic.
func NewTraffic(ctx *pulumi.Context, name string, args *TrafficArgs, opts ...pulumi.ResourceOption) (*Traffic, error) {
	if args == nil || args.ZoneId == nil || args.RecordName == nil || args.Region == nil || args.PrimaryRegion == nil ||
		args.LoadBalancerDnsName == nil || args.LoadBalancerZoneId == nil {
		return nil, errors.New("traffic " + name + ": ZoneId, RecordName, Region, PrimaryRegion and the load balancer are required")
	}
	var r Traffic
	if err := ctx.RegisterResource(TrafficType, name, args, &r, opts...); err != nil {
		return nil, err
	}
	return &r, nil
}
