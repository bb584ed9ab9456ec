package runbook_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/components/failover"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// drillProgram is one region's switchover declaration as stacks/ writes it, reduced to what
// runs here: the writer is whoever agm-dr:primaryRegion names, with the project's switchover
// settings. Only AuroraWriter is declared: ministack does not serve ElastiCache global
// datastores (CachePrimary is covered against an in-process fake in switchover/ and provider/).
func drillProgram(ctx *pulumi.Context) error {
	project := pconfig.New(ctx, config.Namespace)
	region := pconfig.Require(ctx, config.KeyRegion)
	var sw config.Switchover
	project.RequireObject("switchover", &sw)
	primary := project.Require("primaryRegion")
	w, err := failover.NewAuroraWriter(ctx, "aurora-writer", &failover.AuroraWriterArgs{
		GlobalClusterId:  pulumi.String(pconfig.Require(ctx, "globalClusterId")),
		Region:           pulumi.String(region),
		ClusterArn:       pulumi.String(pconfig.Require(ctx, "clusterArn")),
		Writer:           pulumi.Bool(region == primary),
		Mode:             pulumi.String(string(sw.Mode)),
		RpoBudgetSeconds: pulumi.Int(sw.RpoBudgetSeconds),
		TimeoutSeconds:   pulumi.Int(sw.TimeoutSeconds),
		PollSeconds:      pulumi.Int(sw.PollSeconds),
	})
	if err != nil {
		return err
	}
	role := config.RoleStandby
	if region == primary {
		role = config.RolePrimary
	}
	ctx.Export(runbook.OutRole, pulumi.String(string(role)))
	ctx.Export(runbook.OutPrimaryRegion, pulumi.String(primary))
	ctx.Export(runbook.OutSwitchoverWriter, w.ActualWriter)
	ctx.Export(runbook.OutLastSwitchoverSecond, w.LastSwitchoverSeconds)
	return nil
}

// TestDrillEndToEnd is a real drill: the Pulumi CLI (AGMDR_PULUMI_BIN), a file:// backend,
// the agmdr provider plugin built from this tree and ministack (AGMDR_MINISTACK_URL) as AWS.
// The runbook switches tokyo → osaka → tokyo; the report's durations are measured.
func TestDrillEndToEnd(t *testing.T) {
	cliDir := switchovertest.Env(t, "AGMDR_PULUMI_BIN", "`bash .ci/pulumi-cli.sh` builds the CLI and prints the dir")
	emulator := switchovertest.UseEmulator(t)
	require.FileExists(t, filepath.Join(cliDir, "pulumi"))
	t.Setenv("PATH", cliDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	pluginDir := buildPlugin(t)
	gc := switchovertest.NewEmulatorCluster(t, config.Tokyo, config.Osaka)

	env := switchovertest.EmulatorEnv(emulator, t.TempDir())
	for k, v := range map[string]string{
		"PULUMI_BACKEND_URL":                          "file://" + t.TempDir(),
		"PULUMI_CONFIG_PASSPHRASE":                    "drill-e2e-only",
		"PULUMI_HOME":                                 t.TempDir(),
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	} {
		env[k] = v
	}
	targets := config.Switchover{Mode: config.Planned, RpoBudgetSeconds: 10, TimeoutSeconds: 120, PollSeconds: 1, RtoTargetMinutes: 15}
	in := runbook.NewInline(runbook.InlineOptions{
		Project:  "agm-dr-drill",
		Programs: map[string]pulumi.RunFunc{config.TokyoStack: drillProgram, config.OsakaStack: drillProgram},
		Config: map[string]map[string]string{
			config.TokyoStack: {config.KeyRegion: config.Tokyo, "globalClusterId": gc.GlobalID, "clusterArn": gc.HomeArn},
			config.OsakaStack: {config.KeyRegion: config.Osaka, "globalClusterId": gc.GlobalID, "clusterArn": gc.PeerArn},
		},
		Env:        env,
		Providers:  map[string]string{"agmdr": pluginDir},
		Primary:    config.Tokyo,
		Switchover: targets,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var mu sync.Mutex
	var log strings.Builder
	progress := func(l runbook.Line) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&log, "%s %s: %s\n", l.At.Format("15:04:05.000"), l.Stack, l.Text)
	}
	defer func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("progress:\n%s", log.String())
		}
	}()

	// The environment as it stands before the drill: both stacks deployed, tokyo primary.
	for _, s := range []string{config.TokyoStack, config.OsakaStack} {
		_, err := in.Up(ctx, s, progress)
		require.NoError(t, err, "initial deployment of %s", s)
	}
	rds := switchovertest.EmulatorRDS(t, config.Osaka)
	require.Equal(t, gc.HomeArn, switchovertest.WriterArn(t, rds, gc.GlobalID))

	start := time.Now()
	rep, err := runbook.Drill(ctx, runbook.Deps{Stacks: in, Project: in, Progress: progress}, config.Osaka, config.Planned, true, targets)
	took := time.Since(start)
	require.NoError(t, err)
	t.Logf("drill tokyo → osaka → tokyo took %s", took.Round(time.Millisecond))

	assert.Equal(t, gc.HomeArn, switchovertest.WriterArn(t, rds, gc.GlobalID), "the writer is back in tokyo")
	assert.Equal(t, report.OK, rep.Result)
	require.Len(t, rep.Legs, 2)
	var sum float64
	for i, leg := range rep.Legs {
		require.Len(t, leg.Steps, 4, "leg %d", i+1)
		assert.True(t, leg.RTO.Known && leg.RTO.Met, "leg %d RTO %+v", i+1, leg.RTO)
		assert.Greater(t, leg.RTO.Seconds, 0.5, "a real RTO: two CLI runs and a switchover")
		up := leg.Steps[1]
		assert.Greater(t, up.Seconds, 0.5, "leg %d: `pulumi up` of the new primary takes real time", i+1)
		var writerOp *report.Op
		for j := range up.Ops {
			if up.Ops[j].Type == failover.AuroraWriterType && up.Ops[j].Op == "update" {
				writerOp = &up.Ops[j]
			}
		}
		require.NotNil(t, writerOp, "leg %d: the writer update is timed from the engine's events: %+v", i+1, up.Ops)
		assert.Positive(t, writerOp.Seconds)
		assert.Contains(t, leg.Steps[2].Detail, "Aurora writer in "+leg.To)
		sum += leg.Seconds
	}
	assert.InDelta(t, took.Seconds(), rep.Seconds, 1.0, "the report's duration is the drill's wall time")
	assert.LessOrEqual(t, sum, rep.Seconds+0.01)

	files, err := report.Write(t.TempDir(), rep)
	require.NoError(t, err)
	md, err := os.ReadFile(files.Markdown)
	require.NoError(t, err)
	assert.Contains(t, string(md), "| RTO |")
	if dir := os.Getenv("AGMDR_DRILL_REPORT_DIR"); dir != "" { // keep the report, e.g. for docs
		_, err := report.Write(dir, rep)
		require.NoError(t, err)
	}

	// Unplanned: Tokyo is "down"; the failover runs from Osaka's stack only.
	guard := &onlyStack{Stacks: in, allowed: config.OsakaStack}
	leg, err := runbook.Switchover(ctx, runbook.Deps{Stacks: guard, Project: in, Progress: progress},
		runbook.Options{To: config.Osaka, Mode: config.Unplanned, Targets: targets})
	require.NoError(t, err)
	assert.Empty(t, guard.refused, "unplanned mode asked for the old primary's stack")
	assert.Equal(t, gc.PeerArn, switchovertest.WriterArn(t, rds, gc.GlobalID), "the writer failed over to osaka")
	assert.Equal(t, report.Skipped, leg.Steps[3].Result)
}

// onlyStack passes calls for one stack through and refuses (and records) any other.
type onlyStack struct {
	runbook.Stacks
	allowed string
	refused []string
}

func (o *onlyStack) check(stack string) error {
	if stack != o.allowed {
		o.refused = append(o.refused, stack)
		return fmt.Errorf("stack %s is down", stack)
	}
	return nil
}

func (o *onlyStack) Up(ctx context.Context, stack string, p func(runbook.Line)) (runbook.UpResult, error) {
	if err := o.check(stack); err != nil {
		return runbook.UpResult{}, err
	}
	return o.Stacks.Up(ctx, stack, p)
}

func (o *onlyStack) Outputs(ctx context.Context, stack string) (map[string]any, error) {
	if err := o.check(stack); err != nil {
		return nil, err
	}
	return o.Stacks.Outputs(ctx, stack)
}

// buildPlugin builds the agmdr provider from this tree into a temp dir (not bin/, which
// another package's test may be building at the same time) and returns that dir.
func buildPlugin(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "pulumi-resource-agmdr"), "./cmd/pulumi-resource-agmdr")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "building the provider: %s", out)
	return dir
}
