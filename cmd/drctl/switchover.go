package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
)

// actFlags are the flags of the commands that change something.
type actFlags struct {
	to, mode, reports string
	yes, skipCheck    bool
	andBack           bool
	probe             probeFlags
}

func (f *actFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.to, "to", "", "region (or stack) to become primary: ap-northeast-1 (tokyo) or ap-northeast-3 (osaka)")
	cmd.Flags().StringVar(&f.mode, "mode", "planned", "planned (both regions healthy, RPO 0) | unplanned (old primary region down: it is not touched)")
	cmd.Flags().BoolVar(&f.yes, "yes", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&f.skipCheck, "skip-check", false, "do not run the readiness check first")
	cmd.Flags().StringVar(&f.reports, "reports", "", "directory for the report (default: <project>/reports)")
	f.probe.register(cmd)
	_ = cmd.MarkFlagRequired("to")
}

func newSwitchover(g *globals) *cobra.Command {
	f := &actFlags{}
	cmd := &cobra.Command{
		Use:   "switchover --to <region> [--mode planned|unplanned] [--yes]",
		Short: "Switch the primary to <region>: set primaryRegion, update the new primary's stack, then the old one's",
		Long: "switchover sets agm-dr:primaryRegion in Pulumi.yaml (comments kept), runs `pulumi up` on the new\n" +
			"primary's stack (scale up, Aurora writer and cache switchover, traffic) and then on the old primary's\n" +
			"stack (scale down). In unplanned mode the old primary's stack and region are never touched. It is\n" +
			"safe to re-run after an interruption: it continues where it stopped (whether a switchover is under way is\n" +
			"read from the stacks' outputs and AWS, never from Pulumi.yaml alone). Before anything changes it checks\n" +
			"the tools, the stacks, the backend and AWS credentials, then runs the readiness check (unless\n" +
			"--skip-check). A report is written for every run, a refused or unconfirmed one too.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return act(cmd, g, f, "switchover") },
	}
	f.register(cmd)
	return cmd
}

func newDrill(g *globals) *cobra.Command {
	f := &actFlags{}
	cmd := &cobra.Command{
		Use:   "drill --to <region> [--and-back]",
		Short: "A timed switchover to <region> (and back with --and-back) that writes a drill report",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return act(cmd, g, f, "drill") },
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&f.andBack, "and-back", false, "switch back to the current primary afterwards (always planned)")
	return cmd
}

func act(cmd *cobra.Command, g *globals, f *actFlags, kind string) error {
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	dir, err := g.findProject()
	if err != nil {
		return err
	}
	// From here on every run writes its report; a refusal is a report with its reason.
	r := &refusals{kind: kind, to: f.to, mode: f.mode, dir: dir, reports: f.reports, out: out, started: now()}
	to, err := resolveRegion(f.to)
	if err != nil {
		return r.refuse(err)
	}
	mode, err := parseMode(f.mode)
	if err != nil {
		return r.refuse(err)
	}
	r.to, r.mode = to, string(mode)
	if _, err := g.projectDir(); err != nil {
		return r.refuse(err)
	}
	cfg, err := stackConfig(dir)(config.StackFor(to))
	if err != nil {
		return r.refuse(&exitError{code: exitRefused, err: err})
	}
	if cfg.PrimaryRegion == to && kind == "drill" {
		return r.refuse(&exitError{code: exitRefused, err: fmt.Errorf("%s is already the primary: drill --to %s (if a drill to %s was interrupted, finish it with `drctl switchover --to %s`)",
			to, config.Peer(to), to, to)})
	}

	// Preflight, before anything changes: tools (before compiling), the program compiled once
	// (every preview and up of the run uses it), the stacks, the backend and AWS credentials.
	if err := needTools(true); err != nil {
		return r.refuse(err)
	}
	ws, err := openForRun(ctx, out, dir)
	if err != nil {
		return r.refuse(err)
	}
	rd := readDeps(dir, ws)
	flip, err := preflight(ctx, out, rd, to, mode)
	if err != nil {
		return r.refuse(err)
	}
	switch {
	case flip.UnderWay():
		fmt.Fprintf(out, "A switchover to %s is under way (see above): it resumes.\n", to)
	case flip.HandEdited():
		fmt.Fprintf(out, "Pulumi.yaml already names %s but nothing has moved (edited by hand?): a new switchover.\n", to)
	}

	if !f.skipCheck {
		checks := runbook.Readiness(ctx, rd, to, mode)
		fmt.Fprintf(out, "Readiness check (%s switchover to %s):\n", mode, to)
		printChecks(out, checks)
		if !runbook.Ready(checks) {
			fmt.Fprintln(out, "NOT READY: nothing was changed. Fix the failed checks (or pass --skip-check if you must).")
			r.write(fmt.Errorf("not ready: %s", failed(checks)))
			return quiet(exitNotReady) // the failed checks, with their fixes, are printed above
		}
	} else {
		fmt.Fprintln(out, "Readiness check skipped (--skip-check).")
	}

	legs := []runbook.Options{{To: to, Mode: mode, Targets: cfg.Switchover}}
	if f.andBack {
		legs = append(legs, runbook.Options{To: config.Peer(to), Mode: config.Planned, Targets: cfg.Switchover})
	}
	describe(out, legs)
	if !f.yes && !confirm(cmd.InOrStdin(), out, config.StackFor(to)) {
		return r.refuse(&exitError{code: exitRefused, err: fmt.Errorf("not confirmed: nothing was changed")})
	}

	var watch *drillProbe
	if !f.probe.off {
		if watch, err = startProbe(ctx, out, ws, f.probe, legs[0], cfg.NamePrefix); err != nil {
			return &exitError{code: exitNotReady, err: fmt.Errorf("probe: %w\nnothing was changed; fix the target, or run with --no-probe", err)}
		}
		if kind == "drill" {
			watch.predict(ctx, out, dir, cfg, legs)
		}
	}

	c := newConsole(out)
	deps := runbook.Deps{Stacks: ws, Project: runbook.NewProjectFile(dir), Lag: lagReader(ws), Progress: c.line, RefreshAfter: true}
	rep, runErr := runbook.Run(ctx, deps, kind, legs)
	if runErr != nil {
		// The exact state now, and the commands that go forward or back.
		after := runbook.ReadFlip(context.WithoutCancel(ctx), rd, to, mode)
		fmt.Fprintln(out, "\nStopped. Where the switchover stands now:")
		for _, s := range after.State() {
			fmt.Fprintf(out, "  %s\n", s)
		}
		fmt.Fprintf(out, "Forward: `drctl switchover --to %s --mode %s` (it resumes).\n", to, mode)
		if mode == config.Planned {
			fmt.Fprintf(out, "Back:    `drctl switchover --to %s --mode planned` (the writer, cache primary and traffic return to %s).\n", config.Peer(to), config.Peer(to))
		}
	}
	watch.attach(ctx, out, &rep)
	return finish(ctx, out, dir, f.reports, rep, runErr)
}

// failed names the checks that failed.
func failed(checks []runbook.Check) string {
	var names []string
	for _, c := range checks {
		if c.Status == runbook.Fail {
			names = append(names, c.Name+" ("+c.Detail+")")
		}
	}
	return strings.Join(names, "; ")
}

// refusals writes the report of a run refused before it changed anything.
type refusals struct {
	kind, to, mode, dir, reports string
	out                          io.Writer
	started                      time.Time
}

// refuse writes the refusal's report and returns err with its exit code (refused by input
// unless err carries one).
func (r *refusals) refuse(err error) error {
	r.write(err)
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: exitRefused, err: err}
}

func (r *refusals) write(err error) {
	title := fmt.Sprintf("%s%s to %s (%s): refused", strings.ToUpper(r.kind[:1]), r.kind[1:], r.to, r.mode)
	rep := report.Refusal(r.kind, title, r.started, now(), err.Error(), "Refused before anything changed: Pulumi.yaml, the stacks and AWS are as they were.")
	stamp(r.dir, r.to, &rep)
	dir := r.reports
	if dir == "" {
		dir = filepath.Join(r.dir, "reports")
	}
	if files, werr := report.Write(dir, rep); werr != nil {
		fmt.Fprintf(r.out, "could not write the report: %v\n", werr)
	} else {
		fmt.Fprintf(r.out, "Report (refused): %s\n", files.Markdown)
	}
}

// describe prints what is about to happen, in order.
func describe(w io.Writer, legs []runbook.Options) {
	fmt.Fprintln(w, "\nThis will:")
	for i, l := range legs {
		from := config.Peer(l.To)
		fmt.Fprintf(w, "  %d. set primaryRegion: %s in Pulumi.yaml (mode %s)\n", 5*i+1, l.To, l.Mode)
		fmt.Fprintf(w, "  %d. pulumi up %s: scale up, move the Aurora writer and the cache primary, move traffic\n", 5*i+2, config.StackFor(l.To))
		fmt.Fprintf(w, "  %d. verify %s holds the writer\n", 5*i+3, config.StackFor(l.To))
		if l.Mode == config.Planned {
			fmt.Fprintf(w, "  %d. pulumi up %s: scale down to standby\n", 5*i+4, config.StackFor(from))
			fmt.Fprintf(w, "  %d. refresh every resource of %s and %s (traffic has moved)\n", 5*i+5, config.StackFor(l.To), config.StackFor(from))
		} else {
			fmt.Fprintf(w, "  %d. (skipped) %s is not touched in unplanned mode\n", 5*i+4, config.StackFor(from))
			fmt.Fprintf(w, "  %d. refresh every resource of %s (traffic has moved)\n", 5*i+5, config.StackFor(l.To))
		}
	}
}

// finish writes the report (also when the run failed: a partial report) and sets the exit code.
func finish(ctx context.Context, out io.Writer, dir, reports string, rep report.Report, runErr error) error {
	if reports == "" {
		reports = filepath.Join(dir, "reports")
	}
	if len(rep.Legs) > 0 {
		stamp(dir, rep.Legs[0].To, &rep)
	} else {
		stamp(dir, "", &rep)
	}
	files, err := report.Write(reports, rep)
	if err != nil {
		fmt.Fprintf(out, "could not write the report: %v\n", err)
	} else {
		fmt.Fprintf(out, "\nReport: %s (and %s, %s)\n", files.Markdown, filepath.Base(files.JSON), filepath.Base(files.SVG))
	}
	for i, l := range rep.Legs {
		fmt.Fprintf(out, "Leg %d %s → %s: %s in %s; RTO %s (target %s), RPO %s (budget %s)\n", i+1, l.From, l.To, l.Result,
			report.Human(l.Seconds), measure(l.RTO), report.Human(l.RTO.TargetSeconds), measure(l.RPO), report.Human(l.RPO.TargetSeconds))
	}
	if runErr != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(out, "Interrupted. Re-run the same command to continue.")
		}
		return &exitError{code: exitFailed, err: runErr}
	}
	return nil
}

func measure(m report.Measure) string {
	if !m.Known {
		return "unknown"
	}
	s := report.Human(m.Seconds)
	if !m.Met {
		s += " (MISSED)"
	}
	return s
}
