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

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/fakeaws"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/simulate"
	"github.com/agm-dr/agm-dr/stacks"
	"github.com/agm-dr/agm-dr/switchover"
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

// refreshThenNothing refreshes both stacks (the fake reads back what the world holds now: the
// datastore's new primary, each group's reported key and engine) and then expects an up of
// each to change nothing: no read-back after a switchover may plan a change, let alone replace
// a protected group.
func refreshThenNothing(t *testing.T, e *enginetest.Env) {
	t.Helper()
	for _, s := range []string{"osaka", "tokyo"} {
		e.Pulumi(t, "refresh", "--yes", "--skip-preview", "-s", s)
	}
	mark := e.Mark(t)
	for _, s := range []string{"osaka", "tokyo"} {
		e.Pulumi(t, "up", "--yes", "--expect-no-changes", "-s", s)
	}
	for _, r := range e.RecordsSince(t, mark) {
		assert.NotContains(t, []string{"create", "update", "delete"}, r.Op, "third up: %s %s", r.Op, r.URN)
		assert.Empty(t, r.Changed, "third up: %s differs", r.URN)
	}
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

// loadedTasks is Tokyo's desired count before the planned switchover: above primaryTasks (6).
const loadedTasks = 9

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

	// The fake diffs state against config as the bridged provider does, so the drift the
	// secondary's engine ignore guards against shows: without it, the second plan of osaka
	// replaces the (protected) group, engine valkey (read back) → redis (provider default).
	t.Run("without the engine ignore the fake plans the secondary's replacement", func(t *testing.T) {
		variant := filepath.Join(t.TempDir(), "noengineignore")
		enginetest.Build(t, e.Root, variant, "./tests/enginetest/noengineignore")
		prog := e.Binary
		e.Binary = variant
		defer func() { e.Binary = prog }()
		mark := e.Mark(t)
		out, _ := e.Try("preview", "-s", "osaka")
		var replaces []string
		for _, r := range e.RecordsSince(t, mark) {
			if r.Op == "diff" && r.Type == "aws:elasticache/replicationGroup:ReplicationGroup" && r.Stack() == config.OsakaStack {
				replaces = append(replaces, r.Replaces...)
			}
		}
		assert.Equal(t, []string{"engine"}, replaces, "the fake plans replacing osaka's group on engine:\n%s", out)
	})

	// The guardrails as a policy pack in the real engine: both deployed stacks pass. (The
	// broken-program case is policypack's TestPolicyPackRefusesABrokenProgram.)
	t.Run("policy pack passes on both stacks", func(t *testing.T) {
		for _, s := range []string{"tokyo", "osaka"} {
			out := e.Pulumi(t, "preview", "-s", s, "--policy-pack", filepath.Join(e.Root, "policypack"))
			assert.Contains(t, out, "agm-dr-guardrails", "%s: the pack ran", s)
			assert.NotContains(t, out, "[mandatory]", "%s: a mandatory rule failed", s)
		}
	})

	// The program itself refuses a stack file that sets primaryRegion, so a plain `pulumi preview`
	// or `up` by hand is refused too, naming the file, the line and the key.
	t.Run("the program refuses primaryRegion in a stack file", func(t *testing.T) {
		path := filepath.Join(e.Project, "Pulumi.osaka.yaml")
		orig := readFile(t, path)
		require.Contains(t, orig, "config:\n")
		require.NoError(t, os.WriteFile(path, []byte(strings.Replace(orig, "config:\n", "config:\n  agm-dr:primaryRegion: ap-northeast-3\n", 1)), 0o644))
		defer func() { require.NoError(t, os.WriteFile(path, []byte(orig), 0o644)) }()
		out, err := e.Try("preview", "-s", "osaka")
		require.Error(t, err, out)
		assert.Regexp(t, `Pulumi\.osaka\.yaml line \d+ \(key agm-dr:primaryRegion\)`, out)
	})

	// Preflight, before anything changes: without the CLI, or logged in to a backend that does not
	// hold the stacks, a switchover (even with --skip-check) leaves Pulumi.yaml as it was, runs no
	// up, exits 3 and writes a refusal report.
	t.Run("preflight refuses before any change", func(t *testing.T) {
		path := filepath.Join(e.Project, "Pulumi.yaml")
		before := readFile(t, path)
		for name, env := range map[string][2]string{
			"no pulumi CLI":                  {"PATH", withoutCLI(t, os.Getenv("PATH"))},
			"a backend without these stacks": {"PULUMI_BACKEND_URL", "file://" + t.TempDir()},
		} {
			t.Run(name, func(t *testing.T) {
				t.Setenv(env[0], env[1])
				mark := e.Mark(t)
				out, rep, err := runDrctl(ctx, t, e, "switchover", "--to", config.Osaka, "--skip-check", "--no-probe")
				require.Error(t, err, out)
				assert.Equal(t, exitNotReady, exitCode(err), "%v\n%s", err, out)
				assert.Contains(t, err.Error(), "fix:", "the refusal says how to fix it")
				assert.Equal(t, before, readFile(t, path), "Pulumi.yaml is as it was")
				assert.Empty(t, e.RecordsSince(t, mark), "the engine ran nothing")
				assert.Equal(t, report.Refused, rep.Result, "the refusal is a report")
			})
		}
	})

	// Pulumi.yaml edited by hand to the target is not a switchover under way: the readiness check
	// runs in full (here it refuses: Tokyo's AWS does not answer, so its queue cannot be drained).
	t.Run("hand-edited Pulumi.yaml still runs the readiness check", func(t *testing.T) {
		path := filepath.Join(e.Project, "Pulumi.yaml")
		orig := readFile(t, path)
		edited := strings.Replace(orig, "value: "+config.Tokyo, "value: "+config.Osaka, 1)
		require.NotEqual(t, orig, edited)
		require.NoError(t, os.WriteFile(path, []byte(edited), 0o644))
		defer func() { require.NoError(t, os.WriteFile(path, []byte(orig), 0o644)) }()
		e.AWS.SetDown(config.Tokyo, true)
		defer e.AWS.SetDown(config.Tokyo, false)
		mark := e.Mark(t)
		out, rep, err := runDrctl(ctx, t, e, "switchover", "--to", config.Osaka, "--no-probe")
		require.Error(t, err, out)
		assert.Equal(t, exitNotReady, exitCode(err), "%v\n%s", err, out)
		assert.Contains(t, out, "edited by hand?")
		assert.Contains(t, out, "Readiness check (planned switchover to ap-northeast-3)")
		assert.Contains(t, out, "FAIL  old primary's queue draining (tokyo)")
		for _, r := range e.RecordsSince(t, mark) {
			assert.True(t, r.Preview || (r.Op != "update" && r.Op != "create" && r.Op != "delete"), "nothing deployed: %s %s", r.Op, r.URN)
		}
		assert.Equal(t, edited, readFile(t, path), "Pulumi.yaml left as the operator wrote it")
		assert.Equal(t, report.Refused, rep.Result)
		assert.Equal(t, config.Tokyo, writerRegion(t, e))
	})

	t.Run("drill there and back", func(t *testing.T) {
		// Watched by the probe in a local two-region world whose write pause is three times
		// the calibrated one (the drill there and back then takes about a minute, not three).
		require.NoError(t, os.WriteFile(filepath.Join(e.Project, simulate.CalibrationFile),
			[]byte(`{"params":{"AuroraWritePause":{"seconds":1,"report":"an-earlier-drill.json"}}}`), 0o644))
		world := newEmulatedWorld(t, e, enginetest.Domain, 3*time.Second)
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
		// Tokyo has autoscaled above primaryTasks: the new primary's floor follows it.
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(config.Tokyo))
		require.NoError(t, err)
		_, err = ecs.NewFromConfig(cfg).UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("app"),
			Service: aws.String("app"), DesiredCount: aws.Int32(loadedTasks)})
		require.NoError(t, err)
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
		assert.Equal(t, int32(loadedTasks), osakaFloor, "the new primary's floor follows the old primary's desired count")
		_, ok = e.Scaling.ScheduledAction(config.Osaka, "service/app/app", switchover.ReleaseActionName)
		assert.True(t, ok, "the raised floor is handed back to autoscaling by a scheduled action")
		assert.NotEmpty(t, e.ELB.Calls(), "the gate counted healthy targets")

		refreshThenNothing(t, e)
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
		assert.Equal(t, exitFailed, exitCode(err))
		// After the first up, a failure prints the exact state and the commands forward and back.
		assert.Contains(t, out, "Where the switchover stands now:")
		assert.Contains(t, out, "Pulumi.yaml primaryRegion: "+config.Tokyo)
		assert.Contains(t, out, "Forward: `drctl switchover --to "+config.Tokyo+" --mode planned`")
		assert.Contains(t, out, "Back:    `drctl switchover --to "+config.Osaka+" --mode planned`")

		// The resumed run still runs the readiness check (it used to skip it on the word of
		// Pulumi.yaml).
		out, rep, err = runDrctl(ctx, t, e, "switchover", "--to", config.Tokyo, "--no-probe")
		require.NoError(t, err, out)
		assert.Contains(t, out, "Readiness check (planned switchover to "+config.Tokyo+")")
		assert.Contains(t, out, "resuming")
		assert.Equal(t, report.OK, rep.Result)
		checkFlipContract(t, e.RecordsSince(t, mark))
		assert.Equal(t, config.Tokyo, writerRegion(t, e))
		assert.Equal(t, config.Tokyo, e.Cache.PrimaryRegion(cacheID))
		refreshThenNothing(t, e) // and back: the same after returning home
	})

	// Tokyo is down, and so is Route 53's control plane (us-east-1): every Route 53 call of the
	// agmdr plugin is refused at the AWS endpoint, every Route 53 lookup, read or change of the
	// aws plugin by the fake. Aurora and the cache move, the up succeeds and says what to run once
	// the control plane is back; traffic moves by health-check status alone.
	t.Run("unplanned failover with tokyo and Route 53's control plane down", func(t *testing.T) {
		e.AWS.SetServiceDown("route53", true)
		defer e.AWS.SetServiceDown("route53", false)
		t.Setenv(fakeaws.Route53DownEnv, "1")
		e.AWS.SetDown(config.Tokyo, true)
		e.Cache.SetDown(config.Tokyo, true)
		e.Scaling.SetDown(config.Tokyo, true)
		e.Backups.SetDown(config.Tokyo, true)
		defer e.Backups.SetDown(config.Tokyo, false)
		defer e.AWS.SetDown(config.Tokyo, false)
		defer e.Cache.SetDown(config.Tokyo, false)
		defer e.Scaling.SetDown(config.Tokyo, false)
		mark, awsMark, cacheMark, scalingMark := e.Mark(t), len(e.AWS.Calls()), len(e.Cache.Calls()), len(e.Scaling.Calls())
		backupMark, elbMark := len(e.Backups.Calls()), len(e.ELB.Calls())
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
		for _, c := range e.ELB.Calls()[elbMark:] {
			assert.NotEqual(t, config.Tokyo, c.Region, "unplanned: elasticloadbalancing %s sent to tokyo", c.Action)
		}
		backupCalls := e.Backups.Calls()[backupMark:]
		assert.NotEmpty(t, backupCalls, "the readiness check read osaka's recovery points")
		for _, c := range backupCalls {
			assert.NotEqual(t, config.Tokyo, c.Region, "unplanned: backup %s sent to tokyo", c.Action)
		}
		assert.Equal(t, config.Osaka, writerRegion(t, e))
		assert.Equal(t, config.Osaka, e.Cache.PrimaryRegion(cacheID))

		// No Route 53 control-plane call went through: the program looked nothing up, and the
		// agmdr plugin's attempts were all refused.
		r53 := 0
		for _, c := range e.AWS.Calls()[awsMark:] {
			if c.Service == "route53" {
				r53++
			}
		}
		assert.Positive(t, r53, "the traffic step tried the control plane (and was refused)")
		for _, r := range recs {
			assert.False(t, strings.HasPrefix(r.Token, "aws:route53/"), "the program called %s", r.Token)
			if strings.HasPrefix(r.Type, "aws:route53/") {
				assert.NotContains(t, []string{"create", "update", "delete"}, r.Op, "%s %s needs the control plane", r.Op, r.URN)
			}
		}
		assert.Contains(t, out, "pulumi up --yes -s osaka", "the exact next step, for when the control plane is back")
		down := map[string]bool{config.Tokyo: true}
		assert.Equal(t, []string{config.Osaka}, dnsAnswer(t, e, cacheID, down), "health-check status alone moved traffic")
		assert.Equal(t, config.Tokyo, weightHolder(t, e), "no weight changed: the records still give tokyo the weight")

		// Tokyo comes back as a secondary: its check fails, it takes no traffic back.
		down[config.Tokyo] = false
		assert.Equal(t, []string{config.Osaka}, dnsAnswer(t, e, cacheID, down), "the recovered tokyo holds no role")

		// The control plane is back: the next up of osaka makes the weight change.
		e.AWS.SetServiceDown("route53", false)
		t.Setenv(fakeaws.Route53DownEnv, "")
		e.Pulumi(t, "up", "--yes", "--skip-preview", "-s", "osaka")
		assert.Equal(t, config.Osaka, weightHolder(t, e), "the pending weight change is made once the control plane answers")
	})
}

// records reads the service name's records straight from the emulator (not through the proxy,
// which refuses Route 53 when the test says so): what Route 53's data plane serves from.
func records(t *testing.T, e *enginetest.Env) switchover.Routes {
	t.Helper()
	ctx := context.Background()
	cfg, err := stackConfig(e.Project)(config.TokyoStack)
	require.NoError(t, err)
	zoneID := strings.TrimSpace(e.Pulumi(t, "stack", "output", "zoneId", "-s", config.TokyoStack))
	require.NotEmpty(t, zoneID)
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"))
	require.NoError(t, err)
	client := route53.NewFromConfig(awsCfg, func(o *route53.Options) { o.BaseEndpoint = aws.String(switchovertest.EmulatorURL(t)) })
	rs, err := (&switchover.Traffic{API: client}).Describe(ctx, zoneID, cfg.Domain.Name)
	require.NoError(t, err)
	require.Len(t, rs.Checked(), 2, "both regions have a health-checked record: %s", rs)
	return rs
}

// dnsAnswer is what Route 53 answers now: the records as stored, with each region's health
// check computed from the readiness contract (docs/app-contract.md): the region is up, its
// cache member is the datastore primary and the Aurora writer is in a region that is up.
func dnsAnswer(t *testing.T, e *enginetest.Env, cacheID string, down map[string]bool) []string {
	t.Helper()
	writer := writerRegion(t, e)
	return switchover.Answer(records(t, e), func(r string) bool {
		return !down[r] && e.Cache.PrimaryRegion(cacheID) == r && !down[writer]
	})
}

// weightHolder is the region whose record has the weight (every other record at 0).
func weightHolder(t *testing.T, e *enginetest.Env) string {
	t.Helper()
	rs := records(t, e)
	for _, r := range []string{config.Tokyo, config.Osaka} {
		if switchover.Sends(rs.Weights(), r) {
			return r
		}
	}
	return rs.String()
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// withoutCLI is PATH without the directories that hold a `pulumi` binary.
func withoutCLI(t *testing.T, path string) string {
	t.Helper()
	var keep []string
	for _, d := range filepath.SplitList(path) {
		if _, err := os.Stat(filepath.Join(d, "pulumi")); err == nil {
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

// The fake answers as the pulumi-aws version the program's SDK asks for, so the engine loads
// it as that plugin (default provider default_6_83_4) and nothing else.
func TestFakeAWSVersionMatchesTheSDK(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "github.com/pulumi/pulumi-aws/sdk/v6 v"+fakeaws.Version+"\n")
}
