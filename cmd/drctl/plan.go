package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/stacks"
)

func newPlan(g *globals) *cobra.Command {
	var to, mode string
	cmd := &cobra.Command{
		Use:   "plan --to <region>",
		Short: "Offline: what a switchover to <region> changes, resource by resource, and its ordered steps",
		Long: "plan runs the real program of both stacks under Pulumi's mock monitor, with the current config and\n" +
			"with primaryRegion flipped, and prints every changed input and the runbook's steps with expected\n" +
			"durations. It needs no AWS credentials and no Pulumi CLI, so it works in PR review and on a fresh\n" +
			"machine. It exits 2 (refused) when the flip would change anything the flip contract does not allow.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := g.target(to, mode)
			if err != nil {
				return err
			}
			region, m, dir := t.region, t.mode, t.dir
			p, err := runbook.MakePlan(stacks.Program, dir, region, m)
			if err != nil {
				return fmt.Errorf("plan: %w", err)
			}
			p.Print(cmd.OutOrStdout())
			if len(p.Violations) > 0 {
				return &exitError{code: exitRefused, err: fmt.Errorf("the flip changes %d input(s) the flip contract does not allow (see above)", len(p.Violations))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "region (or stack) to become primary: ap-northeast-1 (tokyo) or ap-northeast-3 (osaka)")
	cmd.Flags().StringVar(&mode, "mode", "planned", "planned | unplanned")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}
