package network

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ClientOnlyGroupArgs describe a data store's security group.
type ClientOnlyGroupArgs struct {
	Name            string // physical name
	Description     string
	RuleDescription string
	VpcID           pulumi.StringInput
	Port            int
	ClientGroupID   pulumi.StringInput // the only group allowed in (the app tasks)
	// PeerCidrs, when set, also admits the peer region's app-task subnets on the port (its
	// private subnets, PrivateSubnetCidrs; not its whole VPC): its tasks write here across the
	// peering while this region holds the primary (peering.go).
	PeerCidrs []string
}

// NewClientOnlyGroup creates a security group that admits only the client group (and the peer
// region's app-task subnets) on one port and has no egress rules: data stores answer, they never call out.
func NewClientOnlyGroup(ctx *pulumi.Context, name string, a ClientOnlyGroupArgs, opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	ingress := ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
		Description:    pulumi.String(a.RuleDescription),
		Protocol:       pulumi.String("tcp"),
		FromPort:       pulumi.Int(a.Port),
		ToPort:         pulumi.Int(a.Port),
		SecurityGroups: pulumi.StringArray{a.ClientGroupID},
	}}
	if len(a.PeerCidrs) > 0 {
		ingress = append(ingress, ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("App tasks of the peer region, across the VPC peering"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(a.Port),
			ToPort:      pulumi.Int(a.Port),
			CidrBlocks:  pulumi.ToStringArray(a.PeerCidrs),
		})
	}
	return ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		Name:        pulumi.String(a.Name),
		Description: pulumi.String(a.Description),
		VpcId:       a.VpcID,
		Ingress:     ingress,
	}, opts...)
}
