package fakeaws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// worldID is the output key a mirror uses to hand the emulator's id back as the resource's id
// (Create removes it from the outputs).
const worldID = "__worldId"

// mirrorPeering mirrors the VPC peering into the emulator (ministack serves EC2's peering calls),
// so `drctl check` reads the connection the stacks requested and accepted: the requester's
// CreateVpcPeeringConnection gives the id the program exports; the accepter's
// AcceptVpcPeeringConnection makes it active.
func mirrorPeering(ctx context.Context, cfg aws.Config, typ string, in resource.PropertyMap) (resource.PropertyMap, error) {
	api := ec2.NewFromConfig(cfg)
	switch typ {
	case "aws:ec2/vpcPeeringConnection:VpcPeeringConnection":
		res, err := api.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{
			VpcId: aws.String(str(in, "vpcId")), PeerVpcId: aws.String(str(in, "peerVpcId")), PeerRegion: optional(str(in, "peerRegion")),
		})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: ec2 CreateVpcPeeringConnection: %w", err)
		}
		return resource.PropertyMap{worldID: resource.NewProperty(aws.ToString(res.VpcPeeringConnection.VpcPeeringConnectionId))}, nil
	case "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
		id := str(in, "vpcPeeringConnectionId")
		if _, err := api.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)}); err != nil {
			return nil, fmt.Errorf("fake aws world: ec2 AcceptVpcPeeringConnection %s: %w", id, err)
		}
		return resource.PropertyMap{worldID: resource.NewProperty(id), "acceptStatus": resource.NewProperty("active")}, nil
	}
	return nil, nil
}
