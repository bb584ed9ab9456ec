package runbook

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
)

// Options describe one switchover.
type Options struct {
	To      string            // the region becoming primary
	Mode    config.Mode       // planned or unplanned
	Targets config.Switchover // RTO target and RPO budget the leg is measured against
}

// Deps are what a switchover runs against.
type Deps struct {
	Stacks  Stacks
	Project Project
	// Lag optionally reads the Aurora replication lag in region just before the switchover,
	// for the RPO record. It is only ever called with the target region; nil: not measured.
	Lag func(ctx context.Context, region string) (time.Duration, bool, error)
	// Progress receives live lines; nil discards them.
	Progress func(Line)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// RefreshAfter: once traffic has moved, refresh every resource of the stacks the leg
	// updated (their ups refreshed only the switchover resources), if Stacks can (Refresher).
	RefreshAfter bool
}

// Refresher is a Stacks that can refresh a whole stack.
type Refresher interface {
	Refresh(ctx context.Context, stack string, progress func(Line)) error
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d Deps) say(stack, format string, args ...any) {
	if d.Progress != nil {
		d.Progress(Line{At: d.now(), Stack: stack, Text: fmt.Sprintf(format, args...)})
	}
}

func (o Options) validate() error {
	if _, ok := stackOf(o.To); !ok {
		return fmt.Errorf("target region %q is not one of the project's regions; allowed: %s (%s), %s (%s)",
			o.To, config.Tokyo, config.TokyoStack, config.Osaka, config.OsakaStack)
	}
	if o.Mode != config.Planned && o.Mode != config.Unplanned {
		return fmt.Errorf("mode %q: allowed: %s, %s", o.Mode, config.Planned, config.Unplanned)
	}
	return nil
}

// Switchover moves the primary to o.To. The steps, in order:
//  1. set agm-dr:primaryRegion (and the switchover mode) in the project config;
//  2. `pulumi up` of the new primary's stack: it scales up, moves the Aurora writer and the
//     ElastiCache primary, then points traffic at itself;
//  3. verify, from that stack's outputs, that it now holds the writer;
//  4. planned: `pulumi up` of the old primary's stack (scale down to standby, alarm routing);
//     unplanned: skipped, and nothing at all is asked of the old primary's stack or region.
//
// A failed step stops the leg; the returned leg holds every step so far, so a partial report
// can be written. Re-running after an interruption continues where it stopped: step 1 is
// idempotent and `up` converges (the switchover provider reads the real roles first).
func Switchover(ctx context.Context, d Deps, o Options) (report.Leg, error) {
	leg := report.Leg{To: o.To, From: config.Peer(o.To), Mode: string(o.Mode), Started: d.now()}
	if err := o.validate(); err != nil {
		leg.Close(d.now())
		leg.Result = report.Failed
		return leg, err
	}
	newStack, oldStack := config.StackFor(o.To), config.StackFor(leg.From)
	rto := time.Duration(o.Targets.RtoTargetMinutes) * time.Minute
	rpo := time.Duration(o.Targets.RpoBudgetSeconds) * time.Second
	r := &recorder{d: d, leg: &leg}

	lag, lagKnown := time.Duration(0), false
	if d.Lag != nil {
		l, ok, err := d.Lag(ctx, o.To)
		switch {
		case err != nil:
			d.say("", "replication lag in %s could not be read (%v); the RPO will be reported as unknown", o.To, err)
		case ok:
			lag, lagKnown = l, true
		}
	}

	err := r.step(ctx, "set primaryRegion = "+o.To, "", "", func(s *report.Step) error {
		changed, err := d.Project.SetPrimary(ctx, o.To, o.Mode)
		if err != nil {
			return err
		}
		s.Detail = fmt.Sprintf("primaryRegion %s, mode %s", o.To, o.Mode)
		if !changed {
			s.Detail += " (already set: resuming)"
		}
		return nil
	})
	if err == nil {
		err = r.step(ctx, "pulumi up "+newStack+" (new primary)", newStack, o.To, func(s *report.Step) error {
			return r.up(ctx, s, newStack)
		})
	}
	if err == nil {
		err = r.step(ctx, "verify "+newStack+" holds the writer", newStack, o.To, func(s *report.Step) error {
			return verify(ctx, d.Stacks, s, newStack, o.To)
		})
		if err == nil {
			verified := leg.Steps[len(leg.Steps)-1].End
			leg.RTO = report.NewMeasure(verified.Sub(leg.Started), rto,
				"from the start of the switchover until the new primary's stack had moved the writer, "+
					"the cache primary and the DNS weights and its outputs confirmed the writer; "+
					"clients follow within the DNS TTL")
		}
	}
	if err == nil && o.Mode == config.Planned {
		err = r.step(ctx, "pulumi up "+oldStack+" (old primary → standby)", oldStack, leg.From, func(s *report.Step) error {
			return r.up(ctx, s, oldStack)
		})
	} else if err == nil {
		now := d.now()
		leg.Steps = append(leg.Steps, report.Step{
			Name: "pulumi up " + oldStack + " (old primary → standby)", Stack: oldStack, Region: leg.From,
			Start: now, End: now, Result: report.Skipped,
			Detail: fmt.Sprintf("unplanned: the old primary region is not touched; once %s is back, run "+
				"`pulumi up -s %s` (it becomes standby and rejoins as secondary)", leg.From, oldStack),
		})
		d.say("", "skipping stack %s: unplanned mode never touches the old primary region", oldStack)
	}
	if rf, ok := d.Stacks.(Refresher); ok && err == nil && d.RefreshAfter {
		touched := []string{newStack}
		if o.Mode == config.Planned {
			touched = append(touched, oldStack)
		}
		for _, st := range touched {
			err = r.step(ctx, "refresh "+st+" (after traffic moved)", st, config.RegionFor(st), func(*report.Step) error {
				return rf.Refresh(ctx, st, d.Progress)
			})
			if err != nil {
				break
			}
		}
	}
	if leg.RTO.Known {
		leg.RPO = rpoOf(o.Mode, lag, lagKnown, rpo, o.To)
	} else {
		leg.RTO = report.Unknown(rto, "the switchover stopped before traffic moved")
		leg.RPO = report.Unknown(rpo, "the writer did not move, or its move was not confirmed")
	}
	leg.Close(d.now())
	return leg, err
}

func rpoOf(mode config.Mode, lag time.Duration, known bool, budget time.Duration, to string) report.Measure {
	reading := "no lag reading before the switchover"
	if known {
		reading = fmt.Sprintf("replication lag in %s just before: %s", to, report.Human(report.Seconds(lag)))
	}
	if mode == config.Planned {
		return report.NewMeasure(0, budget, "planned switchover: Aurora moves the writer only after the "+
			"secondary has caught up (SwitchoverGlobalCluster), so no committed write is lost; "+reading)
	}
	if !known {
		return report.Unknown(budget, "unplanned failover: writes within the replication lag may be lost; "+reading)
	}
	return report.NewMeasure(lag, budget, "unplanned failover: writes committed within the replication lag "+
		"before the failover may be lost; "+reading)
}

// recorder runs steps, timing each and appending it to the leg.
type recorder struct {
	d   Deps
	leg *report.Leg
}

func (r *recorder) step(ctx context.Context, name, stack, region string, fn func(*report.Step) error) error {
	s := report.Step{Name: name, Stack: stack, Region: region, Start: r.d.now()}
	r.d.say("", "%s ...", name)
	err := ctx.Err()
	if err == nil {
		err = fn(&s)
	}
	res := report.OK
	switch {
	case err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil):
		res = report.Interrupted
	case err != nil:
		res = report.Failed
	}
	s.Finish(r.d.now(), res)
	if err != nil {
		s.Error = err.Error()
	}
	r.leg.Steps = append(r.leg.Steps, s)
	if err != nil {
		r.d.say("", "%s: %s after %s", name, res, report.Human(s.Seconds))
		return &StepError{Step: name, Result: res, Err: err, Next: nextStep(res, err, r.leg)}
	}
	r.d.say("", "%s: done in %s%s", name, report.Human(s.Seconds), suffix(s.Detail))
	return nil
}

func (r *recorder) up(ctx context.Context, s *report.Step, stack string) error {
	res, err := r.d.Stacks.Up(ctx, stack, func(l Line) {
		if l.Stack == "" {
			l.Stack = stack
		}
		if r.d.Progress != nil {
			r.d.Progress(l)
		}
	})
	s.Ops = res.Ops
	s.Detail = changes(res.Changes)
	if err != nil {
		return fmt.Errorf("pulumi up -s %s: %w", stack, err)
	}
	return nil
}

func suffix(detail string) string {
	if detail == "" {
		return ""
	}
	return " — " + detail
}

// StepError is a step that stopped a switchover, with the operator's next step.
type StepError struct {
	Step   string
	Result report.Result
	Err    error
	Next   string
}

// Error leads with the cause (the error's first line) and the next step; the rest of the error
// (the CLI output an Automation API error carries) follows them.
func (e *StepError) Error() string {
	cause, rest, _ := strings.Cut(e.Err.Error(), "\n")
	s := fmt.Sprintf("step %q %s: %s\n  next step: %s", e.Step, e.Result, cause, e.Next)
	if rest = strings.TrimSpace(rest); rest != "" {
		s += "\n  details:\n    " + strings.ReplaceAll(rest, "\n", "\n    ")
	}
	return s
}

func (e *StepError) Unwrap() error { return e.Err }

func nextStep(res report.Result, err error, leg *report.Leg) string {
	again := fmt.Sprintf("`drctl switchover --to %s --mode %s`", leg.To, leg.Mode)
	msg := err.Error()
	switch {
	case res == report.Interrupted:
		return "the run was interrupted; re-run " + again + ": it resumes (Pulumi.yaml is already set, " +
			"`up` converges and the switchover provider resumes waiting)"
	case strings.Contains(msg, "locked"):
		return "an update of this stack is running or an interrupted one left its lock: if no `pulumi` " +
			"process runs, remove the lock (`pulumi cancel` on Pulumi Cloud; on an s3/file backend delete " +
			"the stack's lock file under .pulumi/locks/) and re-run " + again
	case strings.Contains(msg, "pending") && strings.Contains(msg, "operation"):
		return "an interrupted update left pending operations: run `pulumi refresh -s <stack> " +
			"--clear-pending-creates` after checking the resources in the console, then re-run " + again
	}
	return "read the error above, fix its cause, then re-run " + again + " (it resumes where it stopped)"
}
