package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/fakeaws"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/simulate"
	"github.com/agm-dr/agm-dr/stacks"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// The operators' real path, end to end: the repo's own program and stacks (Pulumi.yaml, stack
// files) through the real Pulumi engine with the recording fake aws plugin, the agmdr plugin
// against ministack (RDS) and the ElastiCache fake, driven by drctl itself (Automation API,
// NewLocal). Assertions come from what the fake aws plugin was asked (its records), what the
// AWS endpoints were asked (the proxy) and the emulators' state, checked against
// stacks.FlipAllowed, not a list of resources kept here.

// bringUp deploys both stacks in the README's order: tokyo (home: the global resources), osaka
// (joins them), tokyo again (replication to Osaka's bucket, which now exists).
func bringUp(t testing.TB, e *enginetest.Env) {
	t.Helper()
	out := e.Pulumi(t, "preview", "-s", "tokyo")
	require.Contains(t, out, "to create")
	for _, s := range []string{"tokyo", "osaka", "tokyo"} {
		e.Pulumi(t, "up", "--yes", "--skip-preview", "-s", s)
	}
}

// runDrctl runs the command in-process on the test project and returns its output and the report
// it wrote.
func runDrctl(ctx context.Context, t *testing.T, e *enginetest.Env, args ...string) (string, report.Report, error) {
	t.Helper()
	reports := t.TempDir()
	var out bytes.Buffer
	root := newRoot()
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetIn(strings.NewReader(""))
	root.SetArgs(append([]string{"--dir", e.Project}, append(args, "--yes", "--reports", reports)...))
	err := root.ExecuteContext(ctx)
	var rep report.Report
	files, _ := filepath.Glob(filepath.Join(reports, "*.json"))
	if len(files) == 1 {
		b, rerr := os.ReadFile(files[0])
		require.NoError(t, rerr)
		require.NoError(t, json.Unmarshal(b, &rep))
	}
	if testing.Verbose() {
		t.Logf("drctl %s:\n%s", strings.Join(args, " "), out.String())
	}
	return out.String(), rep, err
}

// checkFlipContract asserts that the engine changed only what stacks.FlipAllowed allows, as
// updates, and never asked for a replacement, a create or a delete.
func checkFlipContract(t *testing.T, recs []fakeaws.Record) (updates int) {
	t.Helper()
	for _, r := range recs {
		switch r.Op {
		case "create", "delete":
			assert.Failf(t, "the flip created or deleted a resource", "%s %s (%s)", r.Op, r.URN, r.Type)
		case "diff":
			assert.Empty(t, r.Replaces, "%s: the flip would replace it", r.URN)
			allowed := stacks.FlipAllowed[r.Type]
			for _, p := range r.Changed {
				assert.Contains(t, allowed, p, "%s (%s): input %q is not one the flip contract allows", r.URN, r.Type, p)
			}
		case "update":
			if !r.Preview {
				updates++
			}
			assert.Contains(t, stacks.FlipAllowed, r.Type, "%s updated, but the flip contract allows no change of %s", r.URN, r.Type)
		}
	}
	return updates
}

// checkReport asserts the report's resource operations are what the engine did: every update
// the fake aws plugin performed appears in the step of its stack, and the report shows no
// operation the fake did not see (switchover resources run in the agmdr plugin, not the fake).
func checkReport(t *testing.T, rep report.Report, recs []fakeaws.Record) {
	t.Helper()
	done := map[string]int{} // stack/name/type → updates done by the fake
	for _, r := range recs {
		if r.Op == "update" && !r.Preview {
			done[r.Stack()+"/"+r.Name()+"/"+r.Type]++
		}
	}
	seen := map[string]int{}
	for _, leg := range rep.Legs {
		for _, s := range leg.Steps {
			for _, op := range s.Ops {
				assert.NotContains(t, []string{"create", "delete", "replace", "create-replacement", "delete-replaced"}, op.Op, "report: %s %s", op.Op, op.Resource)
				if strings.HasPrefix(op.Type, "aws:") {
					seen[s.Stack+"/"+op.Resource+"/"+op.Type]++
				}
			}
		}
	}
	assert.Equal(t, done, seen, "the report's aws operations must be exactly the updates the engine made")
}

func writerRegion(t *testing.T, e *enginetest.Env) string {
	t.Helper()
	arn := switchovertest.WriterArn(t, switchovertest.EmulatorRDS(t, config.Osaka), e.Prefix+"-global")
	for _, r := range []string{config.Tokyo, config.Osaka} {
		if strings.Contains(arn, ":"+r+":") {
			return r
		}
	}
	return arn
}

func TestDrctlOnTheRealStacks(t *testing.T) {
	e := enginetest.Setup(t)
	start := time.Now()
	bringUp(t, e)
	t.Logf("bring-up (preview + 3 ups): %s", time.Since(start).Round(time.Second))
	cacheID := fakeaws.GlobalDatastorePrefix + e.Prefix + "-sessions"
	require.Equal(t, config.Tokyo, writerRegion(t, e))
	require.Equal(t, config.Tokyo, e.Cache.PrimaryRegion(cacheID))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	// The guardrails as a policy pack in the real engine: both deployed stacks pass. (The
	// broken-program case is policypack's TestPolicyPackRefusesABrokenProgram.)
	t.Run("policy pack passes on both stacks", func(t *testing.T) {
		for _, s := range []string{"tokyo", "osaka"} {
			out := e.Pulumi(t, "preview", "-s", s, "--policy-pack", filepath.Join(e.Root, "policypack"))
			assert.Contains(t, out, "agm-dr-guardrails", "%s: the pack ran", s)
			assert.NotContains(t, out, "[mandatory]", "%s: a mandatory rule failed", s)
		}
	})

	t.Run("drill there and back", func(t *testing.T) {
		// Watched by the probe in a local two-region world whose write pause is three times
		// the calibrated one (the drill there and back then takes about a minute, not three).
		require.NoError(t, os.WriteFile(filepath.Join(e.Project, simulate.CalibrationFile),
			[]byte(`{"params":{"AuroraWritePause":{"seconds":1,"report":"an-earlier-drill.json"}}}`), 0o644))
		world := newEmulatedWorld(t, e, "agm.example.jp", 3*time.Second)
		mark, awsMark, cacheMark := e.Mark(t), len(e.AWS.Calls()), len(e.Cache.Calls())
		out, rep, err := runDrctl(ctx, t, e, append([]string{"drill", "--to", config.Osaka, "--and-back"}, world.args()...)...)
		require.NoError(t, err, out)
		checkObserved(t, rep, world)
		recs := e.RecordsSince(t, mark)
		assert.Positive(t, checkFlipContract(t, recs))
		checkReport(t, rep, recs)
		require.Len(t, rep.Legs, 2)
		// Each leg's report shows the writer and cache primary moving in the new primary's up,
		// and AWS was asked exactly that, from that region.
		var switched, failedOver []string
		for _, c := range e.AWS.Calls()[awsMark:] {
			if c.Action == "SwitchoverGlobalCluster" || c.Action == "FailoverGlobalCluster" {
				switched = append(switched, c.Region)
			}
		}
		for _, c := range e.Cache.Calls()[cacheMark:] {
			if c.Action == "FailoverGlobalReplicationGroup" {
				failedOver = append(failedOver, c.Region)
			}
		}
		var legsTo []string
		for _, leg := range rep.Legs {
			assert.Equal(t, report.OK, leg.Result)
			legsTo = append(legsTo, leg.To)
			kinds := map[string]bool{}
			for _, s := range leg.Steps {
				for _, op := range s.Ops {
					if op.Op == "update" && s.Stack == config.StackFor(leg.To) {
						kinds[op.Type] = true
					}
				}
			}
			assert.True(t, kinds["agmdr:index:AuroraWriter"] && kinds["agmdr:index:CachePrimary"],
				"leg to %s: the report shows the writer and cache primary updated in %s: %v", leg.To, config.StackFor(leg.To), kinds)
		}
		assert.Equal(t, legsTo, switched, "one Aurora switchover per leg, requested in the new primary's region")
		assert.Equal(t, legsTo, failedOver, "one cache failover per leg, requested in the new primary's region")
		assert.Equal(t, config.Tokyo, writerRegion(t, e), "back in tokyo")
		assert.Equal(t, config.Tokyo, e.Cache.PrimaryRegion(cacheID))
	})

	t.Run("planned switchover, then a third up changes nothing", func(t *testing.T) {
		mark := e.Mark(t)
		out, rep, err := runDrctl(ctx, t, e, "switchover", "--to", config.Osaka, "--no-probe")
		require.NoError(t, err, out)
		recs := e.RecordsSince(t, mark)
		assert.Positive(t, checkFlipContract(t, recs))
		checkReport(t, rep, recs)
		assert.Equal(t, config.Osaka, writerRegion(t, e))
		assert.Equal(t, config.Osaka, e.Cache.PrimaryRegion(cacheID))
		osakaFloor, ok := e.Scaling.Floor(config.Osaka, "service/app/app")
		require.True(t, ok, "osaka's task floor is registered")
		tokyoFloor, _ := e.Scaling.Floor(config.Tokyo, "service/app/app")
		assert.Greater(t, osakaFloor, tokyoFloor, "the new primary runs the higher task floor")

		mark = e.Mark(t)
		for _, s := range []string{"osaka", "tokyo"} {
			e.Pulumi(t, "up", "--yes", "--expect-no-changes", "-s", s)
		}
		for _, r := range e.RecordsSince(t, mark) {
			assert.NotContains(t, []string{"create", "update", "delete"}, r.Op, "third up: %s %s", r.Op, r.URN)
			assert.Empty(t, r.Changed, "third up: %s differs", r.URN)
		}
	})

	t.Run("interrupted switchover, resumed", func(t *testing.T) {
		mark := e.Mark(t)
		runCtx, stop := context.WithCancel(ctx)
		go func() { // interrupt once the new primary's (tokyo's) up has started changing things
			defer stop()
			for runCtx.Err() == nil {
				for _, r := range e.RecordsSince(t, mark) {
					if r.Op == "update" && r.Stack() == config.TokyoStack {
						return
					}
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
		out, rep, err := runDrctl(runCtx, t, e, "switchover", "--to", config.Tokyo, "--skip-check", "--no-probe")
		stop()
		require.Error(t, err, out)
		require.NotEmpty(t, rep.Legs)
		assert.NotEqual(t, report.OK, rep.Result)

		out, rep, err = runDrctl(ctx, t, e, "switchover", "--to", config.Tokyo, "--no-probe")
		require.NoError(t, err, out)
		assert.Contains(t, out, "resuming")
		assert.Equal(t, report.OK, rep.Result)
		checkFlipContract(t, e.RecordsSince(t, mark))
		assert.Equal(t, config.Tokyo, writerRegion(t, e))
		assert.Equal(t, config.Tokyo, e.Cache.PrimaryRegion(cacheID))
	})

	t.Run("unplanned failover with tokyo down", func(t *testing.T) {
		e.AWS.SetDown(config.Tokyo, true)
		e.Cache.SetDown(config.Tokyo, true)
		e.Scaling.SetDown(config.Tokyo, true)
		e.Backups.SetDown(config.Tokyo, true)
		defer e.Backups.SetDown(config.Tokyo, false)
		defer e.AWS.SetDown(config.Tokyo, false)
		defer e.Cache.SetDown(config.Tokyo, false)
		defer e.Scaling.SetDown(config.Tokyo, false)
		mark, awsMark, cacheMark, scalingMark := e.Mark(t), len(e.AWS.Calls()), len(e.Cache.Calls()), len(e.Scaling.Calls())
		backupMark := len(e.Backups.Calls())
		out, rep, err := runDrctl(ctx, t, e, "switchover", "--to", config.Osaka, "--mode", "unplanned", "--no-probe")
		require.NoError(t, err, out)
		assert.Equal(t, report.OK, rep.Result)
		recs := e.RecordsSince(t, mark)
		checkFlipContract(t, recs)
		for _, r := range recs {
			assert.NotEqual(t, config.Tokyo, r.Region, "unplanned: %s %s sent to tokyo", r.Op, r.URN)
			assert.NotEqual(t, config.TokyoStack, r.Stack(), "unplanned: the tokyo stack was run (%s %s)", r.Op, r.URN)
		}
		var failover []string
		for _, c := range e.AWS.Calls()[awsMark:] {
			assert.NotEqual(t, config.Tokyo, c.Region, "unplanned: %s %s sent to tokyo", c.Service, c.Action)
			if c.Action == "FailoverGlobalCluster" {
				failover = append(failover, c.Region)
			}
		}
		assert.Equal(t, []string{config.Osaka}, failover, "the failover was requested, from osaka only")
		for _, c := range e.Cache.Calls()[cacheMark:] {
			assert.NotEqual(t, config.Tokyo, c.Region, "unplanned: elasticache %s sent to tokyo", c.Action)
		}
		for _, c := range e.Scaling.Calls()[scalingMark:] {
			assert.NotEqual(t, config.Tokyo, c.Region, "unplanned: application-autoscaling %s sent to tokyo", c.Action)
		}
		backupCalls := e.Backups.Calls()[backupMark:]
		assert.NotEmpty(t, backupCalls, "the readiness check read osaka's recovery points")
		for _, c := range backupCalls {
			assert.NotEqual(t, config.Tokyo, c.Region, "unplanned: backup %s sent to tokyo", c.Action)
		}
		assert.Equal(t, config.Osaka, writerRegion(t, e))
		assert.Equal(t, config.Osaka, e.Cache.PrimaryRegion(cacheID))
	})
}

// The fake answers as the pulumi-aws version the program's SDK asks for, so the engine loads
// it as that plugin (default provider default_6_83_4) and nothing else.
func TestFakeAWSVersionMatchesTheSDK(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "github.com/pulumi/pulumi-aws/sdk/v6 v"+fakeaws.Version+"\n")
}
