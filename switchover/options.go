// Package switchover moves the writer of an Aurora global cluster and the
// primary of an ElastiCache global datastore to a chosen region. No AWS
// resource (Pulumi or Terraform) can do this by config, so the agmdr Pulumi
// provider calls this package from the stack of the region becoming primary.
//
// It talks to AWS only through the small RDS, ElastiCache and Lag interfaces
// below, always with clients for that one region: an unplanned failover must
// work while the old primary region does not answer at all.
package switchover

import (
	"fmt"
	"time"
)

// Mode selects how roles move.
type Mode string

const (
	// Planned is a switchover with RPO 0 (both regions healthy); it is refused
	// when replication lag exceeds the RPO budget or a member is unavailable.
	Planned Mode = "planned"
	// Unplanned is a failover that accepts data loss; it needs nothing from
	// the old primary region.
	Unplanned Mode = "unplanned"
)

// Defaults applied when an Options field is zero.
const (
	DefaultTimeout   = 30 * time.Minute
	DefaultPoll      = 10 * time.Second
	DefaultRPOBudget = 30 * time.Second
)

// ParseMode accepts "planned" and "unplanned"; empty means planned.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", Planned:
		return Planned, nil
	case Unplanned:
		return Unplanned, nil
	}
	return "", fmt.Errorf("mode %q: want %q or %q", s, Planned, Unplanned)
}

// Options bound one switchover run.
type Options struct {
	Mode      Mode
	Timeout   time.Duration // whole run: preflight, call and wait
	Poll      time.Duration // interval between describe calls while waiting
	RPOBudget time.Duration // planned only: refuse when replication lag is larger
	// Clock drives every wait, timeout and timestamp of the run; nil is the
	// wall clock. Simulations pass a virtual one.
	Clock Clock
}

func (o Options) withDefaults() Options {
	if o.Mode == "" {
		o.Mode = Planned
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.RPOBudget <= 0 {
		o.RPOBudget = DefaultRPOBudget
	}
	o.Clock = clockOr(o.Clock)
	return o
}

// Reporter receives progress. Info lines are kept in the Pulumi output;
// Status lines are transient (the engine shows only the latest).
type Reporter interface {
	Info(msg string)
	Status(msg string)
	Warn(msg string)
}

// Discard is a Reporter that drops everything.
type Discard struct{}

func (Discard) Info(string)   {}
func (Discard) Status(string) {}
func (Discard) Warn(string)   {}

// Outcome is what a run found and did.
type Outcome struct {
	// Actual is the region of the writer/primary after the run.
	Actual string
	// Switched is true when this run requested or awaited a role change;
	// Started, Finished and Mode describe it and are zero otherwise.
	Switched bool
	Started  time.Time
	Finished time.Time
	Mode     Mode
}

// Seconds is the run's switchover duration, rounded to milliseconds.
func (o Outcome) Seconds() float64 {
	if !o.Switched {
		return 0
	}
	return o.Finished.Sub(o.Started).Round(time.Millisecond).Seconds()
}

// phases logs the elapsed time of each phase relative to the run's start,
// and holds the run's deadline on the run's clock.
type phases struct {
	log      Reporter
	clock    Clock
	start    time.Time
	last     time.Time
	deadline time.Time // zero: none
}

func newPhases(log Reporter, o Options) *phases {
	if log == nil {
		log = Discard{}
	}
	c := clockOr(o.Clock)
	now := c.Now()
	p := &phases{log: log, clock: c, start: now, last: now}
	if o.Timeout > 0 {
		p.deadline = now.Add(o.Timeout)
	}
	return p
}

func (p *phases) now() time.Time { return p.clock.Now() }

func (p *phases) done(format string, args ...any) {
	now := p.clock.Now()
	p.log.Info(fmt.Sprintf("%s (phase %s, total %s)", fmt.Sprintf(format, args...),
		round(now.Sub(p.last)), round(now.Sub(p.start))))
	p.last = now
}

func (p *phases) elapsed() time.Duration { return p.clock.Now().Sub(p.start) }

func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}
