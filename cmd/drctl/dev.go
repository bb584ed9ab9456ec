package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/policy"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/stacks"
)

// wakeCheck is the check a wake ends with: readiness for a planned switchover to the standby,
// i.e. the environment is ready to drill. Tests replace it (the real one reads AWS).
var wakeCheck = func(ctx context.Context, dir string, ws runbook.Stacks, to string) []runbook.Check {
	return runbook.Readiness(ctx, readDeps(dir, ws), to, config.Planned)
}

// wakeWait bounds the wake's wait for a green check, and the pause between two checks.
var wakeWait = struct{ timeout, every time.Duration }{runbook.DefaultWakeCheckTimeout, runbook.DefaultWakeCheckEvery}

func newDev(g *globals) *cobra.Command {
	dev := &cobra.Command{
		Use:   "dev",
		Short: "The dev drill environment: sleep between drills, wake before one (dev profile only)",
		Long: "A sleeping dev environment keeps every data resource and the Aurora global database and ElastiCache\n" +
			"global datastore joined, and drops what costs by the hour: ECS tasks (to zero), NAT gateways and VPC\n" +
			"interface endpoints. Aurora stays at its 0.5 ACU minimum (auto-pause does not work for the global\n" +
			"database's primary member, which moves with each switchover) and the cache nodes keep running.\n" +
			"A drill: `drctl dev wake`, `drctl drill --to <standby> --and-back`, `drctl dev sleep`.",
	}
	for _, asleep := range []bool{true, false} {
		asleep := asleep
		var yes bool
		verb := map[bool]string{true: "sleep", false: "wake"}[asleep]
		short := map[bool]string{
			true:  "Set agm-dr:sleeping: true and update the standby's stack, then the primary's",
			false: "Set agm-dr:sleeping: false, update the primary's stack, then the standby's, and end with `drctl check`",
		}[asleep]
		cmd := &cobra.Command{
			Use:   verb + " [--yes]",
			Short: short,
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, _ []string) error { return devRun(cmd, g, asleep, yes) },
		}
		cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
		dev.AddCommand(cmd)
	}
	return dev
}

func devRun(cmd *cobra.Command, g *globals, asleep, yes bool) error {
	dir, err := g.projectDir()
	if err != nil {
		return err
	}
	verb := map[bool]string{true: "sleep", false: "wake"}[asleep]
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	cfg, err := stackConfig(dir)(config.TokyoStack)
	if err != nil {
		return &exitError{code: exitRefused, err: err}
	}
	if cfg.Profile != config.Dev {
		return &exitError{code: exitRefused, err: fmt.Errorf("dev %s: refused for profile %s (%s in Pulumi.yaml): %s is dev only; nothing was changed",
			verb, cfg.Profile, config.KeyProfile, config.KeySleeping)}
	}
	if err := needTools(false); err != nil {
		return err
	}
	if err := previewSleep(out, dir, asleep); err != nil {
		return err
	}
	order := runbook.DevOrder(cfg.PrimaryRegion, asleep)
	fmt.Fprintf(out, "\nThis will:\n  1. set %s: %v in Pulumi.yaml\n", config.KeySleeping, asleep)
	for i, s := range order {
		role := config.RoleStandby
		if config.RegionFor(s) == cfg.PrimaryRegion {
			role = config.RolePrimary
		}
		fmt.Fprintf(out, "  %d. pulumi up %s (%s)\n", i+2, s, role)
	}
	lo, hi := runbook.WakeEstimate()
	if !asleep {
		fmt.Fprintf(out, "  4. drctl check --to %s: must be READY\n  Expected: %s–%s (offline estimate; the measured time is printed at the end)\n",
			config.Peer(cfg.PrimaryRegion), report.Human(lo.Seconds()), report.Human(hi.Seconds()))
	}
	if !yes && !confirm(cmd.InOrStdin(), out, verb) {
		return &exitError{code: exitRefused, err: fmt.Errorf("not confirmed: nothing was changed")}
	}

	ws, err := openForRun(ctx, out, dir)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("dev %s: %w; nothing was changed", verb, err)}
	}
	c := newConsole(out)
	deps := runbook.DevDeps{
		Stacks: ws, Project: runbook.NewProjectFile(dir), Config: stackConfig(dir), Progress: c.line,
		Check: func(ctx context.Context) []runbook.Check {
			return wakeCheck(ctx, dir, ws, config.Peer(cfg.PrimaryRegion))
		},
		CheckTimeout: wakeWait.timeout, CheckEvery: wakeWait.every,
	}
	res, err := runbook.SetSleep(ctx, deps, asleep)
	if len(res.Checks) > 0 {
		fmt.Fprintf(out, "\nReadiness check (planned switchover to %s):\n", config.Peer(cfg.PrimaryRegion))
		printChecks(out, res.Checks)
	}
	if err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("dev %s: %w", verb, err)}
	}
	if asleep {
		fmt.Fprintf(out, "\nAsleep after %s. Wake it with `drctl dev wake` before the next drill.\n", report.Human(res.Took.Seconds()))
		return nil
	}
	fmt.Fprintf(out, "\nAwake and READY: the wake took %s (estimated offline: %s–%s). Drill: `drctl drill --to %s --and-back`, then `drctl dev sleep`.\n",
		report.Human(res.Took.Seconds()), report.Human(lo.Seconds()), report.Human(hi.Seconds()), config.Peer(cfg.PrimaryRegion))
	return nil
}

// previewSleep shows, offline, what the sleep or wake changes per stack and what it saves, and
// refuses one that would touch a data resource.
func previewSleep(out io.Writer, dir string, asleep bool) error {
	before, err := runbook.Capture(stacks.Program, dir, map[string]string{config.KeySleeping: strconv.FormatBool(!asleep)})
	if err != nil {
		return &exitError{code: exitRefused, err: err}
	}
	after, err := runbook.Capture(stacks.Program, dir, map[string]string{config.KeySleeping: strconv.FormatBool(asleep)})
	if err != nil {
		return &exitError{code: exitRefused, err: err}
	}
	fmt.Fprintln(out, "Computed offline (the program under Pulumi's mock monitor, awake and asleep):")
	cb, ca := runbook.Costs(before), runbook.Costs(after)
	var tb, ta float64
	var data []string
	for i, s := range config.Stacks() {
		n := map[string]int{}
		touched := "no data resource touched"
		for _, ch := range capture.Diff(before[s], after[s]) {
			n[ch.Kind]++
			if policy.DataTypes[ch.Type] {
				data = append(data, fmt.Sprintf("%s: %s", s, ch))
				touched = "DATA RESOURCES TOUCHED"
			}
		}
		fmt.Fprintf(out, "  stack %s: %d to add, %d to delete, %d input change(s); %s; $%.2f => $%.2f a month\n",
			s, n["add"], n["delete"], n["update"], touched, cb[i].Total(), ca[i].Total())
		tb, ta = tb+cb[i].Total(), ta+ca[i].Total()
	}
	fmt.Fprintf(out, "  total: $%.2f => $%.2f a month\n", tb, ta)
	if len(data) > 0 {
		return &exitError{code: exitRefused, err: fmt.Errorf("refused: this would change data resources, which sleep and wake never do:\n  %v", data)}
	}
	return nil
}
