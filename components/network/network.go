// Package network provides one region's VPC: public subnets for the load balancer, private
// subnets for the app's tasks, isolated subnets for data, VPC endpoints so tasks reach AWS
// services without NAT, flow logs, the tasks' security group that the data tiers admit, and
// this region's side of the VPC peering with the other region (peering.go).
package network

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Args describe the network of one region.
type Args struct {
	Cidr             string   // VPC CIDR, /16 to /23; split into 9 equal subnets (3 tiers x 3 AZs)
	AZs              []string // exactly three availability zones of one region, e.g. ap-northeast-1a
	SingleNat        bool     // dev profile: one NAT gateway for all AZs; production: one per AZ
	KmsKeyArn        pulumi.StringInput
	LogRetentionDays int // flow-log group retention

	// ZoneIDs places the subnets by AZ ID instead of AZs (e.g. apne1-az1; see zones.go).
	ZoneIDs []string
	Region  string // this region, required with ZoneIDs
	// Idle (a sleeping dev environment): no NAT gateway and no interface endpoints, the two
	// things that cost by the hour while no task runs in the private subnets. Subnets, route
	// tables and the free S3 gateway endpoint stay, so waking only adds them back.
	Idle bool
	// Peer is the other region's VPC, reached across a VPC peering connection (peering.go).
	// Nil: no cross-region path.
	Peer *Peer
	// Adopted takes over an existing VPC (home stack, drctl adopt) instead of creating one.
	Adopted *Adopted
}

// Network is the VPC and what the other components attach to it.
type Network struct {
	pulumi.ResourceState

	VpcID               pulumi.StringOutput      `pulumi:"vpcId"`
	VpcCidr             pulumi.StringOutput      `pulumi:"vpcCidr"`
	PublicSubnetIDs     pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	PrivateSubnetIDs    pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	IsolatedSubnetIDs   pulumi.StringArrayOutput `pulumi:"isolatedSubnetIds"`
	TaskSecurityGroupID pulumi.StringOutput      `pulumi:"taskSecurityGroupId"`
	// PeeringID is the VPC peering connection this side requested or accepted; empty while
	// the peer's side does not exist yet.
	PeeringID pulumi.StringOutput `pulumi:"peeringId"`
	// Egress is what a task in the private subnets needs to start: the NAT gateways, the
	// private default routes and the interface endpoints (ECR, Secrets Manager, logs, ...).
	// A waking environment creates them again, in parallel with everything else; what starts
	// tasks depends on them (pulumi.DependsOn), or the tasks cannot pull their image and ECS
	// backs off. Empty while idle.
	Egress []pulumi.Resource
}

// New creates the network.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		return nil, errors.New("network: args are required")
	}
	plan, err := args.plan()
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	n := &Network{}
	if err := ctx.RegisterComponentResource("agm-dr:network:Network", name, n, opts...); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	if err := n.build(ctx, name, args, plan); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":               n.VpcID,
		"vpcCidr":             n.VpcCidr,
		"publicSubnetIds":     n.PublicSubnetIDs,
		"privateSubnetIds":    n.PrivateSubnetIDs,
		"isolatedSubnetIds":   n.IsolatedSubnetIDs,
		"taskSecurityGroupId": n.TaskSecurityGroupID,
		"peeringId":           n.PeeringID,
	})
}

func (n *Network) build(ctx *pulumi.Context, name string, args *Args, p plan) error {
	parent := pulumi.Parent(n)
	var adopted Adopted
	if args.Adopted != nil {
		adopted = *args.Adopted
	}
	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.Cidr),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true), // interface endpoints' private DNS needs both
		Tags:               tags(name + "-vpc"),
	}, append(imported(adopted.VpcID), parent)...)
	if err != nil {
		return err
	}
	n.VpcID = vpc.ID().ToStringOutput()
	n.VpcCidr = vpc.CidrBlock

	// Close the default security group: anything launched without an explicit group gets nothing.
	// In an adopted VPC too: drctl adopt --check refuses one whose default group is in use.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId:   vpc.ID(),
		Ingress: ec2.DefaultSecurityGroupIngressArray{},
		Egress:  ec2.DefaultSecurityGroupEgressArray{},
		Tags:    tags(name + "-default-sg"),
	}, parent); err != nil {
		return err
	}

	sn, err := newSubnets(ctx, name, vpc, p, natCount(args, len(p.azs)), parent, imported(adopted.InternetGatewayID))
	if err != nil {
		return err
	}
	n.PublicSubnetIDs = sn.public.ToStringArrayOutput()
	n.PrivateSubnetIDs = sn.private.ToStringArrayOutput()
	n.IsolatedSubnetIDs = sn.isolated.ToStringArrayOutput()

	endpoints, err := newEndpoints(ctx, name, vpc, args.Cidr, p.region, sn, !args.Idle, parent)
	if err != nil {
		return err
	}
	n.Egress = append(sn.egress, endpoints...)
	taskSG, err := newTaskSecurityGroup(ctx, name, vpc, args.Cidr, parent)
	if err != nil {
		return err
	}
	n.TaskSecurityGroupID = taskSG.ID().ToStringOutput()
	if n.PeeringID, err = newPeering(ctx, name, vpc, taskSG, sn, args.Peer, parent); err != nil {
		return err
	}

	return newFlowLogs(ctx, name, vpc, p.region, args.KmsKeyArn, args.LogRetentionDays, parent)
}

// natCount is how many NAT gateways a network over zones AZs (by name or by ID) has: one per
// AZ, one shared (dev), or none (idle).
func natCount(a *Args, zones int) int {
	switch {
	case a.Idle:
		return 0
	case a.SingleNat:
		return 1
	}
	return zones
}

// plan holds what New derives from Args before creating anything.
type plan struct {
	region  string
	azs     []string // AZ names, or AZ IDs when byID
	byID    bool
	subnets [tiers][]string // CIDRs per tier, one per AZ in AZ order
}

var azRE = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$`)

func (a *Args) plan() (plan, error) {
	var p plan
	if len(a.ZoneIDs) > 0 {
		if err := a.zonePlan(&p); err != nil {
			return p, err
		}
	} else if len(a.AZs) != 3 {
		return p, fmt.Errorf("exactly 3 availability zones are required, got %d (%v)", len(a.AZs), a.AZs)
	}
	seen := map[string]bool{}
	for _, az := range a.AZs {
		m := azRE.FindStringSubmatch(az)
		if m == nil {
			return p, fmt.Errorf("%q is not an availability zone name like ap-northeast-1a", az)
		}
		if p.region != "" && m[1] != p.region {
			return p, fmt.Errorf("availability zones %v are not all in one region", a.AZs)
		}
		if seen[az] {
			return p, fmt.Errorf("availability zone %s is listed twice", az)
		}
		seen[az] = true
		p.region = m[1]
	}
	if !p.byID {
		p.azs = a.AZs
	}
	cidrs, err := subnetCidrs(a.Cidr)
	if err != nil {
		return p, err
	}
	for t := range tiers {
		for i := range p.azs {
			p.subnets[t] = append(p.subnets[t], cidrs[t*len(p.azs)+i].String())
		}
	}
	if a.KmsKeyArn == nil {
		return p, errors.New("KmsKeyArn is required (flow-log group encryption)")
	}
	if !validRetention(a.LogRetentionDays) {
		return p, fmt.Errorf("LogRetentionDays %d is not a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)", a.LogRetentionDays)
	}
	if err := a.Peer.validate(a.Cidr, p.region); err != nil {
		return p, fmt.Errorf("Peer: %w", err)
	}
	return p, nil
}

// validRetention accepts the retention periods CloudWatch Logs offers, except 0 (never expire).
func validRetention(days int) bool {
	for _, d := range []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653} {
		if d == days {
			return true
		}
	}
	return false
}

func tags(name string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(name)}
}
