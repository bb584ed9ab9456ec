// Package app provides the application tier of one region: an ECS cluster and Fargate service
// behind an HTTPS load balancer, with least-privilege roles, target-tracking autoscaling and
// scheduled scale-up for the AGM season.
package app

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Args describe the app of one region.
type Args struct {
	VpcID               pulumi.StringInput
	PublicSubnetIDs     pulumi.StringArrayInput // the load balancer's subnets
	PrivateSubnetIDs    pulumi.StringArrayInput // the tasks' subnets
	TaskSecurityGroupID pulumi.StringInput      // from the network; this component adds ingress from the ALB
	CertificateArn      pulumi.StringInput      // validated ACM certificate for the HTTPS listener

	// Image is the full reference in this region's ECR:
	// <acct>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> or ...@sha256:<digest>.
	Image              pulumi.StringInput
	ContainerPort      int      // default 8080
	HealthCheckPath    string   // default /healthz (load balancer and container health checks)
	HealthCheckCommand []string // container health check; default curl of HealthCheckPath (needs curl in the image)
	User               string   // container user, non-root; default 10001:10001
	Cpu, Memory        int      // Fargate task size (CPU units, MiB)

	MinTasks          int // floor for this region's role: primary full, standby warm
	MaxTasks          int
	RequestsPerTarget int // ALB requests per target per minute to track; default 1000

	Schedules []Schedule // AGM-season windows that raise the floor
	Timezone  string     // IANA zone the Schedules' crons are read in, e.g. Asia/Tokyo

	Environment map[string]pulumi.StringInput // plain, non-secret env vars
	Secrets     map[string]pulumi.StringInput // env var -> Secrets Manager secret ARN (container valueFrom)
	SecretArns  pulumi.StringArrayInput       // the only secrets the execution role may read
	QueueArns   pulumi.StringArrayInput       // task role: send/receive/delete
	BucketArn   pulumi.StringInput            // task role: get/put objects
	KmsKeyArn   pulumi.StringInput            // log group encryption; task role decrypt/generate data key

	LogRetentionDays    int
	AccessLogBucketName string // the ALB access-log bucket this component creates (protected, retained)
	Region              string // this stack's region (ap-northeast-1 or ap-northeast-3)

	// Asleep (a sleeping dev environment): no task runs and the season windows are not
	// scheduled; MinTasks and MaxTasks still say what waking restores.
	Asleep bool

	// Adopted, on the home stack only, takes over an existing ECS cluster and service (drctl
	// adopt) under their own names instead of creating new ones.
	Adopted *Adopted
}

// Schedule raises the task floor between two App Auto Scaling cron expressions.
type Schedule struct {
	Name      string // lowercase letters, digits, hyphens; unique
	StartCron string // "cron(...)": raise the floor to max(MinTasks, Args.MinTasks)
	EndCron   string // "cron(...)": restore the floor to Args.MinTasks
	MinTasks  int
}

// App is the running service and what DNS, alarms and dashboards need of it.
type App struct {
	pulumi.ResourceState

	LoadBalancerDNSName   pulumi.StringOutput `pulumi:"loadBalancerDnsName"`
	LoadBalancerZoneID    pulumi.StringOutput `pulumi:"loadBalancerZoneId"`
	LoadBalancerArn       pulumi.StringOutput `pulumi:"loadBalancerArn"`
	LoadBalancerArnSuffix pulumi.StringOutput `pulumi:"loadBalancerArnSuffix"`
	TargetGroupArnSuffix  pulumi.StringOutput `pulumi:"targetGroupArnSuffix"`
	TargetGroupArn        pulumi.StringOutput `pulumi:"targetGroupArn"`
	ClusterName           pulumi.StringOutput `pulumi:"clusterName"`
	ServiceName           pulumi.StringOutput `pulumi:"serviceName"`
}

const containerName = "app"

// New creates the app.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*App, error) {
	if args == nil {
		return nil, errors.New("app: args are required")
	}
	a := *args // defaults are filled in a copy; the caller's Args stay as given
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("app %s: %w", name, err)
	}
	c := &App{}
	if err := ctx.RegisterComponentResource("agm-dr:app:App", name, c, opts...); err != nil {
		return nil, fmt.Errorf("app %s: %w", name, err)
	}
	if err := c.build(ctx, name, &a); err != nil {
		return nil, fmt.Errorf("app %s: %w", name, err)
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"loadBalancerDnsName":   c.LoadBalancerDNSName,
		"loadBalancerZoneId":    c.LoadBalancerZoneID,
		"loadBalancerArn":       c.LoadBalancerArn,
		"loadBalancerArnSuffix": c.LoadBalancerArnSuffix,
		"targetGroupArnSuffix":  c.TargetGroupArnSuffix,
		"targetGroupArn":        c.TargetGroupArn,
		"clusterName":           c.ClusterName,
		"serviceName":           c.ServiceName,
	})
}

func (c *App) build(ctx *pulumi.Context, name string, a *Args) error {
	parent := pulumi.Parent(c)
	clusterName, serviceName, clusterImport, serviceImport := a.names(name)
	cluster, err := ecs.NewCluster(ctx, name+"-cluster", &ecs.ClusterArgs{
		Name: pulumi.String(clusterName),
		Settings: ecs.ClusterSettingArray{ecs.ClusterSettingArgs{
			Name: pulumi.String("containerInsights"), Value: pulumi.String("enabled"),
		}},
		Tags: tags(name),
	}, append(clusterImport, parent)...)
	if err != nil {
		return err
	}
	c.ClusterName = cluster.Name

	lb, err := newLoadBalancer(ctx, name, a, parent)
	if err != nil {
		return err
	}
	c.LoadBalancerDNSName = lb.alb.DnsName
	c.LoadBalancerZoneID = lb.alb.ZoneId
	c.LoadBalancerArn = lb.alb.Arn
	c.LoadBalancerArnSuffix = lb.alb.ArnSuffix
	c.TargetGroupArnSuffix = lb.targetGroup.ArnSuffix
	c.TargetGroupArn = lb.targetGroup.Arn

	task, err := newTaskDefinition(ctx, name, a, parent)
	if err != nil {
		return err
	}

	service, err := ecs.NewService(ctx, name+"-service", &ecs.ServiceArgs{
		Name:           pulumi.String(serviceName),
		Cluster:        cluster.Arn,
		TaskDefinition: task.Arn,
		LaunchType:     pulumi.String("FARGATE"),
		DesiredCount:   pulumi.Int(a.floor()), // only the first value: autoscaling owns it afterwards
		NetworkConfiguration: ecs.ServiceNetworkConfigurationArgs{
			Subnets:        a.PrivateSubnetIDs,
			SecurityGroups: a.securityGroups(),
			AssignPublicIp: pulumi.Bool(false),
		},
		LoadBalancers:                 a.loadBalancers(lb.targetGroup.Arn),
		HealthCheckGracePeriodSeconds: pulumi.Int(60),
		DeploymentCircuitBreaker: ecs.ServiceDeploymentCircuitBreakerArgs{
			Enable: pulumi.Bool(true), Rollback: pulumi.Bool(true),
		},
		DeploymentMinimumHealthyPercent: pulumi.Int(100),
		DeploymentMaximumPercent:        pulumi.Int(200),
		AvailabilityZoneRebalancing:     pulumi.String("ENABLED"),
		EnableEcsManagedTags:            pulumi.Bool(true),
		PropagateTags:                   pulumi.String("SERVICE"),
		Tags:                            tags(name),
	}, append(serviceImport, parent,
		pulumi.IgnoreChanges([]string{"desiredCount"}),
		// The target group must be attached to the load balancer before the service uses it.
		pulumi.DependsOn([]pulumi.Resource{lb.https, lb.http}))...)
	if err != nil {
		return err
	}
	c.ServiceName = service.Name

	return newScaling(ctx, name, a, cluster, service, lb, parent)
}

func tags(name string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(name)}
}
