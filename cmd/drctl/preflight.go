package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// lookPath finds a tool; tests replace it.
var lookPath = exec.LookPath

// needTools checks the tools a command runs, before anything is compiled or asked of the Pulumi
// CLI: the pulumi CLI and, when the program is compiled, the Go toolchain.
func needTools(compile bool) error {
	var missing []string
	if _, err := lookPath("pulumi"); err != nil {
		missing = append(missing, "the Pulumi CLI (`pulumi`)")
	}
	if _, err := lookPath("go"); compile && err != nil {
		missing = append(missing, "the Go toolchain (`go`, to compile the program once)")
	}
	if len(missing) == 0 {
		return nil
	}
	return &exitError{code: exitNotReady, err: fmt.Errorf("%s not found on PATH; nothing was run or changed\n"+
		"  fix: install the Pulumi CLI v3.259.0 (https://www.pulumi.com/docs/iac/download-install/) and Go, put them on PATH, then re-run "+
		"(`drctl plan` needs neither)", strings.Join(missing, " and "))}
}

// preflight checks, before anything changes, everything a switchover needs whatever the
// readiness check says: the stacks in the backend the CLI is logged in to, that backend, and AWS
// credentials for the regions the run touches. It returns where the switchover stands, read
// from the stacks and AWS.
func preflight(ctx context.Context, out io.Writer, d runbook.ReadDeps, to string, mode config.Mode) (runbook.Flip, error) {
	scope := []string{config.StackFor(to)}
	regions := []string{to}
	if mode == config.Planned {
		scope = append(scope, config.StackFor(config.Peer(to)))
		regions = append(regions, config.Peer(to))
	}
	var problems []string
	backend, err := "", fmt.Errorf("no way to ask the Pulumi CLI")
	if d.Backend != nil {
		backend, err = d.Backend(ctx)
	}
	if err != nil {
		problems = append(problems, "the Pulumi CLI could not say which backend it is logged in to: "+firstLine(err)+
			"\n    fix: `pulumi login <backend>` until `pulumi whoami --verbose` answers")
	}
	for _, s := range scope {
		if _, err := d.Stacks.Outputs(ctx, s); err != nil {
			problems = append(problems, fmt.Sprintf("stack %s could not be read from backend %s: %s", s, or(backend, "?"), firstLine(err))+
				"\n    fix: log in to the project's backend (`pulumi login <url>`, or set PULUMI_BACKEND_URL) and check `pulumi stack ls` lists "+s)
		}
	}
	for _, r := range regions {
		if err := runbook.Credentials(ctx, r); err != nil {
			problems = append(problems, fmt.Sprintf("AWS in %s: %s", r, firstLine(err))+
				"\n    fix: set AWS credentials for the account (AWS_PROFILE or the standard variables)")
		}
	}
	if len(problems) > 0 {
		return runbook.Flip{}, &exitError{code: exitNotReady, err: fmt.Errorf("preflight refused, nothing was changed:\n  - %s", strings.Join(problems, "\n  - "))}
	}
	f := runbook.ReadFlip(ctx, d, to, mode)
	fmt.Fprintf(out, "Preflight passed (backend %s). Where the switchover to %s stands:\n", backend, to)
	for _, s := range f.State() {
		fmt.Fprintf(out, "  %s\n", s)
	}
	return f, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
