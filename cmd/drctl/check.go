package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
)

func newCheck(g *globals) *cobra.Command {
	var to, mode string
	cmd := &cobra.Command{
		Use:   "check --to <region>",
		Short: "Read-only readiness for a switchover to <region>; exit code 0 only when ready",
		Long: "check changes nothing. It checks the config, that both stacks are up to date with the same\n" +
			"application version, the target's capacity, replication lag within the RPO budget, that the state\n" +
			"backend is not in the region being left and, for a planned switchover, that the old primary's\n" +
			"queues drain. It checks the age of each region's latest Aurora recovery point (backup.maxAgeHours;\n" +
			"unplanned: the target only, and only a warning). In unplanned mode it asks nothing of the old\n" +
			"primary's stack or region.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := g.target(to, mode)
			if err != nil {
				return err
			}
			region, m, dir := t.region, t.mode, t.dir
			out := cmd.OutOrStdout()
			if err := needTools(true); err != nil {
				return err
			}
			ws, err := openForRun(cmd.Context(), out, dir)
			if err != nil {
				return err
			}
			checks := runbook.Readiness(cmd.Context(), readDeps(dir, ws), region, m)
			fmt.Fprintf(out, "Readiness check (%s switchover to %s, %s):\n", m, region, config.StackFor(region))
			printChecks(out, checks)
			if !runbook.Ready(checks) {
				fmt.Fprintln(out, "NOT READY: fix the failed checks above, then run `drctl check` again.")
				return quiet(exitNotReady)
			}
			fmt.Fprintf(out, "READY: `drctl switchover --to %s --mode %s`\n", region, m)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "region (or stack) to become primary")
	cmd.Flags().StringVar(&mode, "mode", "planned", "planned | unplanned")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func printChecks(w io.Writer, checks []runbook.Check) {
	for _, c := range checks {
		fmt.Fprintf(w, "  %-4s  %s: %s\n", strings.ToUpper(string(c.Status)), c.Name, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(w, "        fix: %s\n", c.Fix)
		}
		if c.Raw != "" {
			fmt.Fprintf(w, "        details: %s\n", strings.ReplaceAll(c.Raw, "\n", "\n          "))
		}
	}
}

func newStatus(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Each stack's role, last update, real Aurora writer and cache primary, lag, tasks and queues",
		Long: "status reads both stacks (state backend) and both regions (AWS). It warns when the stacks deploy\n" +
			"different application versions or disagree on the primary, and exits 3 (not ready) when anything is wrong or\n" +
			"could not be read (a region that is down shows as errors under its stack).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := g.projectDir()
			if err != nil {
				return err
			}
			if err := needTools(false); err != nil {
				return err
			}
			rep := runbook.ReadStatus(cmd.Context(), readDeps(dir, openStacks(dir)))
			printStatus(cmd.OutOrStdout(), rep)
			for _, s := range rep.Stacks {
				if len(s.Errors) > 0 {
					return quiet(exitNotReady)
				}
			}
			if len(rep.Warnings) > 0 {
				return quiet(exitNotReady)
			}
			return nil
		},
	}
}

func printStatus(w io.Writer, rep runbook.StatusReport) {
	fmt.Fprintf(w, "Configured primary (Pulumi.yaml): %s (%s)\n", rep.Configured, config.StackFor(rep.Configured))
	for _, s := range rep.Stacks {
		fmt.Fprintf(w, "\nstack %s (%s): %s\n", s.Stack, s.Region, or(s.Role, "unknown role"))
		if s.Role == "" && s.AppImage == "" && len(s.Errors) > 0 {
			for _, e := range s.Errors {
				fmt.Fprintf(w, "  ! %s\n", e)
			}
			continue
		}
		fmt.Fprintf(w, "  deployed with   primaryRegion %s, appImage %s\n", or(s.PrimaryRegion, "?"), or(s.AppImage, "?"))
		if !s.LastUpdate.Start.IsZero() {
			fmt.Fprintf(w, "  last update     %s %s at %s\n", s.LastUpdate.Kind, s.LastUpdate.Result, s.LastUpdate.Start.Format(time.RFC3339))
		}
		fmt.Fprintf(w, "  Aurora writer   %s\n", or(s.Writer, "?"))
		fmt.Fprintf(w, "  cache primary   %s\n", or(s.CachePrimary, "?"))
		lag := "no recent datapoint"
		if s.LagKnown {
			lag = report.Human(report.Seconds(s.Lag))
		}
		fmt.Fprintf(w, "  replication lag %s\n", lag)
		fmt.Fprintf(w, "  ECS tasks       %d running / %d desired (%d pending)\n", s.Service.Running, s.Service.Desired, s.Service.Pending)
		fmt.Fprintf(w, "  queue depth     %d (+%d in flight), dead-letter %d\n", s.Queue.Visible, s.Queue.InFlight, s.DLQ.Depth())
		for _, e := range s.Errors {
			fmt.Fprintf(w, "  ! %s\n", e)
		}
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintln(w, "\nWARNINGS:")
		for _, x := range rep.Warnings {
			fmt.Fprintf(w, "  - %s\n", x)
		}
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
