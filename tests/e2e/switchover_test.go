// Package e2e runs this repo's agmdr provider under the real Pulumi engine:
// the Pulumi CLI built from the Go module proxy (AGMDR_PULUMI_BIN), a file://
// backend, Automation API inline programs, and the ministack emulator
// (AGMDR_MINISTACK_URL) as AWS. Without both variables the test skips.
package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/components/failover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

const (
	project = "agm-dr-e2e"
	tokyo   = "ap-northeast-1"
	osaka   = "ap-northeast-3"
)

// program is one region's switchover declaration, as stacks/ writes it: the
// writer is whoever primaryRegion names. Only AuroraWriter is declared:
// ministack does not serve ElastiCache global datastores (CachePrimary is
// covered against the in-process fake in switchover/ and provider/).
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	region := cfg.Require("region")
	w, err := failover.NewAuroraWriter(ctx, "aurora-writer", &failover.AuroraWriterArgs{
		GlobalClusterId: pulumi.String(cfg.Require("globalClusterId")),
		Region:          pulumi.String(region),
		ClusterArn:      pulumi.String(cfg.Require("clusterArn")),
		Writer:          pulumi.Bool(region == cfg.Require("primaryRegion")),
		Mode:            pulumi.String("planned"),
		TimeoutSeconds:  pulumi.Int(60),
		PollSeconds:     pulumi.Int(1),
	})
	if err != nil {
		return err
	}
	ctx.Export("actualWriter", w.ActualWriter)
	ctx.Export("lastSwitchoverMode", w.LastSwitchoverMode)
	ctx.Export("lastSwitchoverSeconds", w.LastSwitchoverSeconds)
	return nil
}

func TestFlipPrimaryRegionMovesTheWriterThenNothing(t *testing.T) {
	cliDir := switchovertest.Env(t, "AGMDR_PULUMI_BIN", "`bash .ci/pulumi-cli.sh` builds the CLI and prints the dir")
	emulator := switchovertest.UseEmulator(t)
	require.FileExists(t, filepath.Join(cliDir, "pulumi"))
	pluginDir := buildProvider(t)
	t.Setenv("PATH", cliDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cli, err := auto.NewPulumiCommand(nil)
	require.NoError(t, err)

	gc := switchovertest.NewEmulatorCluster(t, tokyo, osaka)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	state := t.TempDir()
	env := switchovertest.EmulatorEnv(emulator, t.TempDir())
	for k, v := range map[string]string{
		"PULUMI_BACKEND_URL":                          "file://" + state,
		"PULUMI_CONFIG_PASSPHRASE":                    "e2e-only",
		"PULUMI_HOME":                                 t.TempDir(),
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	} {
		env[k] = v
	}
	// Osaka finds the plugin on PATH; Tokyo through the project's
	// `plugins.providers` path, as the repo's Pulumi.yaml does.
	stacks := map[string]*auto.Stack{
		osaka: newStack(ctx, t, cli, "osaka", env, pluginDir+string(os.PathListSeparator)+os.Getenv("PATH"), ""),
		tokyo: newStack(ctx, t, cli, "tokyo", env, os.Getenv("PATH"), pluginDir),
	}
	set := func(region, key, value string) {
		require.NoError(t, stacks[region].SetConfig(ctx, key, auto.ConfigValue{Value: value}))
	}
	for region, arn := range map[string]string{tokyo: gc.HomeArn, osaka: gc.PeerArn} {
		set(region, "region", region)
		set(region, "globalClusterId", gc.GlobalID)
		set(region, "clusterArn", arn)
		set(region, "primaryRegion", tokyo)
	}
	api := switchovertest.EmulatorRDS(t, osaka)

	up(ctx, t, stacks[tokyo], false)
	up(ctx, t, stacks[osaka], false)
	assert.Equal(t, gc.HomeArn, switchovertest.WriterArn(t, api, gc.GlobalID))

	// The flip: primaryRegion changes in both stacks; the new primary runs first.
	set(tokyo, "primaryRegion", osaka)
	set(osaka, "primaryRegion", osaka)
	prev, err := stacks[osaka].Preview(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, prev.ChangeSummary["update"], "the flip is one update")
	assert.Zero(t, prev.ChangeSummary["replace"]+prev.ChangeSummary["create"]+prev.ChangeSummary["delete"])

	res := up(ctx, t, stacks[osaka], false)
	assert.Equal(t, gc.PeerArn, switchovertest.WriterArn(t, api, gc.GlobalID), "the emulator's writer must move to Osaka")
	assert.Equal(t, osaka, res.Outputs["actualWriter"].Value)
	assert.Equal(t, "planned", res.Outputs["lastSwitchoverMode"].Value)
	res = up(ctx, t, stacks[tokyo], false)
	assert.Equal(t, osaka, res.Outputs["actualWriter"].Value, "the standby records the real writer")

	// Third up: nothing left to do in either stack.
	up(ctx, t, stacks[osaka], true)
	up(ctx, t, stacks[tokyo], true)
	assert.Equal(t, gc.PeerArn, switchovertest.WriterArn(t, api, gc.GlobalID))
}

// buildProvider builds the plugin exactly as the contract says, so the test
// always runs the provider in this tree, and returns its bin/ directory.
func buildProvider(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(root, "go.mod"))
	cmd := exec.Command("go", "build", "-o", "bin/pulumi-resource-agmdr", "./cmd/pulumi-resource-agmdr")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "build provider: %s", out)
	return filepath.Join(root, "bin")
}

func newStack(ctx context.Context, t *testing.T, cli auto.PulumiCommand, name string, env map[string]string, path, pluginDir string) *auto.Stack {
	t.Helper()
	proj := workspace.Project{Name: project, Runtime: workspace.NewProjectRuntimeInfo("go", nil)}
	if pluginDir != "" {
		proj.Plugins = &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "agmdr", Path: pluginDir}}}
	}
	stackEnv := map[string]string{"PATH": path}
	for k, v := range env {
		stackEnv[k] = v
	}
	s, err := auto.UpsertStackInlineSource(ctx, name, project, program,
		auto.Pulumi(cli), auto.Project(proj), auto.EnvVars(stackEnv), auto.WorkDir(t.TempDir()))
	require.NoError(t, err)
	return &s
}

// up runs `pulumi up`; with noChanges it fails on any change.
func up(ctx context.Context, t *testing.T, s *auto.Stack, noChanges bool) auto.UpResult {
	t.Helper()
	var log bytes.Buffer
	opts := []optup.Option{optup.ProgressStreams(&log), optup.ErrorProgressStreams(&log)}
	if noChanges {
		opts = append(opts, optup.ExpectNoChanges())
	}
	res, err := s.Up(ctx, opts...)
	require.NoError(t, err, "pulumi up %s:\n%s", s.Name(), log.String())
	if noChanges && res.Summary.ResourceChanges != nil {
		for op, n := range *res.Summary.ResourceChanges {
			assert.True(t, op == "same" || n == 0, "%s: third up changed %d resources (%s)", s.Name(), n, op)
		}
	}
	if testing.Verbose() {
		t.Logf("pulumi up %s:\n%s", s.Name(), strings.TrimSpace(log.String()))
	}
	return res
}
