package switchover

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// DefaultLoadHold is how long a floor raised to the old primary's load stays
// before it returns to the role/season floor. By then traffic has moved (the
// writer, cache and traffic steps follow the gate), and target tracking has
// had far more than the 3 one-minute datapoints it needs to scale out on the
// new primary's own load, so it owns the desired count. Lowering the minimum
// does not lower the desired count: Application Auto Scaling changes it only
// through a scaling policy or when it lies outside [min, max], and target
// tracking scales in only after 15 low datapoints.
// https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
// https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html
const DefaultLoadHold = 30 * time.Minute

// ReleaseActionName is the one-time scheduled action that hands a raised
// floor back to autoscaling; a new run replaces it (PutScheduledAction is an
// upsert by name).
const ReleaseActionName = "agmdr-release-load-floor"

// FallbackRule is what the gate uses when the old primary's desired count
// cannot be read in planned mode; it is stated in the run's output.
const FallbackRule = "role/season floor (the old primary's desired count could not be read)"

func (t CapacityTarget) hold() time.Duration {
	if t.Hold > 0 {
		return t.Hold
	}
	return DefaultLoadHold
}

type loadFloor struct {
	floor   int
	source  string
	warning string
}

// loadFloor is max(base, the old primary's desired count) in planned mode
// when the old primary is named; otherwise base. A count that cannot be read
// falls back to base and says so; a count above maxTasks is refused.
func (c *Capacity) loadFloor(ctx context.Context, t CapacityTarget, mode Mode, base int, window string) (loadFloor, error) {
	source := "role floor"
	if window != "" {
		source = "season window " + window
	}
	if mode != Planned || t.OldPrimaryRegion == "" || t.OldPrimaryRegion == t.Region {
		return loadFloor{floor: base, source: source}, nil
	}
	cluster, service := t.Cluster, t.Service
	if t.OldPrimaryCluster != "" {
		cluster = t.OldPrimaryCluster
	}
	if t.OldPrimaryService != "" {
		service = t.OldPrimaryService
	}
	var out *ecs.DescribeServicesOutput
	err := fmt.Errorf("no AWS client for %s", t.OldPrimaryRegion)
	if c.OldPrimaryECS != nil {
		out, err = c.OldPrimaryECS.DescribeServices(ctx, &ecs.DescribeServicesInput{
			Cluster: aws.String(cluster), Services: []string{service}})
	}
	if err == nil && len(out.Services) == 0 {
		err = fmt.Errorf("ServiceNotFoundException: no service %s/%s", cluster, service)
	}
	if err != nil {
		return loadFloor{floor: base, source: "fallback: " + FallbackRule,
			warning: fmt.Sprintf("could not read the old primary's desired count in %s (ecs:DescribeServices: %v); "+
				"using the fallback rule: %s = %d", t.OldPrimaryRegion, firstLineOf(err), FallbackRule, base)}, nil
	}
	desired := int(out.Services[0].DesiredCount)
	if desired <= base {
		return loadFloor{floor: base, source: fmt.Sprintf("%s (old primary in %s runs %d)", source, t.OldPrimaryRegion, desired)}, nil
	}
	if t.MaxTasks > 0 && desired > t.MaxTasks {
		return loadFloor{}, fmt.Errorf("the old primary in %s wants %d tasks, above maxTasks %d (agm-dr:capacity maxTasks): "+
			"the new primary could not carry its load", t.OldPrimaryRegion, desired, t.MaxTasks)
	}
	return loadFloor{floor: desired, source: fmt.Sprintf("old primary's desired count in %s", t.OldPrimaryRegion)}, nil
}

// scheduleRelease puts a one-time scheduled action that sets the floor back
// to base at now + hold (UTC "at(...)" expression).
func (c *Capacity) scheduleRelease(ctx context.Context, t CapacityTarget, base, maxTasks int, now time.Time) (string, error) {
	at := now.Add(t.hold()).UTC().Format("2006-01-02T15:04:05")
	_, err := c.AutoScaling.PutScheduledAction(ctx, &applicationautoscaling.PutScheduledActionInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(t.resourceID()),
		ScalableDimension:   aastypes.ScalableDimensionECSServiceDesiredCount,
		ScheduledActionName: aws.String(ReleaseActionName), Schedule: aws.String("at(" + at + ")"),
		ScalableTargetAction: &aastypes.ScalableTargetAction{MinCapacity: aws.Int32(int32(base)), MaxCapacity: aws.Int32(int32(maxTasks))},
	})
	if err != nil {
		return "", awsError("application-autoscaling:PutScheduledAction",
			fmt.Sprintf("ECS service %s/%s (%s)", t.Cluster, t.Service, t.Region), t.Region, err)
	}
	return ReleaseActionName, nil
}

// taskReadiness is what the wait sees: the service and its healthy targets.
type taskReadiness struct {
	svc     ServiceState
	healthy int // -1: no target group to read
}

func (r taskReadiness) String() string {
	if r.healthy < 0 {
		return r.svc.String()
	}
	return fmt.Sprintf("%d healthy target(s), %s", r.healthy, r.svc)
}

// ready: floor healthy targets in the target group (running tasks when there
// is none), no task pending and one deployment.
func (c *Capacity) ready(ctx context.Context, t CapacityTarget, floor int, svc ServiceState) (bool, taskReadiness, error) {
	r := taskReadiness{svc: svc, healthy: -1}
	steady := svc.Running >= floor && svc.Pending == 0 && svc.Deployments <= 1
	if t.TargetGroupArn == "" || c.ELB == nil {
		return steady, r, nil
	}
	out, err := c.ELB.DescribeTargetHealth(ctx, &elasticloadbalancingv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(t.TargetGroupArn)})
	if err != nil {
		return false, r, awsError("elasticloadbalancing:DescribeTargetHealth", "target group "+t.TargetGroupArn, t.Region, err)
	}
	r.healthy = 0
	for _, d := range out.TargetHealthDescriptions {
		if d.TargetHealth != nil && d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
			r.healthy++
		}
	}
	return steady && r.healthy >= floor, r, nil
}

func firstLineOf(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
