package switchovertest

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// Service is a fake ECS service. Each DescribeServices call starts up to
// StartPerPoll of the missing tasks (new tasks take a while to run), so a
// gate that does not wait sees fewer running tasks than desired.
type Service struct {
	Region, Cluster, Name string
	Desired, Running      int
	StartPerPoll          int // default 1
	// TargetGroupArn is its load balancer target group (default
	// TargetGroupArn(region, cluster, name)); Unhealthy of the running tasks
	// fail the target group's health check.
	TargetGroupArn string
	Unhealthy      int
}

// TargetGroupArn is the default target group of a fake service.
func TargetGroupArn(region, cluster, name string) string {
	return "arn:aws:elasticloadbalancing:" + region + ":123456789012:targetgroup/" + cluster + "-" + name + "/0123456789abcdef"
}

// ScalableTarget is a fake Application Auto Scaling target.
type ScalableTarget struct{ Min, Max int }

func svcKey(region, cluster, name string) string { return region + "/" + cluster + "/" + name }

// AddService adds an ECS service running desired tasks, with its scalable
// target at min = desired.
func (w *World) AddService(region, cluster, name string, desired, max int) *Service {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.services == nil {
		w.services, w.targets = map[string]*Service{}, map[string]*ScalableTarget{}
	}
	s := &Service{Region: region, Cluster: cluster, Name: name, Desired: desired, Running: desired, StartPerPoll: 1,
		TargetGroupArn: TargetGroupArn(region, cluster, name)}
	w.services[svcKey(region, cluster, name)] = s
	w.targets[region+"/service/"+cluster+"/"+name] = &ScalableTarget{Min: desired, Max: max}
	return s
}

// Tasks returns the desired and running count of a service.
func (w *World) Tasks(region, cluster, name string) (desired, running int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.services[svcKey(region, cluster, name)]
	return s.Desired, s.Running
}

// Floor returns the scalable target's minimum capacity.
func (w *World) Floor(region, cluster, name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.targets[region+"/service/"+cluster+"/"+name].Min
}

// ECS returns the ECS client of region.
func (w *World) ECS(region string) *ECSClient { return &ECSClient{w: w, region: region} }

// ECSClient implements switchover.ECS for one region.
type ECSClient struct {
	w      *World
	region string
}

func (c *ECSClient) DescribeServices(_ context.Context, in *ecs.DescribeServicesInput, _ ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeServices", false); err != nil {
		return nil, err
	}
	out := &ecs.DescribeServicesOutput{}
	for _, name := range in.Services {
		s, ok := c.w.services[svcKey(c.region, aws.ToString(in.Cluster), name)]
		if !ok {
			continue
		}
		pending := max(0, s.Desired-s.Running)
		es := ecstypes.Service{ServiceName: aws.String(s.Name), Status: aws.String("ACTIVE"),
			DesiredCount: int32(s.Desired), RunningCount: int32(s.Running), PendingCount: int32(pending),
			Deployments: []ecstypes.Deployment{{Status: aws.String("PRIMARY")}}}
		out.Services = append(out.Services, es)
		// Tasks started now show as running at the next describe.
		s.Running += min(pending, s.StartPerPoll)
		if s.Running > s.Desired {
			s.Running = s.Desired
		}
	}
	return out, nil
}

func (c *ECSClient) UpdateService(_ context.Context, in *ecs.UpdateServiceInput, _ ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "UpdateService", false); err != nil {
		return nil, err
	}
	s, ok := c.w.services[svcKey(c.region, aws.ToString(in.Cluster), aws.ToString(in.Service))]
	if !ok {
		return nil, APIError("ServiceNotFoundException", "service not found")
	}
	if in.DesiredCount != nil {
		s.Desired = int(*in.DesiredCount)
	}
	return &ecs.UpdateServiceOutput{}, nil
}

// AutoScaling returns the Application Auto Scaling client of region.
func (w *World) AutoScaling(region string) *AutoScalingClient {
	return &AutoScalingClient{w: w, region: region}
}

// AutoScalingClient implements switchover.AutoScaling for one region.
type AutoScalingClient struct {
	w      *World
	region string
}

func (c *AutoScalingClient) DescribeScalableTargets(_ context.Context, in *applicationautoscaling.DescribeScalableTargetsInput, _ ...func(*applicationautoscaling.Options)) (*applicationautoscaling.DescribeScalableTargetsOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeScalableTargets", false); err != nil {
		return nil, err
	}
	out := &applicationautoscaling.DescribeScalableTargetsOutput{}
	for _, id := range in.ResourceIds {
		if t, ok := c.w.targets[c.region+"/"+id]; ok {
			out.ScalableTargets = append(out.ScalableTargets, aastypes.ScalableTarget{ResourceId: aws.String(id),
				MinCapacity: aws.Int32(int32(t.Min)), MaxCapacity: aws.Int32(int32(t.Max))})
		}
	}
	return out, nil
}

func (c *AutoScalingClient) RegisterScalableTarget(_ context.Context, in *applicationautoscaling.RegisterScalableTargetInput, _ ...func(*applicationautoscaling.Options)) (*applicationautoscaling.RegisterScalableTargetOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "RegisterScalableTarget", false); err != nil {
		return nil, err
	}
	k := c.region + "/" + aws.ToString(in.ResourceId)
	t, ok := c.w.targets[k]
	if !ok {
		t = &ScalableTarget{}
		c.w.targets[k] = t
	}
	t.Min, t.Max = int(aws.ToInt32(in.MinCapacity)), int(aws.ToInt32(in.MaxCapacity))
	return &applicationautoscaling.RegisterScalableTargetOutput{}, nil
}

func (c *AutoScalingClient) PutScheduledAction(_ context.Context, in *applicationautoscaling.PutScheduledActionInput, _ ...func(*applicationautoscaling.Options)) (*applicationautoscaling.PutScheduledActionOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "PutScheduledAction", false); err != nil {
		return nil, err
	}
	if c.w.actions == nil {
		c.w.actions = map[string]ScheduledAction{}
	}
	a := ScheduledAction{Name: aws.ToString(in.ScheduledActionName), Schedule: aws.ToString(in.Schedule)}
	if in.ScalableTargetAction != nil {
		a.Min, a.Max = int(aws.ToInt32(in.ScalableTargetAction.MinCapacity)), int(aws.ToInt32(in.ScalableTargetAction.MaxCapacity))
	}
	c.w.actions[c.region+"/"+aws.ToString(in.ResourceId)+"/"+a.Name] = a
	return &applicationautoscaling.PutScheduledActionOutput{}, nil
}

// ScheduledAction is a fake Application Auto Scaling scheduled action.
type ScheduledAction struct {
	Name, Schedule string
	Min, Max       int
}

// ScheduledActions returns the scheduled actions of a service.
func (w *World) ScheduledActions(region, cluster, name string) []ScheduledAction {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []ScheduledAction
	prefix := region + "/service/" + cluster + "/" + name + "/"
	for k, a := range w.actions {
		if strings.HasPrefix(k, prefix) {
			out = append(out, a)
		}
	}
	return out
}

// ELB returns the Elastic Load Balancing v2 client of region.
func (w *World) ELB(region string) *ELBClient { return &ELBClient{w: w, region: region} }

// ELBClient implements switchover.ELB for one region: a service's running
// tasks, less its Unhealthy ones, are its healthy targets.
type ELBClient struct {
	w      *World
	region string
}

func (c *ELBClient) DescribeTargetHealth(_ context.Context, in *elasticloadbalancingv2.DescribeTargetHealthInput, _ ...func(*elasticloadbalancingv2.Options)) (*elasticloadbalancingv2.DescribeTargetHealthOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.w.enter(c.region, "DescribeTargetHealth", false); err != nil {
		return nil, err
	}
	for _, s := range c.w.services {
		if s.Region != c.region || s.TargetGroupArn != aws.ToString(in.TargetGroupArn) {
			continue
		}
		out := &elasticloadbalancingv2.DescribeTargetHealthOutput{}
		for i := 0; i < s.Running; i++ {
			st := elbtypes.TargetHealthStateEnumHealthy
			if i < s.Unhealthy {
				st = elbtypes.TargetHealthStateEnumUnhealthy
			}
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, elbtypes.TargetHealthDescription{
				Target:       &elbtypes.TargetDescription{Id: aws.String(fmt.Sprintf("10.0.0.%d", i+1))},
				TargetHealth: &elbtypes.TargetHealth{State: st}})
		}
		return out, nil
	}
	return nil, APIError("TargetGroupNotFound", "target group not found")
}
