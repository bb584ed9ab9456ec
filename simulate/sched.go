package simulate

import (
	"context"
	"sort"
	"time"
)

// sched runs the resource operations of one `pulumi up` as goroutines that
// take turns on virtual time: exactly one runs at a time, and a Sleep hands
// control back to the scheduler, which moves the world to the earliest wake
// time (ties in start order). So parallel operations interleave as they
// would on AWS, and every run is deterministic.
type sched struct {
	w        *World
	seq      int
	sleepers []*sleeper
	yield    chan struct{}
}

type sleeper struct {
	wake   time.Time
	seq    int
	ctx    context.Context
	resume chan error
}

func newSched(w *World) *sched { return &sched{w: w, yield: make(chan struct{})} }

// actorClock is the switchover.Clock of one operation.
type actorClock struct{ s *sched }

func (c actorClock) Now() time.Time { return c.s.w.now }

// Sleep parks the calling operation until the world reaches now+d, or until
// ctx ends (an interrupt scheduled in the world).
func (c actorClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s := c.s
	s.seq++
	sl := &sleeper{wake: s.w.now.Add(d), seq: s.seq, ctx: ctx, resume: make(chan error)}
	s.sleepers = append(s.sleepers, sl)
	s.yield <- struct{}{}
	return <-sl.resume
}

// spawn starts fn and returns once it sleeps or ends.
func (s *sched) spawn(fn func(actorClock)) {
	go func() {
		fn(actorClock{s})
		s.yield <- struct{}{}
	}()
	<-s.yield
}

// step wakes the next sleeper (or every sleeper whose context an interrupt
// ended) and returns once it sleeps again or ends; false when none sleeps.
func (s *sched) step() bool {
	if len(s.sleepers) == 0 {
		return false
	}
	sort.SliceStable(s.sleepers, func(i, j int) bool {
		a, b := s.sleepers[i], s.sleepers[j]
		if !a.wake.Equal(b.wake) {
			return a.wake.Before(b.wake)
		}
		return a.seq < b.seq
	})
	next := s.sleepers[0].wake
	if at, ok := s.w.nextInterrupt(); ok && at.Before(next) {
		next = at
	}
	s.w.advanceTo(next)
	var wake []*sleeper
	rest := s.sleepers[:0]
	for _, sl := range s.sleepers {
		if sl.ctx.Err() != nil || !sl.wake.After(s.w.now) {
			wake = append(wake, sl)
		} else {
			rest = append(rest, sl)
		}
	}
	s.sleepers = rest
	for _, sl := range wake {
		sl.resume <- sl.ctx.Err()
		<-s.yield
	}
	return true
}
