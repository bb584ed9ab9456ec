package switchover

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// Season is the AGM-season windows, as in config: yearly "MM-DD HH:MM" moments
// in Timezone. The program passes them as static inputs; the gate decides which
// window is active at apply time, on the run's clock, so the program itself never
// depends on the date.
type Season struct {
	Timezone string
	Windows  []Window
}

// Window is one yearly window with its task floor.
type Window struct {
	Name       string
	Start, End string // "MM-DD HH:MM", Start before End within one year
	MinTasks   int
}

// FloorAt returns the floor of the window active at now (0, "" if none).
func (s Season) FloorAt(now time.Time) (int, string, error) {
	if len(s.Windows) == 0 {
		return 0, "", nil
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil || s.Timezone == "" {
		return 0, "", fmt.Errorf("season timezone %q: not an IANA time zone", s.Timezone)
	}
	local := now.In(loc)
	at := func(m string) (time.Time, error) {
		t, err := time.ParseInLocation("01-02 15:04", m, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("season moment %q: want \"MM-DD HH:MM\"", m)
		}
		return time.Date(local.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc), nil
	}
	for _, w := range s.Windows {
		start, err := at(w.Start)
		if err != nil {
			return 0, "", err
		}
		end, err := at(w.End)
		if err != nil {
			return 0, "", err
		}
		if !local.Before(start) && local.Before(end) {
			return w.MinTasks, w.Name, nil
		}
	}
	return 0, "", nil
}

// CapacityTarget is the ECS service whose task floor the gate sets.
type CapacityTarget struct {
	Region, Cluster, Service string
	RoleFloor                int // primaryTasks or standbyTasks
	MaxTasks                 int
	Season                   Season
	// Wait: return only once the running tasks reach the floor and the service
	// is steady. Without it the floor is raised and the gate returns at once.
	Wait bool
}

func (t CapacityTarget) resourceID() string {
	return fmt.Sprintf("service/%s/%s", t.Cluster, t.Service)
}

// CapacityOutcome is what the gate set and saw.
type CapacityOutcome struct {
	Floor   int    // the floor in force after the run
	Window  string // the season window that raised it, if any
	Running int    // running tasks when the gate returned
	Outcome
}

// Capacity raises (or lowers) an ECS service's task floor and waits for the tasks.
type Capacity struct {
	ECS         ECS
	AutoScaling AutoScaling
	Log         Reporter
}

// Floor is max(role floor, active season window floor) at now.
func (t CapacityTarget) Floor(now time.Time) (int, string, error) {
	sf, name, err := t.Season.FloorAt(now)
	if err != nil {
		return 0, "", err
	}
	if sf > t.RoleFloor {
		return min(sf, max(t.MaxTasks, t.RoleFloor)), name, nil
	}
	return t.RoleFloor, "", nil
}

// ServiceState is the task picture DescribeServices gives.
type ServiceState struct {
	Desired, Running, Pending int
	Deployments               int
	Status                    string
}

func (s ServiceState) String() string {
	return fmt.Sprintf("running %d of desired %d (pending %d, %d deployment(s))", s.Running, s.Desired, s.Pending, s.Deployments)
}

// Service reads the ECS service.
func (c *Capacity) Service(ctx context.Context, t CapacityTarget) (ServiceState, error) {
	out, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{
		Cluster: aws.String(t.Cluster), Services: []string{t.Service}})
	res := fmt.Sprintf("ECS service %s/%s", t.Cluster, t.Service)
	if err != nil {
		return ServiceState{}, awsError("ecs:DescribeServices", res, t.Region, err)
	}
	if len(out.Services) == 0 {
		return ServiceState{}, awsError("ecs:DescribeServices", res, t.Region, errors.New("ServiceNotFoundException: no such service"))
	}
	s := out.Services[0]
	return ServiceState{Desired: int(s.DesiredCount), Running: int(s.RunningCount), Pending: int(s.PendingCount),
		Deployments: len(s.Deployments), Status: aws.ToString(s.Status)}, nil
}

// CurrentFloor reads the scalable target's minimum capacity; ok is false when
// the service is not registered with Application Auto Scaling.
func (c *Capacity) CurrentFloor(ctx context.Context, t CapacityTarget) (floor int, ok bool, err error) {
	cur, err := c.AutoScaling.DescribeScalableTargets(ctx, &applicationautoscaling.DescribeScalableTargetsInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceIds: []string{t.resourceID()},
		ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount})
	if err != nil {
		return 0, false, awsError("application-autoscaling:DescribeScalableTargets",
			fmt.Sprintf("ECS service %s/%s (%s)", t.Cluster, t.Service, t.Region), t.Region, err)
	}
	if len(cur.ScalableTargets) == 0 {
		return 0, false, nil
	}
	return int(aws.ToInt32(cur.ScalableTargets[0].MinCapacity)), true, nil
}

// EnsureFloor sets the service's autoscaling floor to max(RoleFloor, active window
// floor), raises the desired count to it at once if lower, and with Wait returns
// only when at least that many tasks run and no deployment is in progress (ECS
// counts a task behind a load balancer as running once it started; the service's
// health-check grace period and the ALB health check then decide whether it gets
// requests). It calls only t.Region's endpoints.
func (c *Capacity) EnsureFloor(ctx context.Context, t CapacityTarget, o Options) (CapacityOutcome, error) {
	o = o.withDefaults()
	p := newPhases(c.Log, o)
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	res := fmt.Sprintf("ECS service %s/%s (%s)", t.Cluster, t.Service, t.Region)
	fail := func(api string, err error) (CapacityOutcome, error) {
		return CapacityOutcome{}, timeoutError(api, res, o.Timeout, err)
	}
	floor, window, err := t.Floor(p.now())
	if err != nil {
		return CapacityOutcome{}, &Error{API: "capacity", Resource: res, Err: err, Hint: "fix the season inputs"}
	}
	out := CapacityOutcome{Floor: floor, Window: window}
	why := "role floor"
	if window != "" {
		why = "season window " + window
	}

	cur, err := c.AutoScaling.DescribeScalableTargets(ctx, &applicationautoscaling.DescribeScalableTargetsInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceIds: []string{t.resourceID()},
		ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount})
	if err != nil {
		return fail("application-autoscaling:DescribeScalableTargets",
			awsError("application-autoscaling:DescribeScalableTargets", res, t.Region, err))
	}
	oldMin, oldMax := -1, -1
	if len(cur.ScalableTargets) > 0 {
		oldMin, oldMax = int(aws.ToInt32(cur.ScalableTargets[0].MinCapacity)), int(aws.ToInt32(cur.ScalableTargets[0].MaxCapacity))
	}
	maxTasks := max(t.MaxTasks, floor)
	if oldMin != floor || oldMax != maxTasks {
		_, err := c.AutoScaling.RegisterScalableTarget(ctx, &applicationautoscaling.RegisterScalableTargetInput{
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(t.resourceID()),
			ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount,
			MinCapacity:       aws.Int32(int32(floor)), MaxCapacity: aws.Int32(int32(maxTasks))})
		if err != nil {
			return fail("application-autoscaling:RegisterScalableTarget",
				awsError("application-autoscaling:RegisterScalableTarget", res, t.Region, err))
		}
		p.done("task floor %d → %d (%s)", oldMin, floor, why)
	}

	svc, err := c.Service(ctx, t)
	if err != nil {
		return fail("ecs:DescribeServices", err)
	}
	if svc.Desired < floor {
		// Application Auto Scaling also raises the count to a new minimum, but on
		// its own schedule; asking ECS directly starts the tasks now.
		if _, err := c.ECS.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(t.Cluster),
			Service: aws.String(t.Service), DesiredCount: aws.Int32(int32(floor))}); err != nil {
			return fail("ecs:UpdateService", awsError("ecs:UpdateService", res, t.Region, err))
		}
		p.done("desired tasks %d → %d", svc.Desired, floor)
		out.Switched, out.Started = true, p.start
	}
	ready := func(s ServiceState) bool { return s.Running >= floor && s.Pending == 0 && s.Deployments <= 1 }
	if t.Wait && !ready(svc) {
		out.Switched, out.Started = true, p.start
		err = waitFor(ctx, p, o.Poll, fmt.Sprintf("%d running tasks", floor), func(ctx context.Context) (bool, string, error) {
			var err error
			svc, err = c.Service(ctx, t)
			return err == nil && ready(svc), svc.String(), err
		})
		if err != nil {
			return fail("wait", err)
		}
	}
	out.Running, out.Finished, out.Actual, out.Mode = svc.Running, p.now(), t.Region, o.Mode
	p.done("capacity ready: floor %d (%s), %s", floor, why, svc)
	return out, nil
}
