package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// projectDir is --dir, or the nearest directory upwards holding Pulumi.yaml, once its files have
// been checked: a YAML syntax error, or a stack file that sets primaryRegion or homeRegion, is
// refused before anything runs.
func (g *globals) projectDir() (string, error) {
	dir, err := g.findProject()
	if err != nil {
		return "", err
	}
	if err := config.CheckFiles(dir); err != nil {
		return "", &exitError{code: exitRefused, err: fmt.Errorf("refused, nothing was run: %w", err)}
	}
	return dir, nil
}

// findProject is --dir, or the nearest directory upwards holding Pulumi.yaml.
func (g *globals) findProject() (string, error) {
	if g.dir != "" {
		if _, err := os.Stat(filepath.Join(g.dir, "Pulumi.yaml")); err != nil {
			return "", &exitError{code: exitRefused, err: fmt.Errorf("--dir %s: no Pulumi.yaml there", g.dir)}
		}
		return g.dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the project: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Pulumi.yaml")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", &exitError{code: exitRefused, err: fmt.Errorf("no Pulumi.yaml in %s or above: run drctl inside the agm-dr repo or pass --dir", wd)}
		}
	}
}

// openStacks opens the project's stacks; tests replace it with a fake.
var openStacks = func(dir string) runbook.Stacks { return runbook.NewLocal(dir, nil) }

// openForRun opens the stacks for the commands that run the engine on them (check, switchover,
// drill): it compiles the program once, here, and every preview and up of the run uses that
// binary, so no compile happens inside the switchover. Tests replace it with a fake.
var openForRun = func(ctx context.Context, out io.Writer, dir string) (runbook.Stacks, error) {
	if err := needTools(true); err != nil {
		return nil, err
	}
	fmt.Fprintln(out, "Compiling the program once (every pulumi preview/up of this run uses it) ...")
	bin, took, err := runbook.BuildProgram(ctx, dir)
	if err != nil {
		return nil, &exitError{code: exitNotReady, err: fmt.Errorf("the program does not compile; nothing was changed\n  fix: run `go build .` in %s and fix what it reports\n  %w", dir, err)}
	}
	fmt.Fprintf(out, "Compiled in %s: %s\n", took.Round(100*time.Millisecond), bin)
	return runbook.NewLocalWith(dir, nil, runbook.LocalOptions{Binary: bin}), nil
}

// stackConfig parses a stack's config from the project files, as `pulumi up` would pass it.
func stackConfig(dir string) func(string) (config.Config, error) {
	return func(stack string) (config.Config, error) {
		raw, err := capture.ProjectConfig(dir, stack)
		if err != nil {
			return config.Config{}, err
		}
		return config.Parse(stack, raw)
	}
}

// readDeps are the real stacks (Automation API over the project dir), the backend the Pulumi
// CLI is logged in to, and AWS. Tests replace it.
var readDeps = func(dir string, ws runbook.Stacks) runbook.ReadDeps {
	return runbook.ReadDeps{
		Stacks:   ws,
		Config:   stackConfig(dir),
		AWS:      runbook.NewAWS,
		Backend:  runbook.WhoAmI(dir, nil),
		Backups:  openBackups,
		Peerings: runbook.NewPeeringAPI,
	}
}

// lagReader reads the Aurora replication lag of a region's cluster (its id from that stack's
// outputs) in that region only.
func lagReader(ws runbook.Stacks) func(context.Context, string) (time.Duration, bool, error) {
	return func(ctx context.Context, region string) (time.Duration, bool, error) {
		outs, err := ws.Outputs(ctx, config.StackFor(region))
		if err != nil {
			return 0, false, err
		}
		id, _ := outs[runbook.OutAuroraCluster].(string)
		if id == "" {
			return 0, false, nil
		}
		r, err := runbook.NewAWS(ctx, region)
		if err != nil {
			return 0, false, err
		}
		return r.ReplicationLag(ctx, id)
	}
}

func parseMode(s string) (config.Mode, error) {
	switch config.Mode(s) {
	case config.Planned, config.Unplanned:
		return config.Mode(s), nil
	}
	return "", &exitError{code: exitRefused, err: fmt.Errorf("--mode %q: allowed: %s (both regions healthy, RPO 0), %s (old primary region down, data loss allowed)",
		s, config.Planned, config.Unplanned)}
}

// target is what --to and --mode name, and the project directory they apply to.
type target struct {
	region string
	mode   config.Mode
	dir    string
}

// target validates --to and --mode and finds the project, for every command that takes them.
func (g *globals) target(to, mode string) (target, error) {
	region, err := resolveRegion(to)
	if err != nil {
		return target{}, err
	}
	m, err := parseMode(mode)
	if err != nil {
		return target{}, err
	}
	dir, err := g.projectDir()
	if err != nil {
		return target{}, err
	}
	return target{region: region, mode: m, dir: dir}, nil
}

// resolveRegion accepts a region or a stack name for --to.
func resolveRegion(to string) (string, error) {
	if r := config.RegionFor(to); r != "" {
		return r, nil
	}
	if config.StackFor(to) == "" {
		return "", &exitError{code: exitRefused, err: fmt.Errorf("--to %q: allowed: %s (%s), %s (%s)", to, config.Tokyo, config.TokyoStack, config.Osaka, config.OsakaStack)}
	}
	return to, nil
}
