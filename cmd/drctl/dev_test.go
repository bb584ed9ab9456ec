package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// devStacks deploys what the project's Pulumi.yaml says, as `pulumi up` would.
type devStacks struct {
	dir      string
	deployed map[string]string // stack → primaryRegion deployed
	ups      []string
}

func (f *devStacks) Up(_ context.Context, stack string, _ func(runbook.Line)) (runbook.UpResult, error) {
	f.ups = append(f.ups, stack)
	raw, err := capture.ProjectConfig(f.dir, stack)
	if err != nil {
		return runbook.UpResult{}, err
	}
	f.deployed[stack] = raw[config.KeyPrimaryRegion]
	return runbook.UpResult{}, nil
}
func (f *devStacks) Preview(context.Context, string) (int, error) { return 0, nil }
func (f *devStacks) Outputs(_ context.Context, stack string) (map[string]any, error) {
	if f.deployed[stack] == "" {
		return map[string]any{}, nil
	}
	return map[string]any{runbook.OutPrimaryRegion: f.deployed[stack]}, nil
}
func (f *devStacks) LastUpdate(context.Context, string) (runbook.Update, error) {
	return runbook.Update{}, nil
}

// withDev replaces the stacks and the wake check with fakes for one test.
func withDev(t *testing.T, dir string, ready bool) *devStacks {
	t.Helper()
	f := &devStacks{dir: dir, deployed: map[string]string{config.TokyoStack: config.Tokyo, config.OsakaStack: config.Tokyo}}
	oldStacks, oldRun, oldCheck, oldWait, oldLook := openStacks, openForRun, wakeCheck, wakeWait, lookPath
	t.Cleanup(func() { lookPath = oldLook })
	lookPath = func(string) (string, error) { return "/usr/bin/true", nil }
	openStacks = func(string) runbook.Stacks { return f }
	openForRun = func(context.Context, io.Writer, string) (runbook.Stacks, error) { return f, nil }
	wakeWait.timeout, wakeWait.every = 20*time.Millisecond, time.Millisecond
	wakeCheck = func(context.Context, string, runbook.Stacks, string) []runbook.Check {
		if ready {
			return []runbook.Check{{Name: "capacity in osaka", Status: runbook.Pass, Detail: "1/1 tasks running"}}
		}
		return []runbook.Check{{Name: "capacity in osaka", Status: runbook.Fail, Detail: "0 of 1 tasks running"}}
	}
	t.Cleanup(func() { openStacks, openForRun, wakeCheck, wakeWait = oldStacks, oldRun, oldCheck, oldWait })
	return f
}

func devCopy(t *testing.T) string {
	t.Helper()
	dir := copyProject(t)
	path := filepath.Join(dir, "Pulumi.yaml")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	src := strings.Replace(string(b), "agm-dr:profile:\n    value: production", "agm-dr:profile:\n    value: dev", 1)
	require.NotEqual(t, string(b), src)
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	return dir
}

func sleepingIn(t *testing.T, dir string) string {
	t.Helper()
	raw, err := capture.ProjectConfig(dir, config.TokyoStack)
	require.NoError(t, err)
	return raw[config.KeySleeping]
}

func TestDevSleepThenWake(t *testing.T) {
	dir := devCopy(t)
	f := withDev(t, dir, true)

	out, err := drctl(t, "dev", "sleep", "--yes", "--dir", dir)
	require.NoError(t, err, out)
	assert.Equal(t, "true", sleepingIn(t, dir))
	assert.Equal(t, []string{config.OsakaStack, config.TokyoStack}, f.ups, "sleep: standby first")
	assert.Contains(t, out, "no data resource touched")
	assert.Contains(t, out, "Asleep after")

	f.ups = nil
	out, err = drctl(t, "dev", "wake", "--yes", "--dir", dir)
	require.NoError(t, err, out)
	assert.Equal(t, "false", sleepingIn(t, dir))
	assert.Equal(t, []string{config.TokyoStack, config.OsakaStack}, f.ups, "wake: primary first")
	assert.Contains(t, out, "Awake and READY: the wake took")
	assert.Contains(t, out, "estimated offline")
}

func TestDevWakeFailsWhenTheCheckIsNotGreen(t *testing.T) {
	dir := devCopy(t)
	withDev(t, dir, false)
	out, err := drctl(t, "dev", "wake", "--yes", "--dir", dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "readiness check still fails after")
	assert.Contains(t, out, "FAIL  capacity in osaka")
}

// TestDevBadInputChangesNothing: production, a switchover under way and a never-deployed
// stack are refused with their cause, before Pulumi.yaml or any stack changes.
func TestDevBadInputChangesNothing(t *testing.T) {
	cases := []struct {
		name  string
		dir   func(t *testing.T) string
		setup func(f *devStacks)
		args  []string
		want  string
	}{
		{"production sleep", copyProject, nil, []string{"dev", "sleep", "--yes"}, "refused for profile production"},
		{"switchover under way", devCopy, func(f *devStacks) { f.deployed[config.OsakaStack] = config.Osaka }, []string{"dev", "sleep", "--yes"}, "a switchover is under way"},
		{"never-deployed stack", devCopy, func(f *devStacks) { delete(f.deployed, config.OsakaStack) }, []string{"dev", "wake", "--yes"}, "stack osaka was never deployed"},
		{"not confirmed", devCopy, nil, []string{"dev", "sleep"}, "not confirmed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			f := withDev(t, dir, true)
			if tc.setup != nil {
				tc.setup(f)
			}
			before, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
			require.NoError(t, err)
			_, err = drctl(t, append(tc.args, "--dir", dir)...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			after, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
			require.NoError(t, err)
			assert.Equal(t, string(before), string(after))
			assert.Empty(t, f.ups)
		})
	}
}

func TestCostPrintsEveryStackAndTheTotal(t *testing.T) {
	for _, args := range [][]string{
		{"cost"},
		{"cost", "--profile", "dev"},
		{"cost", "--profile", "dev", "--sleeping"},
	} {
		out, err := drctl(t, append(args, "--dir", repoRoot)...)
		require.NoError(t, err, out)
		assert.Contains(t, out, "stack tokyo (ap-northeast-1): $")
		assert.Contains(t, out, "stack osaka (ap-northeast-3): $")
		assert.Contains(t, out, "Total: $")
		assert.NotContains(t, out, "NOT PRICED")
	}
	out, err := drctl(t, "cost", "--profile", "dev", "--sleeping", "--dir", repoRoot)
	require.NoError(t, err)
	assert.Contains(t, out, "profile dev, asleep")
	assert.NotContains(t, out, "NAT gateway")
}

func TestCostRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cost", "--profile", "staging"}, `--profile "staging": allowed: production, dev`},
		{[]string{"cost", "--sleeping"}, "profile production cannot sleep"},
		{[]string{"cost", "--profile", "production", "--sleeping"}, "profile production cannot sleep"},
	} {
		_, err := drctl(t, append(tc.args, "--dir", repoRoot)...)
		var ee *exitError
		require.True(t, errors.As(err, &ee), "%v", tc.args)
		assert.Equal(t, 2, ee.code)
		assert.Contains(t, err.Error(), tc.want)
	}
}

// TestCostTableMatchesTheCommand: the cost table of docs/cost.md is what `drctl cost` prints on
// the repo's stacks; a price or resource change must regenerate it.
func TestCostTableMatchesTheCommand(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "docs", "cost.md"))
	require.NoError(t, err)
	for _, tc := range []struct{ row, args string }{
		{"| production |", "--profile production"},
		{"| dev, awake |", "--profile dev"},
		{"| dev, asleep |", "--profile dev --sleeping"},
	} {
		out, err := drctl(t, append(append([]string{"cost"}, strings.Fields(tc.args)...), "--dir", repoRoot)...)
		require.NoError(t, err)
		totals := regexp.MustCompile(`Total: (\$[0-9.]+) a month \((tokyo|osaka) (\$[0-9.]+) \+ (tokyo|osaka) (\$[0-9.]+)\)`).FindStringSubmatch(out)
		require.Len(t, totals, 6, out)
		per := map[string]string{totals[2]: totals[3], totals[4]: totals[5]}
		want := fmt.Sprintf("%s %s | %s | **%s** | `drctl cost %s` |", tc.row, per["tokyo"], per["osaka"], totals[1], tc.args)
		assert.Contains(t, string(readme), want, "docs/cost.md's cost table is stale: run `drctl cost %s` and update the row", tc.args)
	}
}
