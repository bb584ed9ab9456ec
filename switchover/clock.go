package switchover

import (
	"context"
	"time"
)

// Clock is the engine's only source of time: phases, progress lines, the
// run's timeout and the sleeps between describe calls all go through it, so
// a simulation can run the real engine on a virtual clock. nil means Real.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends, returning ctx.Err() in that case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Sleep waits d on a real timer, or until ctx ends.
func (Real) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func clockOr(c Clock) Clock {
	if c == nil {
		return Real{}
	}
	return c
}
