package runbook_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

func (w *world) Sleeping(context.Context) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.sleeping, nil
}

func (w *world) SetSleeping(_ context.Context, asleep bool) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.record("set sleeping %v", asleep)
	changed := w.sleeping != asleep
	w.sleeping = asleep
	return changed, nil
}

// devProject is a copy of the repo's project files with profile dev.
func devProject(t *testing.T) string {
	t.Helper()
	dir := repoProject(t)
	path := filepath.Join(dir, "Pulumi.yaml")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	src := strings.Replace(string(b), "agm-dr:profile:\n    value: production", "agm-dr:profile:\n    value: dev", 1)
	require.NotEqual(t, string(b), src, "the repo's Pulumi.yaml sets the profile as expected")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	return dir
}

func devDeps(t *testing.T, w *world, dir string, regions map[string]*region) runbook.DevDeps {
	t.Helper()
	rd := readDeps(t, w, regions)
	return runbook.DevDeps{
		Stacks:  w,
		Project: w,
		Config: func(stack string) (config.Config, error) {
			raw, err := capture.ProjectConfig(dir, stack)
			if err != nil {
				return config.Config{}, err
			}
			return config.Parse(stack, raw)
		},
		Check: func(ctx context.Context) []runbook.Check {
			return runbook.Readiness(ctx, rd, config.Peer(w.primary), config.Planned)
		},
		Now:          w.now,
		CheckTimeout: 30 * time.Second,
		CheckEvery:   5 * time.Second,
		Sleep: func(_ context.Context, d time.Duration) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.clock = w.clock.Add(d)
			return nil
		},
	}
}

// changes are the calls that change something: project edits and updates.
func changes(w *world) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, c := range w.calls {
		if strings.HasPrefix(c, "set ") || strings.HasPrefix(c, "up ") {
			out = append(out, c)
		}
	}
	return out
}

func TestWakeUpdatesThePrimaryFirstAndEndsWithAGreenCheck(t *testing.T) {
	w := newWorld()
	w.sleeping = true
	res, err := runbook.SetSleep(context.Background(), devDeps(t, w, devProject(t), healthy(w)), false)
	require.NoError(t, err)
	assert.Equal(t, []string{"set sleeping false", "up tokyo", "up osaka"}, changes(w))
	assert.False(t, w.sleeping)
	require.NotEmpty(t, res.Checks, "the wake ran the readiness check")
	assert.True(t, runbook.Ready(res.Checks))
	assert.Positive(t, res.Took, "the wake is timed")
	up, lag := -1, -1
	for i, c := range w.calls {
		switch c {
		case "up osaka":
			up = i
		case "aws ap-northeast-3 lag agm-dr-ap-northeast-3":
			lag = i
		}
	}
	assert.True(t, up >= 0 && lag > up, "the check read the standby's lag after the last update: %v", w.calls)
}

func TestSleepUpdatesTheStandbyFirstAndRunsNoCheck(t *testing.T) {
	for _, primary := range config.Regions() {
		w := newWorld()
		w.primary, w.writer = primary, primary
		for s := range w.deployed {
			w.deployed[s] = primary
		}
		res, err := runbook.SetSleep(context.Background(), devDeps(t, w, devProject(t), healthy(w)), true)
		require.NoError(t, err)
		standby := config.StackFor(config.Peer(primary))
		assert.Equal(t, []string{"set sleeping true", "up " + standby, "up " + config.StackFor(primary)}, changes(w))
		assert.Empty(t, res.Checks)
		assert.True(t, w.sleeping)
	}
}

// TestBadDevInputChangesNothing: each refused input names its cause and leaves Pulumi.yaml and
// both stacks untouched.
func TestBadDevInputChangesNothing(t *testing.T) {
	cases := []struct {
		name   string
		dir    func(t *testing.T) string
		setup  func(w *world)
		asleep bool
		want   []string
	}{
		{"production sleep", repoProject, func(*world) {}, true, []string{"sleep is refused for profile production", config.KeyProfile}},
		{"production wake", repoProject, func(*world) {}, false, []string{"wake is refused for profile production"}},
		{"switchover under way", devProject, func(w *world) { w.deployed[config.OsakaStack] = config.Osaka }, true,
			[]string{"a switchover is under way", "tokyo was deployed with ap-northeast-1", "osaka with ap-northeast-3", "drctl switchover --to ap-northeast-1"}},
		{"wake of a never-deployed stack", devProject, func(w *world) { delete(w.deployed, config.OsakaStack) }, false,
			[]string{"stack osaka was never deployed", "pulumi up -s tokyo"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld()
			w.sleeping = !tc.asleep
			tc.setup(w)
			_, err := runbook.SetSleep(context.Background(), devDeps(t, w, tc.dir(t), healthy(w)), tc.asleep)
			require.Error(t, err)
			for _, s := range tc.want {
				assert.Contains(t, err.Error(), s)
			}
			assert.Contains(t, err.Error(), "nothing was changed")
			assert.Empty(t, changes(w))
			assert.Equal(t, !tc.asleep, w.sleeping)
		})
	}
}

func TestWakeFailsWhenTheCheckIsNotGreen(t *testing.T) {
	w := newWorld()
	w.sleeping = true
	regions := healthy(w)
	regions[config.Osaka].running = 0 // the standby's tasks never became healthy
	res, err := runbook.SetSleep(context.Background(), devDeps(t, w, devProject(t), regions), false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "readiness check still fails after 30s")
	assert.Contains(t, err.Error(), "capacity in osaka")
	assert.False(t, runbook.Ready(res.Checks))
	assert.GreaterOrEqual(t, res.Took, 30*time.Second, "it waited for the tasks until the timeout")
}

// TestWakeWaitsForTheTasks: `pulumi up` returns before new tasks are healthy; the wake checks
// again until they are, and its time includes that wait.
func TestWakeWaitsForTheTasks(t *testing.T) {
	w := newWorld()
	w.sleeping = true
	regions := healthy(w)
	regions[config.Osaka].running = 0
	deps := devDeps(t, w, devProject(t), regions)
	inner, calls := deps.Check, 0
	deps.Check = func(ctx context.Context) []runbook.Check {
		if calls++; calls == 3 {
			w.mu.Lock()
			regions[config.Osaka].running = 2 // healthy on the third look
			w.mu.Unlock()
		}
		return inner(ctx)
	}
	res, err := runbook.SetSleep(context.Background(), deps, false)
	require.NoError(t, err)
	assert.Equal(t, 3, calls)
	assert.True(t, runbook.Ready(res.Checks))
	assert.GreaterOrEqual(t, res.Took, 10*time.Second, "two waits of 5 s are part of the wake")
}

func TestInterruptedWakeResumes(t *testing.T) {
	w := newWorld()
	w.sleeping = true
	w.upHook = func(_ context.Context, stack string) error {
		if stack == config.OsakaStack {
			return errors.New("NatGatewayLimitExceeded")
		}
		return nil
	}
	deps := devDeps(t, w, devProject(t), healthy(w))
	_, err := runbook.SetSleep(context.Background(), deps, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pulumi up -s osaka")
	assert.Contains(t, err.Error(), "re-run `drctl dev wake`")

	assert.True(t, w.sleeping, "the failed wake put agm-dr:sleeping back to true")
	assert.Contains(t, err.Error(), "back to true")

	w.upHook = nil
	res, err := runbook.SetSleep(context.Background(), deps, false)
	require.NoError(t, err)
	assert.False(t, w.sleeping)
	assert.True(t, runbook.Ready(res.Checks))
}

// TestFailedSleepRestoresSleeping: a sleep whose `up` fails puts agm-dr:sleeping back to false,
// so Pulumi.yaml says what the operator had; re-running the sleep then resumes and completes.
func TestFailedSleepRestoresSleeping(t *testing.T) {
	w := newWorld()
	w.upHook = func(_ context.Context, stack string) error {
		if stack == config.TokyoStack {
			return errors.New("roleFloor must be >= 1")
		}
		return nil
	}
	deps := devDeps(t, w, devProject(t), healthy(w))
	_, err := runbook.SetSleep(context.Background(), deps, true)
	require.Error(t, err)
	assert.False(t, w.sleeping, "agm-dr:sleeping is back to false")
	assert.Equal(t, []string{"set sleeping true", "up osaka", "up tokyo", "set sleeping false"}, changes(w))
	assert.Contains(t, err.Error(), "back to false")
	assert.Contains(t, err.Error(), "re-run `drctl dev sleep`")

	w.upHook = nil
	res, err := runbook.SetSleep(context.Background(), deps, true)
	require.NoError(t, err)
	assert.False(t, res.Already)
	assert.True(t, w.sleeping)
}

// TestFailedConvergeKeepsSleeping: a run that found agm-dr:sleeping already set (it resumed)
// leaves it as it was when its `up` fails.
func TestFailedConvergeKeepsSleeping(t *testing.T) {
	w := newWorld()
	w.sleeping = true
	w.upHook = func(context.Context, string) error { return errors.New("boom") }
	_, err := runbook.SetSleep(context.Background(), devDeps(t, w, devProject(t), healthy(w)), true)
	require.Error(t, err)
	assert.True(t, w.sleeping)
	assert.Contains(t, err.Error(), "was already true")
}

func TestWakeEstimateIsMinutes(t *testing.T) {
	lo, hi := runbook.WakeEstimate()
	assert.Less(t, lo, hi)
	assert.GreaterOrEqual(t, lo, 4*time.Minute)
	assert.LessOrEqual(t, hi, 30*time.Minute)
}

func TestProjectFileSetsSleepingInPlace(t *testing.T) {
	dir := repoProject(t)
	pf := runbook.NewProjectFile(dir)
	before, err := os.ReadFile(pf.Path)
	require.NoError(t, err)
	got, err := pf.Sleeping(context.Background())
	require.NoError(t, err)
	assert.False(t, got, "the repo ships awake")

	changed, err := pf.SetSleeping(context.Background(), true)
	require.NoError(t, err)
	assert.True(t, changed)
	after, err := os.ReadFile(pf.Path)
	require.NoError(t, err)
	assert.Equal(t, []string{"    value: false =>     value: true"}, changedLines(t, string(before), string(after)))
	got, err = pf.Sleeping(context.Background())
	require.NoError(t, err)
	assert.True(t, got)

	changed, err = pf.SetSleeping(context.Background(), true)
	require.NoError(t, err)
	assert.False(t, changed, "idempotent")
}

func TestProjectFileWithoutTheSleepingKeyNamesIt(t *testing.T) {
	dir := repoProject(t)
	path := filepath.Join(dir, "Pulumi.yaml")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	src := strings.Replace(string(b), "  agm-dr:sleeping:\n    value: false\n", "", 1)
	require.NotEqual(t, string(b), src)
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	_, err = runbook.NewProjectFile(dir).SetSleeping(context.Background(), true)
	require.Error(t, err)
	assert.Contains(t, err.Error(), config.KeySleeping)
	after, _ := os.ReadFile(path)
	assert.Equal(t, src, string(after), "nothing written")
}

// TestReadinessFailsWhileAsleep: a drill or switchover on a sleeping environment is refused by
// the readiness check with the way out; awake, the same world is ready.
func TestReadinessFailsWhileAsleep(t *testing.T) {
	for _, asleep := range []bool{true, false} {
		dir := devProject(t)
		_, err := runbook.NewProjectFile(dir).SetSleeping(context.Background(), asleep)
		require.NoError(t, err)
		w := newWorld()
		rd := readDeps(t, w, healthy(w))
		rd.Config = devDeps(t, w, dir, healthy(w)).Config
		checks := runbook.Readiness(context.Background(), rd, config.Osaka, config.Planned)
		c, ok := byName(checks)["environment awake"]
		if !asleep {
			assert.False(t, ok)
			assert.True(t, runbook.Ready(checks))
			continue
		}
		require.True(t, ok)
		assert.Equal(t, runbook.Fail, c.Status)
		assert.Contains(t, c.Fix, "drctl dev wake")
		assert.False(t, runbook.Ready(checks))
	}
}
