package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/cost"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/stacks"
)

func newCost(g *globals) *cobra.Command {
	var profile string
	var sleeping bool
	cmd := &cobra.Command{
		Use:   "cost [--profile dev|production] [--sleeping]",
		Short: "Offline: the monthly cost estimate of both stacks, biggest items first",
		Long: "cost runs the real program of both stacks under Pulumi's mock monitor and prices every resource it\n" +
			"registers from one table (cost/prices.go): on-demand USD prices for ap-northeast-1 and ap-northeast-3,\n" +
			"each with its source, the date it was read and the usage assumed. It needs no AWS account.\n" +
			"--profile prices another profile than Pulumi.yaml's (with that profile's default capacity and no\n" +
			"season windows); --sleeping prices the sleeping dev environment (see `drctl dev sleep`).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := g.projectDir()
			if err != nil {
				return err
			}
			overrides, label, err := costOverrides(stackConfig(dir), profile, sleeping)
			if err != nil {
				return err
			}
			res, err := runbook.Capture(stacks.Program, dir, overrides)
			if err != nil {
				return &exitError{code: exitRefused, err: fmt.Errorf("cost: %w", err)}
			}
			ests := runbook.Costs(res)
			printCost(cmd.OutOrStdout(), label, ests)
			var missing []string
			for _, e := range ests {
				missing = append(missing, e.Missing...)
			}
			if err := cost.MissingError(missing); err != nil {
				return &exitError{code: exitFailed, err: fmt.Errorf("the estimate is incomplete: %w", err)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&profile, "profile", "", "production | dev (default: agm-dr:profile in Pulumi.yaml)")
	cmd.Flags().BoolVar(&sleeping, "sleeping", false, "price the sleeping dev environment")
	return cmd
}

// costOverrides turns the flags into config overrides and a label for the output.
func costOverrides(cfgOf func(string) (config.Config, error), profile string, sleeping bool) (map[string]string, string, error) {
	cfg, err := cfgOf(config.TokyoStack)
	if err != nil {
		return nil, "", &exitError{code: exitRefused, err: err}
	}
	p := cfg.Profile
	overrides := map[string]string{}
	if profile != "" {
		if profile != string(config.Production) && profile != string(config.Dev) {
			return nil, "", &exitError{code: exitRefused, err: fmt.Errorf("--profile %q: allowed: %s, %s", profile, config.Production, config.Dev)}
		}
		if config.Profile(profile) != cfg.Profile {
			// The file's capacity and season windows were written for its own profile.
			overrides[config.KeyCapacity], overrides[config.KeySeason] = "", ""
		}
		p = config.Profile(profile)
		overrides[config.KeyProfile] = profile
	}
	if sleeping && p != config.Dev {
		return nil, "", &exitError{code: exitRefused, err: fmt.Errorf("--sleeping: %s is dev only; profile %s cannot sleep (add --profile dev)", config.KeySleeping, p)}
	}
	asleep := cfg.Sleeping && p == config.Dev
	if sleeping || p != config.Dev {
		asleep = sleeping
	}
	overrides[config.KeySleeping] = fmt.Sprint(asleep)
	label := "profile " + string(p)
	if p == config.Dev {
		label += map[bool]string{true: ", asleep", false: ", awake"}[asleep]
	}
	return overrides, label, nil
}

func printCost(w io.Writer, label string, ests []cost.Estimate) {
	sort.SliceStable(ests, func(i, j int) bool { return ests[i].Total() > ests[j].Total() })
	fmt.Fprintf(w, "Monthly cost estimate, %s (USD, on-demand, %g hours a month)\n", label, cost.HoursPerMonth)
	fmt.Fprintln(w, "Computed offline from what the program of each stack registers; prices, sources and usage assumptions: cost/prices.go; * = estimated price.")
	total := 0.0
	for _, e := range ests {
		fmt.Fprintf(w, "\nstack %s (%s): $%.2f\n", e.Stack, e.Region, e.Total())
		for _, it := range e.Items {
			mark := " "
			if it.Estimated {
				mark = "*"
			}
			fmt.Fprintf(w, "  %9s%s  %-58s %10.1f %-16s %s\n", fmt.Sprintf("$%.2f", it.USD), mark, it.What, it.Quantity, it.Unit, it.Name)
		}
		for _, m := range e.Missing {
			fmt.Fprintf(w, "  NOT PRICED: %s\n", m)
		}
		total += e.Total()
	}
	fmt.Fprintf(w, "\nTotal: $%.2f a month", total)
	for i, e := range ests {
		sep := " ("
		if i > 0 {
			sep = " + "
		}
		fmt.Fprintf(w, "%s%s $%.2f", sep, e.Stack, e.Total())
	}
	fmt.Fprintln(w, ")")
}
