package network

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// interfaceServices are what a task needs at start and at run time: pull its image (ECR API and
// registry), read its secrets, write logs, use its queue and key, and assume roles (STS).
var interfaceServices = []string{"ecr.api", "ecr.dkr", "secretsmanager", "logs", "sqs", "kms", "sts"}

// newEndpoints creates the S3 gateway endpoint (ECR image layers live in S3) on the private
// route tables, and (unless the network is idle) interface endpoints with private DNS in the
// private subnets. It returns the interface endpoints.
func newEndpoints(ctx *pulumi.Context, name string, vpc *ec2.Vpc, vpcCidr, region string, sn *subnets, withInterfaces bool, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	if _, err := ec2.NewVpcEndpoint(ctx, name+"-vpce-s3", &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		ServiceName:     pulumi.String(fmt.Sprintf("com.amazonaws.%s.s3", region)),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   sn.privateRouteTables,
		Tags:            tags(name + "-vpce-s3"),
	}, parent); err != nil {
		return nil, err
	}

	sg, err := ec2.NewSecurityGroup(ctx, name+"-endpoints-sg", &ec2.SecurityGroupArgs{
		VpcId:       vpc.ID(),
		Description: pulumi.String("VPC interface endpoints: HTTPS from inside the VPC only"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("HTTPS from the VPC"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(443),
			ToPort:      pulumi.Int(443),
			CidrBlocks:  pulumi.StringArray{pulumi.String(vpcCidr)},
		}},
		// Endpoints only answer; an empty list removes the default allow-all egress.
		Egress: ec2.SecurityGroupEgressArray{},
		Tags:   tags(name + "-endpoints-sg"),
	}, parent)
	if err != nil {
		return nil, err
	}

	if !withInterfaces {
		return nil, nil
	}
	var eps []pulumi.Resource
	for _, svc := range interfaceServices {
		rn := fmt.Sprintf("%s-vpce-%s", name, strings.ReplaceAll(svc, ".", "-"))
		ep, err := ec2.NewVpcEndpoint(ctx, rn, &ec2.VpcEndpointArgs{
			VpcId:             vpc.ID(),
			ServiceName:       pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", region, svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         sn.private,
			SecurityGroupIds:  pulumi.StringArray{sg.ID()},
			Tags:              tags(rn),
		}, parent)
		if err != nil {
			return nil, err
		}
		eps = append(eps, ep)
	}
	return eps, nil
}

// newTaskSecurityGroup creates the app tasks' group here, so the database and cache can admit it
// without depending on the app. It has no ingress: the app adds one rule from its ALB's group.
// Egress: HTTPS anywhere (AWS APIs through endpoints or NAT, S3 through the gateway endpoint)
// and PostgreSQL/Redis inside the VPC. Rules are separate resources because the app adds its
// ingress rule the same way, and inline and separate rules on one group fight each other.
func newTaskSecurityGroup(ctx *pulumi.Context, name string, vpc *ec2.Vpc, vpcCidr string, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(ctx, name+"-tasks-sg", &ec2.SecurityGroupArgs{
		VpcId:       vpc.ID(),
		Description: pulumi.String("App tasks: ingress only from the app load balancer"),
		Tags:        tags(name + "-tasks-sg"),
	}, parent)
	if err != nil {
		return nil, err
	}
	egress := []struct {
		suffix, desc, cidr string
		port               int
	}{
		{"https", "HTTPS to AWS APIs and the internet", "0.0.0.0/0", 443},
		{"postgres", "PostgreSQL inside the VPC", vpcCidr, 5432},
		{"redis", "Redis/Valkey inside the VPC", vpcCidr, 6379},
	}
	for _, e := range egress {
		if _, err := ec2.NewSecurityGroupRule(ctx, name+"-tasks-egress-"+e.suffix, &ec2.SecurityGroupRuleArgs{
			Type:            pulumi.String("egress"),
			SecurityGroupId: sg.ID(),
			Description:     pulumi.String(e.desc),
			Protocol:        pulumi.String("tcp"),
			FromPort:        pulumi.Int(e.port),
			ToPort:          pulumi.Int(e.port),
			CidrBlocks:      pulumi.StringArray{pulumi.String(e.cidr)},
		}, parent); err != nil {
			return nil, err
		}
	}
	return sg, nil
}
