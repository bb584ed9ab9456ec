package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/simulate"
)

type simulateFlags struct {
	to, mode, outage, recoverAt, operatorAt, reports, scenario string
	calibrate                                                  string
	season, route53Down                                        bool
	seed                                                       int64
	changed                                                    func(string) bool
}

func newSimulate(g *globals) *cobra.Command {
	f := &simulateFlags{}
	cmd := &cobra.Command{
		Use:   "simulate --to <region> [--mode planned|unplanned] [--outage <region>@<offset>] [--recover-at <offset>] [--season] [--route53-down]",
		Short: "Offline: what shareholders see, second by second, during a switchover (discrete-event simulation)",
		Long: "simulate runs the real runbook, the real program's dependency graph and the real switchover engine\n" +
			"against a simulated AWS (Aurora global database, ElastiCache global datastore, ECS, Route 53) and\n" +
			"simulated shareholders on a virtual clock. It needs no AWS account and no Pulumi CLI, takes seconds,\n" +
			"and writes a report (JSON, Markdown, SVG plot of requests by outcome) with the impact table, RTO and RPO.\n" +
			"Offsets are from the start of the simulation, e.g. --outage ap-northeast-1@0s --recover-at 20m.\n\n" +
			"Every scenario is judged by bounds on what shareholders see (at least the shareholder RTO against\n" +
			"agm-dr:switchover rtoTargetMinutes). Exit codes:\n" +
			"  0  every bound held and the simulated switchover completed\n" +
			"  4  a bound broke (also when the switchover stopped as well)\n" +
			"  5  every bound held, but the switchover did not complete (stopped; the summary gives the next command)\n" +
			"  2  bad flags or config",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.changed = cmd.Flags().Changed
			if f.calibrate != "" {
				dir, err := g.projectDir()
				if err != nil {
					return err
				}
				return calibrate(cmd.OutOrStdout(), dir, f.calibrate)
			}
			if f.to == "" {
				return &exitError{code: 2, err: fmt.Errorf("required flag \"to\" not set")}
			}
			sc, err := f.toScenario()
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			dir, err := g.projectDir()
			if err != nil {
				return err
			}
			res, err := simulate.Run(cmd.Context(), dir, sc)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("simulate: %w", err)}
			}
			reports := f.reports
			if reports == "" {
				reports = filepath.Join(dir, "reports", "simulations")
			}
			rep := res.Report()
			rep.Name, rep.RanAt = f.name(), now()
			files, err := report.WriteSimulation(reports, rep)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Report: %s (plot %s, data %s)\n", files.Markdown, filepath.Base(files.SVG), filepath.Base(files.JSON))
			for _, l := range res.Summary() {
				fmt.Fprintln(out, l)
			}
			return simulateExit(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.to, "to", "", "region (or stack) to become primary: ap-northeast-1 (tokyo) or ap-northeast-3 (osaka)")
	fl.StringVar(&f.mode, "mode", "planned", "planned | unplanned")
	fl.StringVar(&f.outage, "outage", "", "a region outage: <region>@<offset>, e.g. ap-northeast-1@0s")
	fl.StringVar(&f.recoverAt, "recover-at", "", "when the failed region comes back, e.g. 20m")
	fl.StringVar(&f.operatorAt, "operator-at", "", "when the operator starts the switchover (default 1m; unplanned with an outage: 5m after it)")
	fl.BoolVar(&f.season, "season", false, "simulate inside the first AGM-season window (raised task floor, peak load)")
	fl.BoolVar(&f.route53Down, "route53-down", false, "Route 53's control plane (us-east-1) is down for the whole run: record changes are refused, health checks still move traffic; combines with any outage or --scenario")
	fl.Int64Var(&f.seed, "seed", 1, "random seed of the shareholders' traffic (same seed, same run)")
	fl.StringVar(&f.scenario, "scenario", "", "a named scenario instead of --mode/--outage/--recover-at/--operator-at: "+
		presetKeys()+" (the old primary is the region that fails)")
	fl.StringVar(&f.reports, "reports", "", "directory for the report (default: <project>/reports/simulations, not committed)")
	fl.StringVar(&f.calibrate, "calibrate", "", "a drill report (.json): store the durations it measured in "+simulate.CalibrationFile+" and exit")
	return cmd
}

// toScenario validates the flags into a scenario; every error names its flag.
func (f *simulateFlags) toScenario() (simulate.Scenario, error) {
	to, err := resolveRegion(f.to)
	if err != nil {
		return simulate.Scenario{}, err
	}
	mode, err := parseMode(f.mode)
	if err != nil {
		return simulate.Scenario{}, err
	}
	if f.scenario != "" {
		for _, fl := range []string{"mode", "outage", "recover-at", "operator-at"} {
			if f.changed != nil && f.changed(fl) {
				return simulate.Scenario{}, fmt.Errorf("--%s: --scenario %s sets it; drop one of the two", fl, f.scenario)
			}
		}
		sc, err := simulate.PresetFor(f.scenario, to)
		if err != nil {
			return sc, err
		}
		sc.Seed, sc.Season, sc.Route53Down = f.seed, sc.Season || f.season, sc.Route53Down || f.route53Down
		return sc, nil
	}
	sc := simulate.Scenario{To: to, Mode: mode, Season: f.season, Seed: f.seed, Route53Down: f.route53Down}
	if f.outage != "" {
		region, off, ok := strings.Cut(f.outage, "@")
		if !ok {
			return sc, fmt.Errorf("--outage %q: want <region>@<offset>, e.g. %s@0s", f.outage, config.Peer(to))
		}
		if config.StackFor(region) == "" && config.RegionFor(region) == "" {
			return sc, fmt.Errorf("--outage %q: unknown region %q; allowed: %s, %s", f.outage, region, config.Tokyo, config.Osaka)
		}
		if r := config.RegionFor(region); r != "" {
			region = r
		}
		if region == to {
			return sc, fmt.Errorf("--outage %s: that is the --to region; a switchover to a region that is down makes no sense", f.outage)
		}
		d, err := offset("--outage", off)
		if err != nil {
			return sc, err
		}
		sc.OutageRegion, sc.OutageAt = region, d
	}
	if f.recoverAt != "" {
		if sc.OutageRegion == "" {
			return sc, fmt.Errorf("--recover-at %s: needs --outage (nothing is down to recover)", f.recoverAt)
		}
		d, err := offset("--recover-at", f.recoverAt)
		if err != nil {
			return sc, err
		}
		if d <= sc.OutageAt {
			return sc, fmt.Errorf("--recover-at %s: must be after the outage at %s", f.recoverAt, sc.OutageAt)
		}
		sc.RecoverAt = d
	}
	switch {
	case f.operatorAt != "":
		d, err := offset("--operator-at", f.operatorAt)
		if err != nil {
			return sc, err
		}
		sc.OperatorAt = d
	case mode == config.Unplanned && sc.OutageRegion != "":
		sc.OperatorAt = sc.OutageAt + 5*time.Minute
	}
	return sc, nil
}

func presetKeys() string {
	var keys []string
	for _, p := range simulate.Presets(config.Osaka) {
		keys = append(keys, p.Key)
	}
	return strings.Join(keys, ", ")
}

// offset parses a non-negative duration from the start of the simulation.
func offset(flag, s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s %q: not a duration like 90s, 5m or 1h", flag, s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s %q: the offset is in the past; give a time from the start of the simulation (0s or later)", flag, s)
	}
	if d > 24*time.Hour {
		return 0, fmt.Errorf("%s %q: more than a day into the simulation; use at most 24h", flag, s)
	}
	return d, nil
}

// simulateExit: a broken bound outranks an incomplete switchover; both are
// non-zero so a drill script or CI job can gate on the simulation.
func simulateExit(res *simulate.Result) error {
	if broken, _ := res.BoundsBroken(); len(broken) > 0 {
		return quiet(exitBoundBroken)
	}
	if res.Err != nil {
		return quiet(exitIncomplete)
	}
	return nil
}

// name is the scenario in the report's file name: the preset, or the mode and what was added.
func (f *simulateFlags) name() string {
	if f.scenario != "" {
		return f.scenario
	}
	parts := []string{f.mode}
	if f.outage != "" {
		parts = append(parts, "outage")
	}
	if f.season {
		parts = append(parts, "season")
	}
	if f.route53Down {
		parts = append(parts, "r53-down")
	}
	return strings.Join(parts, "-")
}
