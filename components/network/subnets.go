package network

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/config"
)

// The three subnet tiers, in the order their CIDRs are carved from the VPC range.
const (
	public = iota
	private
	isolated
	tiers
)

var tierNames = [tiers]string{"public", "private", "isolated"}

// subnetCidrs splits cidr into 9 equal subnets: the range is cut into 16 (4 more prefix bits,
// the smallest power of two >= 9) and the first 9 are used; the other 7 stay free for later.
func subnetCidrs(cidr string) ([]netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return nil, fmt.Errorf("Cidr %q: %w", cidr, err)
	}
	if !p.Addr().Is4() {
		return nil, fmt.Errorf("Cidr %q is not IPv4", cidr)
	}
	if p.Masked() != p {
		return nil, fmt.Errorf("Cidr %q has host bits set (did you mean %s?)", cidr, p.Masked())
	}
	if p.Bits() < config.MinVpcPrefix || p.Bits() > config.MaxVpcPrefix {
		return nil, fmt.Errorf("Cidr %q: prefix must be /%d to /%d: subnets of at least /27, the ALB minimum (see config.MaxVpcPrefix)",
			cidr, config.MinVpcPrefix, config.MaxVpcPrefix)
	}
	bits := p.Bits() + config.SubnetExtraBits
	a4 := p.Addr().As4()
	base := binary.BigEndian.Uint32(a4[:])
	size := uint32(1) << (32 - bits)
	out := make([]netip.Prefix, 0, 3*tiers)
	for i := range uint32(3 * tiers) {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], base+i*size)
		out = append(out, netip.PrefixFrom(netip.AddrFrom4(b), bits))
	}
	return out, nil
}

// SubnetPlan is the 9 subnets of cidr in order: public, private, isolated, each over the three
// AZs in order.
func SubnetPlan(cidr string) ([]netip.Prefix, error) { return subnetCidrs(cidr) }

// PrivateSubnetCidrs are the app-task (private) subnets of a VPC this package built over cidr:
// what the other region's data stores admit across the peering.
func PrivateSubnetCidrs(cidr string) ([]string, error) {
	all, err := subnetCidrs(cidr)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range all[private*3 : (private+1)*3] {
		out = append(out, p.String())
	}
	return out, nil
}

// InterfaceEndpoints is how many interface endpoints take an address in each private subnet.
func InterfaceEndpoints() int { return len(interfaceServices) }

type namedSubnet struct {
	*ec2.Subnet
	name string
}

// subnets holds the IDs of each tier and the route tables the endpoints attach to.
type subnets struct {
	public, private, isolated pulumi.StringArray
	privateRouteTables        pulumi.StringArray
	azs                       []string          // the private route tables' AZs, in order
	isolatedRouteTable        pulumi.IDOutput   // one for all AZs
	egress                    []pulumi.Resource // the NAT gateways and the private default routes
}

// igwImport imports an adopted VPC's internet gateway (a VPC has at most one).
func newSubnets(ctx *pulumi.Context, name string, vpc *ec2.Vpc, p plan, natCount int, parent pulumi.ResourceOption, igwImport []pulumi.ResourceOption) (*subnets, error) {
	out := &subnets{}
	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  tags(name + "-igw"),
	}, append(igwImport, parent)...)
	if err != nil {
		return nil, err
	}

	var ids [tiers][]namedSubnet
	for t := range tiers {
		for i, az := range p.azs {
			rn := fmt.Sprintf("%s-%s-%s", name, tierNames[t], az)
			sa := &ec2.SubnetArgs{
				VpcId:            vpc.ID(),
				CidrBlock:        pulumi.String(p.subnets[t][i]),
				AvailabilityZone: pulumi.String(az),
				// Public subnets hold only the ALB and NAT gateways, which bring their own addresses.
				MapPublicIpOnLaunch: pulumi.Bool(false),
				Tags:                pulumi.StringMap{"Name": pulumi.String(rn), "Tier": pulumi.String(tierNames[t])},
			}
			if p.byID {
				sa.AvailabilityZone, sa.AvailabilityZoneId = nil, pulumi.String(az)
			}
			s, err := ec2.NewSubnet(ctx, rn, sa, parent)
			if err != nil {
				return nil, err
			}
			ids[t] = append(ids[t], namedSubnet{s, rn})
		}
	}
	for _, s := range ids[public] {
		out.public = append(out.public, s.ID())
	}
	for _, s := range ids[private] {
		out.private = append(out.private, s.ID())
	}
	for _, s := range ids[isolated] {
		out.isolated = append(out.isolated, s.ID())
	}

	// Public: one route table, default route to the internet gateway.
	publicRT, err := routeTable(ctx, name+"-public-rt", vpc, ids[public], parent)
	if err != nil {
		return nil, err
	}
	if _, err := ec2.NewRoute(ctx, name+"-public-default", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent); err != nil {
		return nil, err
	}

	// NAT gateways in the public subnets: one per AZ, one shared (dev), or none (idle).
	var nats []*ec2.NatGateway
	for i := range natCount {
		az := p.azs[i]
		eip, err := ec2.NewEip(ctx, fmt.Sprintf("%s-nat-eip-%s", name, az), &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   tags(fmt.Sprintf("%s-nat-eip-%s", name, az)),
		}, parent)
		if err != nil {
			return nil, err
		}
		nat, err := ec2.NewNatGateway(ctx, fmt.Sprintf("%s-nat-%s", name, az), &ec2.NatGatewayArgs{
			AllocationId: eip.AllocationId,
			SubnetId:     ids[public][i].ID(),
			Tags:         tags(fmt.Sprintf("%s-nat-%s", name, az)),
		}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, err
		}
		nats = append(nats, nat)
		out.egress = append(out.egress, nat)
	}

	// Private: a route table per AZ, default route to that AZ's NAT (or the shared one).
	for i, az := range p.azs {
		rt, err := routeTable(ctx, fmt.Sprintf("%s-private-rt-%s", name, az), vpc, ids[private][i:i+1], parent)
		if err != nil {
			return nil, err
		}
		out.privateRouteTables = append(out.privateRouteTables, rt.ID())
		out.azs = append(out.azs, az)
		if len(nats) == 0 {
			continue // idle: nothing in the private subnets needs the internet
		}
		nat := nats[min(i, len(nats)-1)]
		route, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-private-default-%s", name, az), &ec2.RouteArgs{
			RouteTableId:         rt.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nat.ID(),
		}, parent)
		if err != nil {
			return nil, err
		}
		out.egress = append(out.egress, route)
	}

	// Isolated: no route out; data stores are reached from inside the VPC and, once the peer
	// region's VPC is peered, from the peer's app tasks (peering.go).
	isolatedRT, err := routeTable(ctx, name+"-isolated-rt", vpc, ids[isolated], parent)
	if err != nil {
		return nil, err
	}
	out.isolatedRouteTable = isolatedRT.ID()
	return out, nil
}

// routeTable creates a route table without inline routes (routes are separate resources, so
// the S3 gateway endpoint's managed routes never conflict) and associates the subnets.
func routeTable(ctx *pulumi.Context, rn string, vpc *ec2.Vpc, subnets []namedSubnet, parent pulumi.ResourceOption) (*ec2.RouteTable, error) {
	rt, err := ec2.NewRouteTable(ctx, rn, &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  tags(rn),
	}, parent)
	if err != nil {
		return nil, err
	}
	for _, s := range subnets {
		// Named after the subnet, so each association stays put if the AZ list is reordered.
		if _, err := ec2.NewRouteTableAssociation(ctx, s.name+"-rta", &ec2.RouteTableAssociationArgs{
			RouteTableId: rt.ID(),
			SubnetId:     s.ID(),
		}, parent); err != nil {
			return nil, err
		}
	}
	return rt, nil
}
