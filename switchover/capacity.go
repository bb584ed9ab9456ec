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
	// Wait: return only once Floor targets are healthy in TargetGroupArn
	// (the load balancer's rotation), the service runs that many tasks and
	// is steady. Without it the floor is raised and the gate returns at once.
	Wait           bool
	TargetGroupArn string
	// OldPrimaryRegion: in planned mode the floor is raised to the old
	// primary's current desired count, read (DescribeServices only) in that
	// region, by OldPrimaryCluster and OldPrimaryService ("": the same names
	// as here; an adopted home keeps its own). Empty region: not read.
	// Unplanned runs never read it: that region is presumed down.
	OldPrimaryRegion                     string
	OldPrimaryCluster, OldPrimaryService string
	// Hold is how long a floor raised for the old primary's load stays before
	// a one-time scheduled action returns it to the role/season floor (0: DefaultLoadHold).
	Hold time.Duration
}

func (t CapacityTarget) resourceID() string {
	return fmt.Sprintf("service/%s/%s", t.Cluster, t.Service)
}

// CapacityOutcome is what the gate set and saw.
type CapacityOutcome struct {
	Floor   int    // the floor in force after the run
	Window  string // the season window that raised it, if any
	Source  string // which rule decided the floor (role, season window, old primary's load, or the fallback)
	Running int    // running tasks when the gate returned
	Healthy int    // healthy targets in the target group when the gate returned (-1: not read)
	Release string // the scheduled action that returns the floor to the role/season floor, if any
	Outcome
}

// Capacity raises (or lowers) an ECS service's task floor and waits for the tasks.
type Capacity struct {
	ECS         ECS
	AutoScaling AutoScaling
	ELB         ELB // this region's load balancer target health (nil: the wait counts running tasks)
	// OldPrimaryECS is the old primary region's ECS client, used read-only
	// (DescribeServices) in planned mode; nil: its load is not read.
	OldPrimaryECS ECS
	Log           Reporter
}

// Floor is max(role floor, active season window floor) at now. A floor
// above maxTasks is refused, naming the keys.
func (t CapacityTarget) Floor(now time.Time) (int, string, error) {
	sf, name, err := t.Season.FloorAt(now)
	if err != nil {
		return 0, "", err
	}
	if t.MaxTasks > 0 && t.RoleFloor > t.MaxTasks {
		return 0, "", fmt.Errorf("role floor %d is above maxTasks %d: raise agm-dr:capacity maxTasks or lower primaryTasks/standbyTasks", t.RoleFloor, t.MaxTasks)
	}
	if t.MaxTasks > 0 && sf > t.MaxTasks {
		return 0, "", fmt.Errorf("season window %s's minTasks %d is above maxTasks %d: raise agm-dr:capacity maxTasks or lower agm-dr:season windows[].minTasks", name, sf, t.MaxTasks)
	}
	if sf > t.RoleFloor {
		return sf, name, nil
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

// EnsureFloor sets the service's autoscaling floor to max(RoleFloor, active
// window floor, in planned mode the old primary's desired count), raises the
// desired count to it at once if lower, and with Wait returns only when at
// least that many targets are healthy in the load balancer's target group,
// that many tasks run and no deployment is in progress (ECS counts a task as
// running once it started; only the ALB's health check puts it in the
// rotation). A floor raised for the old primary's load is handed back to
// autoscaling by a one-time scheduled action (see scheduleRelease). It calls
// t.Region's endpoints, and in planned mode one read-only DescribeServices in
// t.OldPrimaryRegion.
func (c *Capacity) EnsureFloor(ctx context.Context, t CapacityTarget, o Options) (CapacityOutcome, error) {
	o = o.withDefaults()
	p := newPhases(c.Log, o)
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	res := fmt.Sprintf("ECS service %s/%s (%s)", t.Cluster, t.Service, t.Region)
	fail := func(api string, err error) (CapacityOutcome, error) {
		return CapacityOutcome{}, timeoutError(api, res, o.Timeout, err)
	}
	base, window, err := t.Floor(p.now())
	if err != nil {
		return CapacityOutcome{}, &Error{API: "capacity", Resource: res, Err: err, Hint: "fix the capacity and season inputs"}
	}
	lf, err := c.loadFloor(ctx, t, o.Mode, base, window)
	if err != nil {
		return CapacityOutcome{}, &Error{API: "capacity", Resource: res, Err: err,
			Hint: "raise agm-dr:capacity maxTasks to at least the old primary's desired count"}
	}
	floor := lf.floor
	if lf.warning != "" {
		p.log.Warn(lf.warning)
	}
	out := CapacityOutcome{Floor: floor, Window: window, Source: lf.source, Healthy: -1}
	why := lf.source

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
	if floor > base {
		name, err := c.scheduleRelease(ctx, t, base, maxTasks, p.now())
		if err != nil {
			return fail("application-autoscaling:PutScheduledAction", err)
		}
		out.Release = name
		p.done("scheduled action %s returns the floor to %d at %s, once autoscaling carries the load", name, base,
			p.now().Add(t.hold()).UTC().Format(time.RFC3339))
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
	if t.Wait {
		healthy, state, err := c.ready(ctx, t, floor, svc)
		if err != nil {
			return fail("elasticloadbalancing:DescribeTargetHealth", err)
		}
		if !healthy {
			out.Switched, out.Started = true, p.start
			err = waitFor(ctx, p, o.Poll, fmt.Sprintf("%d healthy targets", floor), func(ctx context.Context) (bool, string, error) {
				var err error
				if svc, err = c.Service(ctx, t); err != nil {
					return false, "", err
				}
				ok, st, err := c.ready(ctx, t, floor, svc)
				state = st
				return ok, st.String(), err
			})
			if err != nil {
				return fail("wait", err)
			}
		}
		out.Healthy = state.healthy
	}
	out.Running, out.Finished, out.Actual, out.Mode = svc.Running, p.now(), t.Region, o.Mode
	p.done("capacity ready: floor %d (%s), %s", floor, why, taskReadiness{svc: svc, healthy: out.Healthy})
	return out, nil
}
