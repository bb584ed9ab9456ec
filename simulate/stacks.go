package simulate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
)

// deployment is the simulated Pulumi state: the project config (what
// Pulumi.yaml says) and, per stack, the inputs each resource was last
// applied with, so a re-run after a failure retries only what did not
// finish, as `pulumi up` does.
type deployment struct {
	w       *World
	progs   *programs
	sched   *sched
	primary string
	mode    config.Mode
	applied map[string]map[string]resource.PropertyMap // stack → resource key → inputs
	outputs map[string]map[string]any
	// upDone is when the last successful `up` of each stack ended.
	upDone map[string]time.Time
}

// Primary implements runbook.Project.
func (d *deployment) Primary(context.Context) (string, error) { return d.primary, nil }

// SetPrimary implements runbook.Project.
func (d *deployment) SetPrimary(_ context.Context, region string, mode config.Mode) (bool, error) {
	changed := d.primary != region || d.mode != mode
	d.primary, d.mode = region, mode
	if changed {
		d.w.log("operator", "sets primaryRegion = %s, mode %s in Pulumi.yaml", region, mode)
	}
	return changed, nil
}

// Preview implements runbook.Stacks (unused by a switchover).
func (d *deployment) Preview(context.Context, string) (int, error) { return 0, nil }

// LastUpdate implements runbook.Stacks (unused by a switchover).
func (d *deployment) LastUpdate(context.Context, string) (runbook.Update, error) {
	return runbook.Update{}, nil
}

// Outputs implements runbook.Stacks: those of the last successful up.
func (d *deployment) Outputs(_ context.Context, stack string) (map[string]any, error) {
	return d.outputs[stack], nil
}

// op is one resource operation of an up.
type op struct {
	res     capture.Resource
	urn     string
	deps    map[string]bool
	started bool
	done    bool
	err     error
	start   time.Time
	end     time.Time
}

// Up implements runbook.Stacks: the real program's changes for this stack,
// applied in its dependency order, parallel where Pulumi runs them in
// parallel, each against the simulated AWS.
func (d *deployment) Up(ctx context.Context, stack string, progress func(runbook.Line)) (runbook.UpResult, error) {
	w := d.w
	say := func(format string, args ...any) {
		if progress != nil {
			progress(runbook.Line{At: w.now, Stack: stack, Text: fmt.Sprintf(format, args...)})
		}
	}
	all, err := d.progs.run(d.primary, d.mode)
	if err != nil {
		return runbook.UpResult{}, err
	}
	res := all[stack]
	g := newGraph(stack, res)
	var ops []*op
	for _, r := range res.Resources {
		prev, deployed := d.applied[stack][r.Key()]
		if !modeled(r.Type) {
			continue
		}
		if deployed && equalInputs(sentInputs(r, prev), sentInputs(r, r.Inputs)) && !d.roleDiffers(stack, r) {
			continue
		}
		u := urnOf(stack, r)
		ops = append(ops, &op{res: r, urn: u, deps: d.withoutRemoved(r.Type, g, g.deps(u))})
	}
	w.log("pulumi", "up -s %s starts (%d operations to run)", stack, len(ops))
	w.sleep(w.P.UpOverhead / 2)
	if err := ctx.Err(); err != nil {
		return runbook.UpResult{}, err
	}
	failed := false
	for {
		started := 0
		for _, o := range ops {
			if o.started || failed || !d.ready(o, ops) {
				continue
			}
			started++
			o.started, o.start = true, w.now
			say("%s: updating", name(o.res))
			d.sched.spawn(func(clk actorClock) {
				o.err = d.apply(ctx, stack, o.res, clk)
				o.done, o.end = true, w.now
			})
		}
		for _, o := range ops {
			if o.done && o.err != nil {
				failed = true
			}
		}
		// Operations that finished without sleeping may have made others
		// ready: go round again before deciding the up is over.
		if !d.sched.step() && started == 0 {
			break
		}
	}
	out := runbook.UpResult{Changes: map[string]int{}}
	var errs []error
	for _, o := range ops {
		if !o.started {
			continue
		}
		out.Changes["update"]++
		out.Ops = append(out.Ops, report.Op{Resource: o.res.Name, Type: o.res.Type, Op: "update", Start: o.start, End: o.end,
			Seconds: report.Seconds(o.end.Sub(o.start)), Failed: o.err != nil})
		if o.err != nil {
			say("%s: FAILED: %v", name(o.res), o.err)
			w.log("pulumi", "up -s %s: %s failed: %s", stack, name(o.res), firstLine(o.err))
			errs = append(errs, fmt.Errorf("%s: %w", name(o.res), o.err))
			continue
		}
		say("%s: updated in %s", name(o.res), report.Human(report.Seconds(o.end.Sub(o.start))))
		d.applied[stack][o.res.Key()] = o.res.Inputs
	}
	if len(errs) > 0 {
		w.log("pulumi", "up -s %s FAILED", stack)
		return out, errors.Join(errs...)
	}
	for _, r := range res.Resources {
		d.applied[stack][r.Key()] = r.Inputs
	}
	w.sleep(w.P.UpOverhead / 2)
	d.upDone[stack] = w.now
	d.outputs[stack] = map[string]any{
		runbook.OutPrimaryRegion:    d.primary,
		runbook.OutSwitchoverWriter: w.aurora.writer,
		runbook.OutSwitchoverCache:  w.cache.primary,
	}
	w.log("pulumi", "up -s %s done", stack)
	return out, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func (d *deployment) ready(o *op, ops []*op) bool {
	for _, x := range ops {
		if x != o && o.deps[x.urn] && (!x.done || x.err != nil) {
			return false
		}
	}
	return true
}
