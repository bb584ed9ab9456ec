package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/stacks"
)

// openAdoptClients returns the AWS clients of the home region and the peer's catalogue; tests
// replace it.
var openAdoptClients = adopt.NewClients

// runImport is the import step (importExisting); tests that stop at the conversion replace it.
var runImport = importExisting

// selectStack selects a stack of the project in dir; found is false when the backend has none
// of that name.
func selectStack(ctx context.Context, dir, stack string) (s auto.Stack, found bool, err error) {
	s, err = auto.SelectStackLocalSource(ctx, stack, dir)
	if auto.IsSelectStack404Error(err) {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("selecting stack %s: %w", stack, err)
	}
	return s, true, nil
}

// stackResources counts the resources a stack holds (0 when the stack does not exist yet);
// tests replace it.
var stackResources = func(ctx context.Context, dir, stack string) (int, error) {
	s, found, err := selectStack(ctx, dir, stack)
	if err != nil || !found {
		return 0, err
	}
	dep, err := s.Export(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the state of %s: %w", stack, err)
	}
	var d struct {
		Resources []struct {
			Type string `json:"type"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return 0, fmt.Errorf("reading the state of %s: %w", stack, err)
	}
	n := 0
	for _, r := range d.Resources {
		if r.Type != "pulumi:pulumi:Stack" && !strings.HasPrefix(r.Type, "pulumi:providers:") {
			n++
		}
	}
	return n, nil
}

// stackExists reports whether the stack exists in the current backend; tests replace it.
var stackExists = func(ctx context.Context, dir, stack string) (bool, error) {
	_, found, err := selectStack(ctx, dir, stack)
	return found, err
}

func newAdopt(g *globals) *cobra.Command {
	var e adopt.Existing
	var check, yes, verify bool
	cmd := &cobra.Command{
		Use:   "adopt",
		Short: "Bring a running single-region service under the two stacks, without downtime",
		Long: "adopt takes a service already running in the home region (built by hand or other tooling) to the\n" +
			"two-stack design. --check reads the named resources, read-only, and lists every blocker with its\n" +
			"source (exit 3 when there is one). Without --check it shows each step and what shareholders would\n" +
			"notice, checks again, and with --yes makes the existing Aurora cluster and ElastiCache replication\n" +
			"group the primaries of a new global cluster and global datastore, turns on bucket versioning, writes\n" +
			"agm-dr:adopted into the home stack's file and imports the resources with `pulumi up`, after a preview\n" +
			"that must replace and delete no data resource. Every step is skipped when already done, so an\n" +
			"interrupted run is finished by running it again. The Osaka bring-up follows: see docs/adopt.md.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if verify {
				dir, err := g.projectDir()
				if err != nil {
					return err
				}
				s, found, err := selectStack(cmd.Context(), dir, config.TokyoStack)
				if err != nil {
					return &exitError{code: exitFailed, err: err}
				}
				if !found {
					return &exitError{code: exitRefused, err: fmt.Errorf("stack %s does not exist in the current backend: nothing to preview", config.TokyoStack)}
				}
				return verifyImport(cmd.Context(), cmd.OutOrStdout(), s)
			}
			return runAdopt(cmd.Context(), cmd.OutOrStdout(), g, e, check, yes)
		},
	}
	f := cmd.Flags()
	f.StringVar(&e.VpcID, "vpc", "", "the existing VPC id (vpc-...)")
	f.StringVar(&e.ClusterID, "cluster", "", "the existing Aurora PostgreSQL DB cluster identifier")
	f.StringVar(&e.ReplicationGroup, "replication-group", "", "the existing ElastiCache replication group id")
	f.StringVar(&e.ECSCluster, "ecs-cluster", "", "the existing ECS cluster name")
	f.StringVar(&e.ECSService, "ecs-service", "", "the existing ECS service name")
	f.StringArrayVar(&e.Queues, "queue", nil, "an existing SQS queue name: the vote queue, then again for its dead-letter queue")
	f.StringVar(&e.MasterPasswordSecret, "master-password-secret", "", "the Secrets Manager secret (name or ARN) that holds the cluster's live master password; needed with --yes (the app's DB_PASSWORD is filled from it; drctl never reads the value)")
	f.StringArrayVar(&e.Buckets, "bucket", nil, "the existing S3 bucket name (the site bucket)")
	f.BoolVar(&check, "check", false, "only read and list the blockers; change nothing")
	f.BoolVar(&yes, "yes", false, "run the conversion steps (without it, adopt only shows and checks them)")
	f.BoolVar(&verify, "verify-import", false, "preview the tokyo stack and refuse a plan that replaces or deletes a data resource (or deletes anything); the resource flags are not needed")
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error {
		if verify {
			return nil
		}
		for _, name := range []string{"vpc", "cluster", "replication-group", "ecs-cluster", "ecs-service"} {
			if !cmd.Flags().Changed(name) {
				return &exitError{code: exitRefused, err: fmt.Errorf("--%s is required", name)}
			}
		}
		return nil
	}
	return cmd
}

func runAdopt(ctx context.Context, w io.Writer, g *globals, e adopt.Existing, check, yes bool) error {
	dir, err := g.projectDir()
	if err != nil {
		return err
	}
	cfg, err := stackConfig(dir)(config.StackFor(config.Tokyo))
	if err != nil {
		return &exitError{code: exitRefused, err: err}
	}
	home := config.StackFor(cfg.HomeRegion)
	if cfg, err = stackConfig(dir)(home); err != nil {
		return &exitError{code: exitRefused, err: err}
	}
	t := adopt.Target{
		HomeRegion: cfg.HomeRegion, PeerRegion: config.Peer(cfg.HomeRegion),
		HomeCidr: cfg.VpcCidrs[cfg.HomeRegion], PeerCidr: cfg.VpcCidrs[config.Peer(cfg.HomeRegion)],
		DBInstanceClass: cfg.Classes.DBInstanceClass, CacheNodeType: cfg.Classes.CacheNodeType,
		GlobalClusterID: stacks.GlobalClusterID(cfg.NamePrefix), CacheGlobalSuffix: stacks.CacheGlobalSuffix(cfg.NamePrefix),
	}
	n, err := stackResources(ctx, dir, home)
	if err != nil {
		return err
	}
	switch {
	case n > 0 && cfg.Adopted == nil:
		return &exitError{code: exitRefused, err: fmt.Errorf("stack %s already has %d resource(s): adopt brings an existing service into an empty stack; nothing was changed", home, n)}
	case n > 0:
		// The import ran (or started) before: the stack file names what it adopts. Finish it.
		fmt.Fprintf(w, "Stack %s already holds %d resource(s) and %s: finishing the adoption.\n", home, n, config.KeyAdopted)
	}
	fmt.Fprintf(w, "Adopting into stack %s (%s); the peer is %s.\n\n", home, t.HomeRegion, t.PeerRegion)
	if !check {
		printSteps(w, adopt.Steps(e, t))
	}
	c, err := openAdoptClients(ctx, t.HomeRegion, t.PeerRegion)
	if err != nil {
		return err
	}
	r, err := adopt.Check(ctx, c, e, t)
	if err != nil {
		return adoptError(err)
	}
	printReport(w, r)
	if len(r.Blockers) > 0 {
		return quiet(exitNotReady)
	}
	if yes && !check {
		if e.MasterPasswordSecret == "" {
			return &exitError{code: exitRefused, err: fmt.Errorf("--master-password-secret is required with --yes: the import keeps the cluster's password, and the app's DB_PASSWORD is filled from that secret; nothing was changed")}
		}
		// drctl never creates a stack (a wrong backend must fail, not start a second copy of a
		// region), and the import needs it: find out before anything changes.
		ok, err := stackExists(ctx, dir, home)
		if err != nil {
			return err
		}
		if !ok {
			return &exitError{code: exitRefused, err: fmt.Errorf("stack %s does not exist in the current backend (PULUMI_BACKEND_URL or `pulumi login`): create it with `pulumi stack init %s` first; nothing was changed", home, home)}
		}
	}
	if check || !yes {
		if !check {
			fmt.Fprintln(w, "\nNothing was changed. Run again with --yes to make the conversion steps.")
		}
		return nil
	}
	fmt.Fprintln(w, "\nConverting:")
	err = adopt.Convert(ctx, c, e, t, func(d adopt.Done) {
		state := "done now"
		if !d.Changed {
			state = "already done"
		}
		fmt.Fprintf(w, "  %-18s %-12s %s\n", d.Step, state, d.Detail)
	})
	if err != nil {
		return adoptError(fmt.Errorf("%w (every step is skipped when done: run the same command again)", err))
	}
	if err := runImport(ctx, w, dir, home, c, e, t); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nAdopted into stack %s. Next (docs/adopt.md): pulumi up -s %s (the bring-up), then pulumi up -s %s again.\n",
		home, config.StackFor(t.PeerRegion), home)
	return nil
}

func adoptError(err error) error {
	var in *adopt.InputError
	if errors.As(err, &in) {
		return &exitError{code: exitRefused, err: err}
	}
	if errors.Is(err, adopt.ErrBlocked) {
		return &exitError{code: exitNotReady, err: err}
	}
	return &exitError{code: exitFailed, err: err}
}

func printSteps(w io.Writer, steps []adopt.Step) {
	fmt.Fprintln(w, "Steps, and what shareholders would notice:")
	for i, s := range steps {
		by := "drctl adopt"
		if s.ByHand {
			by = "by hand"
		}
		fmt.Fprintf(w, "%d. %s (%s)\n   does:   %s\n   impact: %s\n   source: %s\n", i+1, s.Name, by, s.Action, s.Impact, s.Source)
	}
	fmt.Fprintln(w)
}

func printReport(w io.Writer, r adopt.Report) {
	fmt.Fprintln(w, "Read:")
	for _, f := range r.Facts {
		fmt.Fprintf(w, "  %s\n", f)
	}
	if len(r.Blockers) == 0 {
		fmt.Fprintln(w, "No blockers.")
		return
	}
	fmt.Fprintf(w, "%d blocker(s):\n", len(r.Blockers))
	for _, b := range r.Blockers {
		fmt.Fprintf(w, "  - %s: %s\n    fix:    %s\n    source: %s\n", b.Resource, b.Problem, b.Fix, b.Source)
	}
}
