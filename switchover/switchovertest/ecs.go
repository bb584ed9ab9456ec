package switchovertest

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Service is a fake ECS service. Each DescribeServices call starts up to
// StartPerPoll of the missing tasks (new tasks take a while to run), so a
// gate that does not wait sees fewer running tasks than desired.
type Service struct {
	Region, Cluster, Name string
	Desired, Running      int
	StartPerPoll          int // default 1
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
	s := &Service{Region: region, Cluster: cluster, Name: name, Desired: desired, Running: desired, StartPerPoll: 1}
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
