package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// fakeStacks deploys the primaryRegion found in the project's Pulumi.yaml, as `pulumi up`
// would, and reports the writer in the primary's region.
type fakeStacks struct {
	dir      string
	writer   string
	deployed map[string]string // stack → primaryRegion it was last deployed with
	ups      []string
}

func (f *fakeStacks) Up(_ context.Context, stack string, progress func(runbook.Line)) (runbook.UpResult, error) {
	f.ups = append(f.ups, stack)
	raw, err := capture.ProjectConfig(f.dir, stack)
	if err != nil {
		return runbook.UpResult{}, err
	}
	progress(runbook.Line{Text: "~ agmdr:index:AuroraWriter aurora-writer updating"})
	if p := raw[config.KeyPrimaryRegion]; p == config.RegionFor(stack) {
		f.writer = p
	}
	if f.deployed == nil {
		f.deployed = map[string]string{}
	}
	f.deployed[stack] = raw[config.KeyPrimaryRegion]
	return runbook.UpResult{Changes: map[string]int{"update": 1}}, nil
}

func (f *fakeStacks) Preview(context.Context, string) (int, error) { return 0, nil }

func (f *fakeStacks) Outputs(_ context.Context, stack string) (map[string]any, error) {
	return map[string]any{runbook.OutSwitchoverWriter: f.writer, runbook.OutPrimaryRegion: f.deployed[stack],
		runbook.OutAuroraGlobalCluster: "agm-dr-global"}, nil
}

func (f *fakeStacks) LastUpdate(context.Context, string) (runbook.Update, error) {
	return runbook.Update{}, nil
}

func copyProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.tokyo.yaml", "Pulumi.osaka.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		if f == "Pulumi.yaml" {
			b = enginetest.MadeOurs(b)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	return dir
}

func TestSwitchoverCommandShowsProgressAndWritesTheReport(t *testing.T) {
	dir := copyProject(t)
	fake := &fakeStacks{dir: dir, writer: config.Tokyo}
	withFakes(t, fake)

	out, err := drctl(t, "switchover", "--to", "osaka", "--yes", "--skip-check", "--no-probe", "--dir", dir)
	require.NoError(t, err, out)
	assert.Equal(t, []string{config.OsakaStack, config.TokyoStack}, fake.ups)
	assert.Regexp(t, regexp.MustCompile(`(?m)^\[00:00\] osaka: ~ agmdr:index:AuroraWriter aurora-writer updating$`), out,
		"engine lines are forwarded with the elapsed time and the stack")
	assert.Regexp(t, regexp.MustCompile(`(?m)^\[00:00\] pulumi up osaka \(new primary\): done in`), out)
	assert.Contains(t, out, "Leg 1 ap-northeast-1 → ap-northeast-3: ok")

	raw, err := capture.ProjectConfig(dir, config.TokyoStack)
	require.NoError(t, err)
	assert.Equal(t, config.Osaka, raw[config.KeyPrimaryRegion], "Pulumi.yaml now names the new primary")

	reports, err := filepath.Glob(filepath.Join(dir, "reports", "*.json"))
	require.NoError(t, err)
	require.Len(t, reports, 1)
	rep, err := report.Read(reports[0])
	require.NoError(t, err)
	assert.Equal(t, report.OK, rep.Result)
	assert.Equal(t, "Switchover: tokyo → osaka (planned)", rep.Title)
	assert.Equal(t, "switchover-tokyo-to-osaka-", filepath.Base(reports[0])[:len("switchover-tokyo-to-osaka-")], "named by what ran")
	assert.Equal(t, "2026.06.1", rep.AppVersion, "the app version both regions run")
	assert.NotEmpty(t, rep.RanBy, "who ran it")
	assert.Equal(t, config.Osaka, rep.Target)

	// Re-running the same command resumes (here: nothing left to do) instead of refusing: the
	// stacks say the switchover has happened.
	out, err = drctl(t, "switchover", "--to", "osaka", "--yes", "--skip-check", "--no-probe", "--dir", dir)
	require.NoError(t, err, out)
	assert.Contains(t, out, "A switchover to ap-northeast-3 is under way")
	assert.Contains(t, out, "(already set: resuming)")
}

func TestDrillToTheCurrentPrimaryIsAUsageError(t *testing.T) {
	_, err := drctl(t, "drill", "--to", "tokyo", "--and-back", "--yes", "--no-probe", "--dir", copyProject(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already the primary: drill --to ap-northeast-3")
}
