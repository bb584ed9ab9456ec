package switchovertest

import (
	"context"
	"sync"
	"time"
)

// Clock is a virtual clock for switchover.Options.Clock: Sleep returns at
// once after moving the time forward, so a 30-minute wait takes
// microseconds. OnSleep, if set, runs after each advance (tests use it to
// let the fake world move on).
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	slept   time.Duration
	OnSleep func(now time.Time)
}

// NewClock starts a virtual clock at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the virtual time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep advances the virtual time by d unless ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.slept += d
	now, f := c.now, c.OnSleep
	c.mu.Unlock()
	if f != nil {
		f(now)
	}
	return nil
}

// Slept is the total virtual time spent sleeping.
func (c *Clock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}
