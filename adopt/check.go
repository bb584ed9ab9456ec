package adopt

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"

	"github.com/agm-dr/agm-dr/components/network"
)

// Blocker is a fact about an existing resource that stops adoption, with the rule's source and
// what the operator does about it.
type Blocker struct {
	Resource string // e.g. "aurora cluster agm-prod-aurora"
	Problem  string
	Fix      string
	Source   string
}

// Report is what Check read and found.
type Report struct {
	Facts    []string // what was read, one line per resource
	Blockers []Blocker
}

// InputError is a wrong adopt input: a resource that does not exist, or one that already
// belongs to something adopt would have to take it from. Nothing was changed.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputErrorf(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// Check reads the existing resources, read-only, and lists every blocker. It returns an
// *InputError (all of them, joined) when the input names something that does not exist or is
// already taken; any other error is a failed read.
func Check(ctx context.Context, c Clients, e Existing, t Target) (Report, error) {
	var r Report
	var errs []error
	for _, step := range []func(context.Context, Clients, Existing, Target, *Report) error{
		checkVPC, checkCluster, checkCache, checkService, checkQueues, checkBuckets, checkSecret,
	} {
		if err := step(ctx, c, e, t, &r); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		if allInput(errs) {
			return r, &InputError{Err: err}
		}
		// A failed read decides: the input may be right, so it is not reported as bad input.
		return r, fmt.Errorf("reading the existing resources: %v", err)
	}
	return r, nil
}

func allInput(errs []error) bool {
	for _, err := range errs {
		var in *InputError
		if !errors.As(err, &in) {
			return false
		}
	}
	return true
}

func (r *Report) block(resource, problem, fix, source string) {
	r.Blockers = append(r.Blockers, Blocker{Resource: resource, Problem: problem, Fix: fix, Source: source})
}

func (r *Report) fact(format string, args ...any) {
	r.Facts = append(r.Facts, fmt.Sprintf(format, args...))
}

// errCode is the AWS error code of err, or "".
func errCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// notFound reports whether err is AWS saying the named resource does not exist.
func notFound(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "DBClusterNotFoundFault", "ReplicationGroupNotFoundFault", "CacheClusterNotFound",
		"InvalidVpcID.NotFound", "NoSuchBucket", "NotFound",
		"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
		"ClusterNotFoundException", "ServiceNotFoundException", "ResourceNotFoundException":
		return true
	}
	return false
}

func checkVPC(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	name := "vpc " + e.VpcID
	out, err := c.EC2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{e.VpcID}})
	if notFound(err) || (err == nil && len(out.Vpcs) == 0) {
		return inputErrorf("%s does not exist in %s", name, t.HomeRegion)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	cidr := aws.ToString(out.Vpcs[0].CidrBlock)
	r.fact("%s: %s", name, cidr)
	have, err := netip.ParsePrefix(cidr)
	if err != nil {
		return fmt.Errorf("%s: CIDR %q: %w", name, cidr, err)
	}
	if peer, err := netip.ParsePrefix(t.PeerCidr); err == nil && have.Overlaps(peer) {
		r.block(name, fmt.Sprintf("CIDR %s overlaps the %s plan %s: the two VPCs could never be routed to each other", cidr, t.PeerRegion, t.PeerCidr),
			fmt.Sprintf("choose a non-overlapping agm-dr:vpcCidrs.%s", t.PeerRegion),
			"Amazon VPC Peering Guide, \"VPC peering limitations\": you cannot peer VPCs with overlapping IPv4 CIDR blocks")
	}
	if cidr != t.HomeCidr {
		r.block(name, fmt.Sprintf("CIDR %s differs from agm-dr:vpcCidrs.%s %s: importing it would replace the VPC and every task, load balancer and database in it", cidr, t.HomeRegion, t.HomeCidr),
			fmt.Sprintf("set agm-dr:vpcCidrs.%s to %s", t.HomeRegion, cidr),
			"EC2 API reference, CreateVpc/ModifyVpcAttribute: a VPC's primary CIDR block cannot be changed after creation")
		return nil
	}
	if err := checkSubnets(ctx, c, e, t, r); err != nil {
		return err
	}
	return checkDefaultGroup(ctx, c, e, r)
}

// checkDefaultGroup finds network interfaces in the VPC's default security group: the import
// closes that group (no rules, as for a VPC the program creates: policy AGM-NET-002), so what
// uses it would lose its traffic.
func checkDefaultGroup(ctx context.Context, c Clients, e Existing, r *Report) error {
	sgs, err := c.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{e.VpcID}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	if err != nil {
		return fmt.Errorf("vpc %s: default security group: %w", e.VpcID, err)
	}
	for _, sg := range sgs.SecurityGroups {
		id := aws.ToString(sg.GroupId)
		enis, err := c.EC2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{
			{Name: aws.String("group-id"), Values: []string{id}}}})
		if err != nil {
			return fmt.Errorf("vpc %s: network interfaces in %s: %w", e.VpcID, id, err)
		}
		// Filtered again here: an emulator may ignore the filter, and the verdict must not depend on it.
		var using []ec2types.NetworkInterface
		for _, ni := range enis.NetworkInterfaces {
			for _, g := range ni.Groups {
				if aws.ToString(g.GroupId) == id && aws.ToString(ni.VpcId) == e.VpcID {
					using = append(using, ni)
					break
				}
			}
		}
		if n := len(using); n > 0 {
			first := using[0]
			r.block("vpc "+e.VpcID, fmt.Sprintf("%d network interface(s) use its default security group %s (e.g. %s, %q), which the import closes",
				n, id, aws.ToString(first.NetworkInterfaceId), aws.ToString(first.Description)),
				"move them to security groups of their own first",
				"Amazon VPC User Guide, \"Default security groups for your VPCs\"; policy AGM-NET-002 (docs/policies.md)")
		}
	}
	return nil
}

// checkSubnets finds existing subnets that overlap the subnets the program adds to the VPC
// (network.SubnetPlan): CreateSubnet refuses a CIDR that overlaps another subnet of the VPC,
// so the import's up would fail half-way.
func checkSubnets(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	plan, err := network.SubnetPlan(t.HomeCidr)
	if err != nil {
		return fmt.Errorf("vpc %s: the subnet plan of %s: %w", e.VpcID, t.HomeCidr, err)
	}
	out, err := c.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{e.VpcID}}}})
	if err != nil {
		return fmt.Errorf("vpc %s: subnets: %w", e.VpcID, err)
	}
	for _, sn := range out.Subnets {
		have, err := netip.ParsePrefix(aws.ToString(sn.CidrBlock))
		if err != nil {
			continue
		}
		for _, p := range plan {
			if have.Overlaps(p) {
				r.block("vpc "+e.VpcID, fmt.Sprintf("existing subnet %s (%s) overlaps the program's subnet %s", aws.ToString(sn.SubnetId), have, p),
					"move what runs in that subnet, or adopt into a VPC whose free space holds the program's nine subnets (docs/adopt.md)",
					"EC2 API reference, CreateSubnet: the CIDR block must not overlap with the CIDR block of an existing subnet in the VPC")
				break
			}
		}
	}
	return nil
}

func checkService(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	name := fmt.Sprintf("ecs service %s/%s", e.ECSCluster, e.ECSService)
	out, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(e.ECSCluster), Services: []string{e.ECSService}})
	if notFound(err) || (err == nil && (len(out.Services) == 0 || aws.ToString(out.Services[0].Status) == "INACTIVE")) {
		return inputErrorf("%s does not exist in %s", name, t.HomeRegion)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	s := out.Services[0]
	r.fact("%s: %d running of %d desired, launch type %s", name, s.RunningCount, s.DesiredCount, s.LaunchType)
	if s.LaunchType != ecstypes.LaunchTypeFargate {
		r.block(name, fmt.Sprintf("launch type %q: the program runs the service on Fargate, and a service's launch type cannot change in place: the import would replace it", s.LaunchType),
			"move the service to Fargate first (a new service behind the same target group), then adopt that one",
			"ECS API reference, UpdateService: the launch type cannot be updated; terraform-provider-aws ecs service launch_type ForceNew")
	}
	return nil
}

func checkQueues(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	var errs []error
	for _, q := range e.Queues {
		out, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(q)})
		switch {
		case notFound(err):
			errs = append(errs, inputErrorf("sqs queue %s does not exist in %s", q, t.HomeRegion))
		case err != nil:
			errs = append(errs, fmt.Errorf("sqs queue %s: %w", q, err))
		default:
			r.fact("sqs queue %s: %s", q, aws.ToString(out.QueueUrl))
		}
	}
	return errors.Join(errs...)
}

func checkBuckets(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	var errs []error
	for _, b := range e.Buckets {
		out, err := c.S3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(b)})
		switch {
		case notFound(err):
			errs = append(errs, inputErrorf("s3 bucket %s does not exist", b))
		case err != nil:
			errs = append(errs, fmt.Errorf("s3 bucket %s: %w", b, err))
		default:
			status := string(out.Status)
			if status == "" {
				status = "never enabled"
			}
			r.fact("s3 bucket %s: versioning %s", b, status)
		}
	}
	return errors.Join(errs...)
}
