// Command drctl is the operators' switchover runbook as one command: status, readiness check,
// offline plan, the ordered multi-stack switchover and a timed drill with a report.
//
//	drctl plan --to ap-northeast-3          # offline: what the switchover changes, step by step
//	drctl check --to ap-northeast-3         # read-only readiness, exit 0 only when ready
//	drctl switchover --to ap-northeast-3    # the switchover (confirms first)
//	drctl drill --to ap-northeast-3 --and-back
//	drctl status
//	drctl backups                           # latest Aurora recovery point per region and its age
//	drctl cost --profile dev --sleeping    # offline: monthly cost estimate per stack
//	drctl dev sleep | drctl dev wake       # dev only: the drill environment off between drills
//	drctl adopt --check --cluster ...      # read-only: what stops adopting a running service
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return
	}
	code := exitFailed
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(os.Stderr, "drctl:", msg)
	}
	os.Exit(code)
}

// globals are the flags every command shares.
type globals struct {
	dir string // the project directory (holds Pulumi.yaml)
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "drctl",
		Short: "The Tokyo/Osaka switchover runbook as code",
		Long: "drctl runs the switchover of the agm-dr project between its two stacks, tokyo (ap-northeast-1)\n" +
			"and osaka (ap-northeast-3), in the right order, checks readiness first and writes a timed report.\n" +
			"Start with `drctl plan --to ap-northeast-3`: it needs no AWS account and no Pulumi CLI.\n\n" +
			"Exit codes, the same for every command:\n" +
			"  0  ok: done, or ready\n" +
			"  1  failed while changing a stack or AWS (the output says where it stands and the command forward or back)\n" +
			"  2  refused by input: bad flags, invalid config, a stack file setting primaryRegion or homeRegion,\n" +
			"     a YAML syntax error, not confirmed; nothing was changed\n" +
			"  3  not ready: a preflight or readiness check refused (tools, stacks, backend, credentials); nothing was changed\n" +
			"  4  simulate: a bound on what shareholders see broke\n" +
			"  5  simulate: the simulated switchover did not complete",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.dir, "dir", "", "project directory holding Pulumi.yaml (default: found from the current directory upwards)")
	root.AddCommand(newPlan(g), newCheck(g), newStatus(g), newSwitchover(g), newDrill(g), newSimulate(g))
	root.AddCommand(newBackups(g))
	root.AddCommand(newCost(g), newDev(g))
	root.AddCommand(newAdopt(g))
	return root
}
