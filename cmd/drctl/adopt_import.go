package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/policy"
)

// previewPlan runs `pulumi preview` on a stack of the project in dir (Automation API, the
// project's own program) and returns every step the engine planned.
func previewPlan(ctx context.Context, dir, stack string) ([]adopt.PlanStep, error) {
	s, err := auto.SelectStackLocalSource(ctx, stack, dir)
	if err != nil {
		return nil, fmt.Errorf("selecting stack %s: %w", stack, err)
	}
	ch := make(chan events.EngineEvent)
	var steps []adopt.PlanStep
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range ch { // the Automation API closes the channel when the preview ends
			if ev.ResourcePreEvent != nil {
				m := ev.ResourcePreEvent.Metadata
				steps = append(steps, adopt.PlanStep{URN: m.URN, Type: m.Type, Op: string(m.Op)})
			}
		}
	}()
	_, err = s.Preview(ctx, optpreview.EventStreams(ch))
	<-done
	if err != nil {
		return nil, fmt.Errorf("pulumi preview -s %s: %w", stack, err)
	}
	return steps, nil
}

// verifyImport previews the stack and refuses a plan that replaces or deletes a data resource
// (policy.DataTypes) or deletes anything: the gate before the import's `pulumi up`.
func verifyImport(ctx context.Context, w io.Writer, dir, stack string) error {
	fmt.Fprintf(w, "Previewing stack %s (the import plan) ...\n", stack)
	steps, err := previewPlan(ctx, dir, stack)
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	n := adopt.CountOps(steps)
	ops := make([]string, 0, len(n))
	for op := range n {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		fmt.Fprintf(w, "  %-20s %d\n", op, n[op])
	}
	if err := adopt.RefuseDataChanges(steps, func(typ string) bool { return policy.DataTypes[typ] }); err != nil {
		return &exitError{code: exitNotReady, err: err}
	}
	fmt.Fprintln(w, "The plan replaces and deletes no data resource and deletes nothing: run `pulumi up` on it.")
	return nil
}
