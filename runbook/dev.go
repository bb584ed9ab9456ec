package runbook

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// DevProject is where agm-dr:sleeping is set (Pulumi.yaml for real runs).
type DevProject interface {
	Primary(ctx context.Context) (string, error)
	Sleeping(ctx context.Context) (bool, error)
	// SetSleeping sets agm-dr:sleeping; idempotent, it reports whether anything changed.
	SetSleeping(ctx context.Context, asleep bool) (bool, error)
}

// DevDeps are what `drctl dev sleep|wake` run against.
type DevDeps struct {
	Stacks  Stacks
	Project DevProject
	// Config parses a stack's configuration from the project files.
	Config func(stack string) (config.Config, error)
	// Check is the readiness check a wake must pass at the end (`drctl check` for a planned
	// switchover to the standby): a woken environment is one a drill can start on.
	Check func(ctx context.Context) []Check
	// CheckTimeout bounds how long a wake waits for the check to pass (new tasks take minutes
	// to be healthy, and `pulumi up` does not wait for them); 0: DefaultWakeCheckTimeout.
	CheckTimeout time.Duration
	// CheckEvery is the wait between two checks; 0: DefaultWakeCheckEvery.
	CheckEvery time.Duration
	// Sleep waits between two checks; nil: a timer.
	Sleep    func(context.Context, time.Duration) error
	Progress func(Line)
	Now      func() time.Time
}

// Defaults of the wake's final wait for a green check.
const (
	DefaultWakeCheckTimeout = 10 * time.Minute
	DefaultWakeCheckEvery   = 15 * time.Second
)

func (d DevDeps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d DevDeps) say(format string, args ...any) {
	if d.Progress != nil {
		d.Progress(Line{At: d.now(), Text: fmt.Sprintf(format, args...)})
	}
}

// DevResult is what a sleep or wake did.
type DevResult struct {
	Asleep  bool          // the state reached
	Order   []string      // the stacks updated, in order
	Took    time.Duration // from the start until the last step (for a wake: the check) passed
	Checks  []Check       // the final readiness check of a wake
	Already bool          // agm-dr:sleeping already had this value (the run resumed or converged)
}

// Typical durations of a wake, per stack (estimates; the wake prints the measured time):
// a NAT gateway takes a few minutes to become available, interface endpoints about as long
// (created in parallel with it), and new Fargate tasks are healthy 1–3 minutes after starting.
const (
	estWakeNatMin, estWakeNatMax     = 1 * time.Minute, 5 * time.Minute
	estWakeTasksMin, estWakeTasksMax = 1 * time.Minute, 3 * time.Minute
	estCheckMin, estCheckMax         = 15 * time.Second, 1 * time.Minute
)

// WakeEstimate is the expected duration of a wake, offline: per stack a refresh, the NAT gateway
// and endpoints, then the tasks; the stacks one after the other; then the readiness check.
func WakeEstimate() (lo, hi time.Duration) {
	per := func(refresh, nat, tasks time.Duration) time.Duration { return refresh + nat + tasks }
	lo = 2*per(estRefreshMin, estWakeNatMin, estWakeTasksMin) + estCheckMin
	hi = 2*per(estRefreshMax, estWakeNatMax, estWakeTasksMax) + estCheckMax
	return lo, hi
}

// DevOrder is the order a sleep or wake updates the stacks. Waking starts with the primary's
// stack and sleeping ends with it, so the standby never runs while the primary sleeps: traffic,
// the Aurora writer and the cache primary stay in one region throughout. Neither order touches
// the global database or datastore: their members and inputs are the same asleep and awake.
func DevOrder(primary string, asleep bool) []string {
	p, s := config.StackFor(primary), config.StackFor(config.Peer(primary))
	if asleep {
		return []string{s, p}
	}
	return []string{p, s}
}

// SetSleep puts the dev environment to sleep (asleep) or wakes it: it checks, changing nothing
// when a check fails, that the profile is dev, that both stacks were deployed and agree on the
// primary (no switchover under way); then sets agm-dr:sleeping and runs `pulumi up` on both
// stacks in DevOrder. A wake ends with the readiness check, which must pass.
func SetSleep(ctx context.Context, d DevDeps, asleep bool) (DevResult, error) {
	start := d.now()
	res := DevResult{Asleep: asleep}
	verb := map[bool]string{true: "sleep", false: "wake"}[asleep]
	primary, err := devPreflight(ctx, d, verb)
	if err != nil {
		return res, err
	}
	res.Order = DevOrder(primary, asleep)

	changed, err := d.Project.SetSleeping(ctx, asleep)
	if err != nil {
		return res, fmt.Errorf("setting %s: %w", config.KeySleeping, err)
	}
	res.Already = !changed
	d.say("%s: %v in Pulumi.yaml%s", config.KeySleeping, asleep, map[bool]string{true: " (already set: converging)", false: ""}[res.Already])
	for _, s := range res.Order {
		d.say("pulumi up %s ...", s)
		t0 := d.now()
		if _, err := d.Stacks.Up(ctx, s, func(l Line) {
			if l.Stack == "" {
				l.Stack = s
			}
			if d.Progress != nil {
				d.Progress(l)
			}
		}); err != nil {
			return res, d.failed(ctx, s, err, verb, asleep, changed)
		}
		d.say("pulumi up %s: done in %s", s, d.now().Sub(t0).Round(time.Second))
	}
	if !asleep && d.Check != nil {
		if res.Checks, err = d.waitReady(ctx); err != nil {
			res.Took = d.now().Sub(start)
			return res, fmt.Errorf("woken, but the readiness check %s:\n  %s\n  next step: fix them, then `drctl check --to %s`",
				err, strings.Join(failed(res.Checks), "\n  "), config.Peer(primary))
		}
	}
	res.Took = d.now().Sub(start)
	return res, nil
}

// failed is the error of a sleep or wake whose `pulumi up` of stack failed. When this run set
// agm-dr:sleeping, it puts the previous value back, so Pulumi.yaml again says what the operator
// had before and the next step is the same command, which sets it again and resumes: `up`
// converges a stack already updated.
func (d DevDeps) failed(ctx context.Context, stack string, err error, verb string, asleep, changed bool) error {
	next := fmt.Sprintf("fix the cause, then re-run `drctl dev %s`: it resumes (`up` converges the stacks already updated)", verb)
	if !changed {
		return fmt.Errorf("pulumi up -s %s: %w\n  %s was already %v\n  next step: %s", stack, err, config.KeySleeping, asleep, next)
	}
	if _, rerr := d.Project.SetSleeping(context.WithoutCancel(ctx), !asleep); rerr != nil {
		return fmt.Errorf("pulumi up -s %s: %w\n  setting %s back to %v failed (%v): set it in Pulumi.yaml by hand\n  next step: %s",
			stack, err, config.KeySleeping, !asleep, rerr, next)
	}
	d.say("%s: back to %v in Pulumi.yaml (the %s failed)", config.KeySleeping, !asleep, verb)
	return fmt.Errorf("pulumi up -s %s: %w\n  %s is back to %v in Pulumi.yaml\n  next step: %s", stack, err, config.KeySleeping, !asleep, next)
}

// waitReady repeats the check until it passes: the tasks a wake starts are healthy only
// minutes after `pulumi up` returns. It gives up after CheckTimeout, or when ctx ends.
func (d DevDeps) waitReady(ctx context.Context) ([]Check, error) {
	timeout, every := d.CheckTimeout, d.CheckEvery
	if timeout == 0 {
		timeout = DefaultWakeCheckTimeout
	}
	if every == 0 {
		every = DefaultWakeCheckEvery
	}
	sleep := d.Sleep
	if sleep == nil {
		sleep = func(ctx context.Context, t time.Duration) error {
			select {
			case <-time.After(t):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	deadline := d.now().Add(timeout)
	for {
		checks := d.Check(ctx)
		if Ready(checks) {
			return checks, nil
		}
		if !d.now().Before(deadline) {
			return checks, fmt.Errorf("still fails after %s", timeout)
		}
		d.say("not ready yet (%s); checking again in %s", strings.Join(failed(checks), "; "), every)
		if err := sleep(ctx, every); err != nil {
			return checks, fmt.Errorf("was interrupted (%v)", err)
		}
	}
}

func failed(checks []Check) []string {
	var out []string
	for _, c := range checks {
		if c.Status == Fail {
			out = append(out, c.Name+": "+c.Detail)
		}
	}
	return out
}

// devPreflight refuses, before anything changes, what a sleep or wake must not run on.
func devPreflight(ctx context.Context, d DevDeps, verb string) (string, error) {
	for _, s := range config.Stacks() {
		cfg, err := d.Config(s)
		if err != nil {
			return "", err
		}
		if cfg.Profile != config.Dev {
			return "", fmt.Errorf("%s is refused for profile %s (%s in Pulumi.yaml): only profile %s may sleep; nothing was changed",
				verb, cfg.Profile, config.KeyProfile, config.Dev)
		}
	}
	primary, err := d.Project.Primary(ctx)
	if err != nil {
		return "", err
	}
	deployed := map[string]string{}
	for _, s := range config.Stacks() {
		outs, err := d.Stacks.Outputs(ctx, s)
		if err != nil {
			return "", fmt.Errorf("reading stack %s: %w; nothing was changed", s, err)
		}
		if deployed[s] = str(outs, OutPrimaryRegion); deployed[s] == "" {
			home := config.TokyoStack
			if cfg, err := d.Config(s); err == nil {
				home = cfg.HomeStack()
			}
			return "", fmt.Errorf("stack %s was never deployed (no %s output): deploy it first (`pulumi up -s %s`, then the other stack), then run `drctl dev %s`; nothing was changed",
				s, OutPrimaryRegion, home, verb)
		}
	}
	for _, s := range config.Stacks() {
		if deployed[s] != primary {
			return "", fmt.Errorf("a switchover is under way: Pulumi.yaml says primaryRegion %s, stack %s was deployed with %s and stack %s with %s; "+
				"finish it with `drctl switchover --to %s`, then run `drctl dev %s`; nothing was changed",
				primary, config.TokyoStack, deployed[config.TokyoStack], config.OsakaStack, deployed[config.OsakaStack], primary, verb)
		}
	}
	return primary, nil
}
