package runbook

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/agm-dr/agm-dr/config"
)

// PeeringAPI is the EC2 call that reads a VPC peering connection. Both sides' regions list a
// cross-region connection, so the target region's endpoint answers even when the other is down.
type PeeringAPI interface {
	DescribeVpcPeeringConnections(ctx context.Context, in *ec2.DescribeVpcPeeringConnectionsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpcPeeringConnectionsOutput, error)
}

// PeeringFactory returns the EC2 reader of one region.
type PeeringFactory func(ctx context.Context, region string) (PeeringAPI, error)

// NewPeeringAPI builds the EC2 client of one region from the standard AWS configuration.
func NewPeeringAPI(ctx context.Context, region string) (PeeringAPI, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("aws config for %s: %w", region, err)
	}
	return ec2.NewFromConfig(cfg), nil
}

// PeeringRequestLifetime: a peering request not accepted within 7 days expires, and an expired
// request cannot be accepted any more (EC2 API, CreateVpcPeeringConnection: "You must accept the
// VPC peering connection request within 7 days, or it expires";
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcPeeringConnection.html).
const PeeringRequestLifetime = 7 * 24 * time.Hour

// peeringCheck reads, in region, the VPC peering connection the non-home stack requested (its
// id is that stack's output) and fails unless it is active: without it, the old primary's tasks
// cannot reach the new primary's cache and database while traffic moves. A pending request
// expires PeeringRequestLifetime after it was made. No check when the requester's outputs were
// not read (an unplanned switchover towards the home region reads only the home stack).
func peeringCheck(ctx context.Context, d ReadDeps, cfg config.Config, outs map[string]map[string]any, region string) []Check {
	requester := cfg.HomeStack()
	for _, s := range config.Stacks() {
		if s != cfg.HomeStack() {
			requester = s
		}
	}
	c := Check{Name: "VPC peering between the regions"}
	ro, ok := outs[requester]
	if d.Peerings == nil || !ok || ro == nil {
		return nil
	}
	home := cfg.HomeStack()
	renew := fmt.Sprintf("`pulumi refresh -s %s` and `pulumi up -s %s` (a new request), then `pulumi up -s %s` (accepts it)", requester, requester, home)
	id := str(ro, OutPeeringID)
	if id == "" {
		return []Check{c.fail("stack "+requester+" exports no peering connection", "run `pulumi up -s "+requester+"`, then `pulumi up -s "+home+"` (accepts it)")}
	}
	api, err := d.Peerings(ctx, region)
	if err != nil {
		return []Check{c.fail(err.Error(), "set AWS credentials for the account and re-run")}
	}
	out, err := api.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
	if err != nil {
		return []Check{c.fail(fmt.Sprintf("ec2:DescribeVpcPeeringConnections %s in %s: %v", id, region, err), "check AWS credentials and re-run")}
	}
	if len(out.VpcPeeringConnections) == 0 || out.VpcPeeringConnections[0].Status == nil {
		return []Check{c.fail(fmt.Sprintf("%s not found in %s (deleted, or expired and gone)", id, region), renew)}
	}
	pc := out.VpcPeeringConnections[0]
	code := string(pc.Status.Code)
	switch code {
	case "active":
		return []Check{c.pass(id + " active")}
	case "pending-acceptance":
		detail := id + " is pending acceptance: the path between the regions does not work yet"
		if pc.ExpirationTime != nil {
			detail += fmt.Sprintf("; the request expires at %s (a request not accepted within 7 days expires)",
				aws.ToTime(pc.ExpirationTime).UTC().Format(time.RFC3339))
		}
		return []Check{c.fail(detail, "run `pulumi up -s "+home+"`: it accepts the request")}
	case "initiating-request", "provisioning":
		return []Check{c.warn(id+" is "+code, "wait a minute and re-run")}
	}
	return []Check{c.fail(fmt.Sprintf("%s is %s: it cannot carry traffic and cannot be accepted any more", id, code), renew)}
}
