package app

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	cpuTarget        = 60.0
	scaleOutCooldown = 60  // react fast to a meeting opening
	scaleInCooldown  = 300 // and leave slowly
)

// newScaling registers the service with Application Auto Scaling between MinTasks and MaxTasks,
// tracks CPU and requests per task, and raises the floor in each AGM-season window.
//
// After creation the target's floor belongs to the agmdr Capacity gate (stacks/front.go) and to
// the scheduled actions: on a flip the gate sets max(role floor, active season window floor).
// If Pulumi also applied the role floor here, a flip inside a season window would lower the
// floor from the window's value to the role's until the window ended, so minCapacity is ignored.
// maxCapacity is the gate's too: a sleeping environment sets both to zero, and an update of this
// target would otherwise send the new maximum with the old, ignored minimum (min > max, refused).
func newScaling(ctx *pulumi.Context, name string, a *Args, cluster *ecs.Cluster, service *ecs.Service, l *loadBalancer, parent pulumi.ResourceOrInvokeOption) error {
	target, err := appautoscaling.NewTarget(ctx, name+"-scaling", &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("ecs"),
		ScalableDimension: pulumi.String("ecs:service:DesiredCount"),
		ResourceId:        pulumi.Sprintf("service/%s/%s", cluster.Name, service.Name),
		// Only the first values: the Capacity gate owns both afterwards.
		MinCapacity: pulumi.Int(a.floor()),
		MaxCapacity: pulumi.Int(a.ceiling()),
	}, parent, pulumi.IgnoreChanges([]string{"minCapacity", "maxCapacity"}))
	if err != nil {
		return err
	}

	tracking := []struct {
		suffix, metric string
		value          float64
		label          pulumi.StringPtrInput
	}{
		{"cpu", "ECSServiceAverageCPUUtilization", cpuTarget, nil},
		{"requests", "ALBRequestCountPerTarget", float64(a.RequestsPerTarget),
			pulumi.Sprintf("%s/%s", l.alb.ArnSuffix, l.targetGroup.ArnSuffix)},
	}
	for _, tr := range tracking {
		if _, err := appautoscaling.NewPolicy(ctx, name+"-"+tr.suffix, &appautoscaling.PolicyArgs{
			Name:              pulumi.String(name + "-" + tr.suffix),
			PolicyType:        pulumi.String("TargetTrackingScaling"),
			ServiceNamespace:  target.ServiceNamespace,
			ScalableDimension: target.ScalableDimension,
			ResourceId:        target.ResourceId,
			TargetTrackingScalingPolicyConfiguration: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
				TargetValue:      pulumi.Float64(tr.value),
				ScaleOutCooldown: pulumi.Int(scaleOutCooldown),
				ScaleInCooldown:  pulumi.Int(scaleInCooldown),
				PredefinedMetricSpecification: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
					PredefinedMetricType: pulumi.String(tr.metric),
					ResourceLabel:        tr.label,
				},
			},
		}, parent); err != nil {
			return err
		}
	}

	// Scheduled actions on one target are created one after another: Application Auto Scaling
	// refuses concurrent changes to the same scalable target.
	var prev pulumi.Resource = target
	for _, s := range a.schedules() {
		for _, act := range []struct {
			suffix, cron string
			min          int
		}{
			{"start", s.StartCron, max(s.MinTasks, a.MinTasks)},
			{"end", s.EndCron, a.MinTasks},
		} {
			rn := name + "-" + s.Name + "-" + act.suffix
			sa, err := appautoscaling.NewScheduledAction(ctx, rn, &appautoscaling.ScheduledActionArgs{
				Name:              pulumi.String(rn),
				ServiceNamespace:  target.ServiceNamespace,
				ScalableDimension: target.ScalableDimension,
				ResourceId:        target.ResourceId,
				Schedule:          pulumi.String(act.cron),
				Timezone:          pulumi.String(a.Timezone),
				ScalableTargetAction: appautoscaling.ScheduledActionScalableTargetActionArgs{
					MinCapacity: pulumi.Int(act.min),
					MaxCapacity: pulumi.Int(a.MaxTasks),
				},
			}, parent, pulumi.DependsOn([]pulumi.Resource{prev}))
			if err != nil {
				return err
			}
			prev = sa
		}
	}
	return nil
}
