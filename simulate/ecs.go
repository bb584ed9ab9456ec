package simulate

import (
	"math"
	"time"
)

// service is one region's ECS service and its Application Auto Scaling
// target: the floor (min) that Pulumi, the capacity gate or a scheduled
// action sets, target tracking on requests per task, and tasks that are
// RUNNING after TaskStart and in the ALB's rotation TaskHealthy later.
type service struct {
	region   string
	min, max int
	desired  int
	tasks    []task
	healthy  int // tasks in the load balancer's rotation
	// target tracking: since when the wanted count has been above/below desired
	highSince, lowSince time.Time
	load                []int // requests routed here in the last 60 ticks
}

type task struct{ running, healthy time.Time }

func newService(w *World, region string, min, max, desired int) *service {
	s := &service{region: region, min: min, max: max, desired: desired}
	for i := 0; i < desired; i++ {
		s.tasks = append(s.tasks, task{running: w.start, healthy: w.start})
	}
	s.healthy = desired
	return s
}

func (s *service) counts(w *World) (running, pending int) {
	for _, t := range s.tasks {
		if !t.running.After(w.now) {
			running++
		} else {
			pending++
		}
	}
	return running, pending
}

func (s *service) setFloor(w *World, min, max int, why string) {
	if min == s.min && max == s.max {
		return
	}
	w.log("ecs", "%s: task floor %d → %d (%s)", s.region, s.min, min, why)
	s.min, s.max = min, max
	if s.desired < min {
		// Application Auto Scaling raises the desired count to a new minimum.
		s.desired = min
	}
}

func (s *service) regionChanged(w *World, down bool) {
	s.tasks, s.healthy = nil, 0
}

// wanted is what target tracking asks for, from the last minute's load.
func (s *service) wanted(w *World) int {
	if len(s.load) == 0 {
		return s.min
	}
	sum := 0
	for _, n := range s.load {
		sum += n
	}
	rate := float64(sum) / float64(len(s.load))
	n := int(math.Ceil(rate / w.P.TaskTarget))
	return min(max(n, s.min), s.max)
}

func (s *service) tick(w *World) {
	if w.down[s.region] {
		return
	}
	want := s.wanted(w)
	switch {
	case want > s.desired:
		s.lowSince = time.Time{}
		if s.highSince.IsZero() {
			s.highSince = w.now
		}
		if w.now.Sub(s.highSince) >= w.P.ScaleOutDelay {
			w.log("ecs", "%s: target tracking scales out %d → %d tasks", s.region, s.desired, want)
			s.desired, s.highSince = want, time.Time{}
		}
	case want < s.desired:
		s.highSince = time.Time{}
		if s.lowSince.IsZero() {
			s.lowSince = w.now
		}
		if w.now.Sub(s.lowSince) >= w.P.ScaleInDelay {
			w.log("ecs", "%s: target tracking scales in %d → %d tasks", s.region, s.desired, want)
			s.desired, s.lowSince = want, time.Time{}
		}
	default:
		s.highSince, s.lowSince = time.Time{}, time.Time{}
	}
	s.desired = max(s.desired, s.min)
	for len(s.tasks) < s.desired {
		run := w.now.Add(w.P.TaskStart)
		s.tasks = append(s.tasks, task{running: run, healthy: run.Add(w.P.TaskHealthy)})
	}
	if len(s.tasks) > s.desired {
		// ECS stops the newest tasks first; the ALB stops sending them
		// requests as soon as they are deregistering.
		s.tasks = s.tasks[:s.desired]
	}
	before := s.healthy
	s.healthy = 0
	for _, t := range s.tasks {
		if !t.healthy.After(w.now) {
			s.healthy++
		}
	}
	if before < s.desired && s.healthy == s.desired && s.healthy > before {
		w.log("ecs", "%s: %d/%d tasks healthy in the load balancer", s.region, s.healthy, s.desired)
	}
}

// noteLoad records this tick's requests for target tracking.
func (s *service) noteLoad(n int) {
	s.load = append(s.load, n)
	if len(s.load) > 60 {
		s.load = s.load[1:]
	}
}
