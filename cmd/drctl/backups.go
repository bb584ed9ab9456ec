package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// openBackups returns a region's AWS Backup reader; tests replace it with a fake.
var openBackups runbook.BackupFactory = runbook.NewBackupAPI

// now is the clock of the backup ages; tests replace it.
var now = time.Now

func newBackups(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "backups",
		Short: "Latest Aurora recovery point per region and its age (read-only)",
		Long: "backups reads each region's AWS Backup vault (its own backups and the copies from the other\n" +
			"region) and shows the latest completed recovery point and its age against backup.maxAgeHours.\n" +
			"It exits 3 (not ready) when a region has none, one too old, or cannot be read. It changes nothing.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := g.projectDir()
			if err != nil {
				return err
			}
			cfg, err := stackConfig(dir)(config.TokyoStack)
			if err != nil {
				return &exitError{code: exitRefused, err: err}
			}
			maxAge := time.Duration(cfg.Backup.MaxAgeHours) * time.Hour
			rbs := runbook.LatestBackups(cmd.Context(), openBackups, cfg.BackupVaultName(), config.Regions(), now())
			checks := runbook.BackupAgeChecks(rbs, maxAge)
			printBackups(cmd.OutOrStdout(), rbs, checks)
			if !runbook.Ready(checks) {
				return quiet(exitNotReady)
			}
			return nil
		},
	}
}

func printBackups(w io.Writer, rbs []runbook.RegionBackups, checks []runbook.Check) {
	for i, rb := range rbs {
		fmt.Fprintf(w, "%s (%s), vault %s:\n", rb.Region, config.StackFor(rb.Region), rb.Vault)
		if rb.Latest != nil {
			fmt.Fprintf(w, "  latest    %s\n  created   %s (%s ago)\n  of        %s\n  completed %d recovery point(s) in the vault\n",
				rb.Latest.Arn, rb.Latest.Created.UTC().Format(time.RFC3339), rb.Latest.Age.Round(time.Minute), rb.Latest.ResourceArn, rb.Completed)
		}
		printChecks(w, checks[i:i+1])
	}
}
