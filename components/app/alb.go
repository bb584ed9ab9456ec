package app

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// tlsPolicy accepts TLS 1.2 and 1.3 only, with forward-secret ciphers.
const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

type loadBalancer struct {
	alb         *lb.LoadBalancer
	targetGroup *lb.TargetGroup
	https, http *lb.Listener
}

// newLoadBalancer creates the internet-facing ALB: HTTPS to the tasks, HTTP only to redirect.
func newLoadBalancer(ctx *pulumi.Context, name string, a *Args, parent pulumi.ResourceOrInvokeOption) (*loadBalancer, error) {
	out := &loadBalancer{}
	anywhere := pulumi.StringArray{pulumi.String("0.0.0.0/0")}
	sg, err := ec2.NewSecurityGroup(ctx, name+"-alb-sg", &ec2.SecurityGroupArgs{
		VpcId:       a.VpcID,
		Description: pulumi.String("App load balancer: HTTPS and HTTP (redirect) from the internet"),
		Ingress: ec2.SecurityGroupIngressArray{
			ec2.SecurityGroupIngressArgs{Description: pulumi.String("HTTPS"), Protocol: pulumi.String("tcp"),
				FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), CidrBlocks: anywhere},
			ec2.SecurityGroupIngressArgs{Description: pulumi.String("HTTP, redirected to HTTPS"), Protocol: pulumi.String("tcp"),
				FromPort: pulumi.Int(80), ToPort: pulumi.Int(80), CidrBlocks: anywhere},
		},
		Egress: ec2.SecurityGroupEgressArray{
			ec2.SecurityGroupEgressArgs{Description: pulumi.String("To the app tasks only"), Protocol: pulumi.String("tcp"),
				FromPort: pulumi.Int(a.ContainerPort), ToPort: pulumi.Int(a.ContainerPort),
				SecurityGroups: pulumi.StringArray{a.TaskSecurityGroupID}},
		},
		Tags: tags(name + "-alb-sg"),
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := ec2.NewSecurityGroupRule(ctx, name+"-tasks-from-alb", &ec2.SecurityGroupRuleArgs{
		Type:                  pulumi.String("ingress"),
		SecurityGroupId:       a.TaskSecurityGroupID,
		SourceSecurityGroupId: sg.ID(),
		Description:           pulumi.String("App port from the load balancer only"),
		Protocol:              pulumi.String("tcp"),
		FromPort:              pulumi.Int(a.ContainerPort),
		ToPort:                pulumi.Int(a.ContainerPort),
	}, parent); err != nil {
		return nil, err
	}

	logs, err := newAccessLogBucket(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}
	if out.alb, err = lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		SecurityGroups:           pulumi.StringArray{sg.ID()},
		Subnets:                  a.PublicSubnetIDs,
		DropInvalidHeaderFields:  pulumi.Bool(true),
		EnableDeletionProtection: pulumi.Bool(true),
		AccessLogs: lb.LoadBalancerAccessLogsArgs{
			Bucket:  logs.bucket.Bucket,
			Prefix:  pulumi.String(accessLogPrefix),
			Enabled: pulumi.Bool(true),
		},
		Tags: tags(name + "-alb"),
		// ELB checks it can write to the bucket when access logs are turned on.
	}, parent, pulumi.DependsOn([]pulumi.Resource{logs.policy})); err != nil {
		return nil, err
	}

	if out.targetGroup, err = lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
		TargetType:          pulumi.String("ip"),
		Protocol:            pulumi.String("HTTP"),
		Port:                pulumi.Int(a.ContainerPort),
		VpcId:               a.VpcID,
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Path:               pulumi.String(a.HealthCheckPath),
			Matcher:            pulumi.String("200-399"),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(3),
		},
		Tags: tags(name + "-tg"),
	}, parent); err != nil {
		return nil, err
	}

	if out.https, err = lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
		LoadBalancerArn: out.alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(tlsPolicy),
		CertificateArn:  a.CertificateArn,
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: out.targetGroup.Arn,
		}},
		Tags: tags(name + "-https"),
	}, parent); err != nil {
		return nil, err
	}
	if out.http, err = lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: out.alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: lb.ListenerDefaultActionRedirectArgs{
				Protocol:   pulumi.String("HTTPS"),
				Port:       pulumi.String("443"),
				StatusCode: pulumi.String("HTTP_301"),
			},
		}},
		Tags: tags(name + "-http"),
	}, parent); err != nil {
		return nil, err
	}
	return out, nil
}
