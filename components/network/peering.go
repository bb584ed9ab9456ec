package network

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The two regions' VPCs are peered so an app task can write to the data stores of the other
// region: ElastiCache Global Datastore accepts writes only on the primary cluster, a secondary
// only reads (docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html,
// "Overview"), and the Aurora global writer endpoint names the writer wherever it is
// (…/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html). Between the cache
// failover and the move of traffic, and while cached DNS answers still lead to the old region,
// that region's tasks reach the new primaries only across this connection.
//
// A cross-region connection has a requester and an accepter: the requester's auto-accept works
// only within one region, so the peer region accepts it itself
// (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_peering_connection,
// "auto_accept"; …/resources/vpc_peering_connection_accepter). Routes may point at a connection
// that is still pending acceptance; they stay blackholes until it is active
// (docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html, "Considerations").
// A request not accepted within 7 days expires and can no longer be accepted
// (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcPeeringConnection.html): run the
// home stack's `up` soon after the peer's. `drctl check` reads the connection and fails on a
// pending, expired or missing one (runbook/peering.go).
//
// Across the connection the data stores admit only the peer's private subnets, where its app
// tasks run (PrivateSubnetCidrs), not the peer's whole VPC.

// Peer is the other region's VPC.
type Peer struct {
	Region string // the other region, e.g. ap-northeast-3
	Cidr   string // its VPC CIDR; must not overlap this VPC's
	// Exactly one side of a pair sets one of these, once the other side exists:
	VpcID     string // requester: the peer's VPC id (from the peer stack's outputs)
	PeeringID string // accepter: the connection the peer requested (from its outputs)
}

func (p *Peer) validate(cidr, region string) error {
	if p == nil {
		return nil
	}
	var errs []error
	if p.Region == "" || p.Region == region {
		errs = append(errs, fmt.Errorf("Region %q must name the other region", p.Region))
	}
	mine, err1 := netip.ParsePrefix(cidr)
	theirs, err2 := netip.ParsePrefix(p.Cidr)
	switch {
	case err2 != nil:
		errs = append(errs, fmt.Errorf("Cidr %q is not a CIDR block", p.Cidr))
	case err1 == nil && mine.Overlaps(theirs):
		errs = append(errs, fmt.Errorf("Cidr %s overlaps this VPC's %s: peered VPCs need disjoint blocks", p.Cidr, cidr))
	}
	if p.VpcID != "" && p.PeeringID != "" {
		errs = append(errs, errors.New("set VpcID (this side requests) or PeeringID (this side accepts), not both"))
	}
	return errors.Join(errs...)
}

// newPeering opens this side of the path to the peer: task egress to the peer's data-store
// ports (always; harmless before the connection exists), the connection (requested or
// accepted) and a route to the peer's CIDR from the app's and the data stores' route tables
// (return traffic of the peer's tasks leaves from the isolated subnets).
func newPeering(ctx *pulumi.Context, name string, vpc *ec2.Vpc, taskSG *ec2.SecurityGroup, sn *subnets, p *Peer, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	none := pulumi.String("").ToStringOutput()
	if p == nil {
		return none, nil
	}
	for _, e := range []struct {
		suffix, desc string
		port         int
	}{
		{"postgres", "PostgreSQL in " + p.Region + " (Aurora global writer there)", 5432},
		{"redis", "Redis/Valkey in " + p.Region + " (Global Datastore primary there)", 6379},
	} {
		if _, err := ec2.NewSecurityGroupRule(ctx, name+"-tasks-egress-peer-"+e.suffix, &ec2.SecurityGroupRuleArgs{
			Type:            pulumi.String("egress"),
			SecurityGroupId: taskSG.ID(),
			Description:     pulumi.String(e.desc),
			Protocol:        pulumi.String("tcp"),
			FromPort:        pulumi.Int(e.port),
			ToPort:          pulumi.Int(e.port),
			CidrBlocks:      pulumi.StringArray{pulumi.String(p.Cidr)},
		}, parent); err != nil {
			return none, err
		}
	}
	var id pulumi.StringOutput
	switch {
	case p.VpcID != "":
		pcx, err := ec2.NewVpcPeeringConnection(ctx, name+"-peering", &ec2.VpcPeeringConnectionArgs{
			VpcId:      vpc.ID(),
			PeerVpcId:  pulumi.String(p.VpcID),
			PeerRegion: pulumi.String(p.Region),
			Tags:       tags(name + "-peering-" + p.Region),
		}, parent)
		if err != nil {
			return none, err
		}
		id = pcx.ID().ToStringOutput()
	case p.PeeringID != "":
		acc, err := ec2.NewVpcPeeringConnectionAccepter(ctx, name+"-peering-accepter", &ec2.VpcPeeringConnectionAccepterArgs{
			VpcPeeringConnectionId: pulumi.String(p.PeeringID),
			AutoAccept:             pulumi.Bool(true),
			Tags:                   tags(name + "-peering-" + p.Region),
		}, parent)
		if err != nil {
			return none, err
		}
		id = acc.ID().ToStringOutput()
	default:
		return none, nil // the other side does not exist yet
	}
	tables := map[string]pulumi.StringInput{"isolated": sn.isolatedRouteTable}
	for i, az := range sn.azs {
		tables["private-"+az] = sn.privateRouteTables[i]
	}
	for _, t := range sortedKeys(tables) {
		if _, err := ec2.NewRoute(ctx, name+"-"+t+"-peer", &ec2.RouteArgs{
			RouteTableId:           tables[t],
			DestinationCidrBlock:   pulumi.String(p.Cidr),
			VpcPeeringConnectionId: id,
		}, parent); err != nil {
			return none, err
		}
	}
	return id, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.Sort(keys)
	return keys
}
