package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// BenchmarkSwitchoverRealStacks times drctl's switchover (a drill there and back, the runbook's
// own code) on the repo's real stacks through the real engine, with ministack as AWS, which
// switches at once: so the leg's RTO here is the tooling's share of the critical path.
//
//	before: every `pulumi up` compiles the program and refreshes every resource (NewLocal)
//	after:  the program compiled once before the run, ups refresh only the switchover
//	        resources, the rest is refreshed after traffic moved (NewLocalWith, as drctl does)
//
// Besides the RTO it reports the parts, each measured on its own on the same stacks: compile
// (a fresh link, as on every up, and drctl's compile-once re-run), program evaluation (a preview with no changes), refresh (all resources vs
// the switchover resources) and the resource operations inside the new primary's up (engine
// events). Run: `make bench-switchover` (one iteration takes a few minutes).
func BenchmarkSwitchoverRealStacks(b *testing.B) {
	e := enginetest.Setup(b)
	bringUp(b, e)
	ctx := context.Background()
	targets := config.Switchover{Mode: config.Planned, RpoBudgetSeconds: 10, TimeoutSeconds: 300, PollSeconds: 1, RtoTargetMinutes: 15}

	drill := func(b *testing.B, ws *runbook.Workspace, refreshAfter bool) {
		deps := runbook.Deps{Stacks: ws, Project: runbook.NewProjectFile(e.Project), RefreshAfter: refreshAfter}
		var rto, ops, leg float64
		for i := 0; i < b.N; i++ {
			rep, err := runbook.Drill(ctx, deps, config.Osaka, config.Planned, true, targets)
			if err != nil {
				b.Fatal(err)
			}
			for _, l := range rep.Legs {
				rto += l.RTO.Seconds
				leg += l.Seconds
				for _, s := range l.Steps {
					if s.Stack == config.StackFor(l.To) {
						for _, op := range s.Ops {
							ops += op.Seconds
						}
					}
				}
			}
		}
		n := float64(2 * b.N)
		b.ReportMetric(rto/n, "rto-s/leg")
		b.ReportMetric(leg/n, "leg-s/leg")
		b.ReportMetric(ops/n, "resource-ops-s/leg")
	}

	// With AGMDR_BENCH_COLD=1 both start from an empty Go build cache, as on an operator's
	// laptop that has not built the program lately.
	cold := os.Getenv("AGMDR_BENCH_COLD") == "1"
	b.Run("before", func(b *testing.B) {
		var env map[string]string
		if cold {
			env = map[string]string{"GOCACHE": b.TempDir()}
		}
		drill(b, runbook.NewLocal(e.Project, env), false)
	})
	b.Run("after", func(b *testing.B) {
		if cold {
			b.Setenv("GOCACHE", b.TempDir())
		}
		bin, took, err := runbook.BuildProgram(ctx, e.Project)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(took.Seconds(), "compile-once-s(before-the-clock)")
		drill(b, runbook.NewLocalWith(e.Project, nil, runbook.LocalOptions{Binary: bin}), true)
	})

	b.Run("parts", func(b *testing.B) {
		bin, _, err := runbook.BuildProgram(ctx, e.Project)
		if err != nil {
			b.Fatal(err)
		}
		all := runbook.NewLocalWith(e.Project, nil, runbook.LocalOptions{Binary: bin, RefreshAll: true})
		for i := 0; i < b.N; i++ {
			// compile as the language host does on every up: a fresh link into a new file
			start := time.Now()
			cmd := exec.Command("go", "build", "-o", filepath.Join(b.TempDir(), "program"), ".")
			cmd.Dir = e.Root
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
			b.ReportMetric(time.Since(start).Seconds(), "compile-per-up-s")

			start = time.Now()
			if _, _, err := runbook.BuildProgram(ctx, e.Project); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "compile-once-rerun-s")

			start = time.Now()
			if _, err := all.Preview(ctx, config.OsakaStack); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "preview-nochange-s")

			start = time.Now()
			if err := all.Refresh(ctx, config.OsakaStack, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "refresh-all-s")
		}
	})
}
