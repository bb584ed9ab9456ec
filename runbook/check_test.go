package runbook_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// readDeps wires the fake world into the read-only commands, with the repo's real config.
func readDeps(t *testing.T, w *world, regions map[string]*region) runbook.ReadDeps {
	t.Helper()
	dir := repoProject(t)
	return runbook.ReadDeps{
		Stacks: w,
		Config: func(stack string) (config.Config, error) {
			raw, err := capture.ProjectConfig(dir, stack)
			if err != nil {
				return config.Config{}, err
			}
			return config.Parse(stack, raw)
		},
		AWS: func(_ context.Context, name string) (runbook.Region, error) {
			w.record("aws client %s", name)
			r, ok := regions[name]
			if !ok {
				return nil, fmt.Errorf("no fake for %s", name)
			}
			return r, nil
		},
		Backend: runbook.KnownBackend("s3://agm-dr-state?region=us-west-2"),
		Sleep:   func(context.Context, time.Duration) error { return nil },
	}
}

func healthy(w *world) map[string]*region {
	return map[string]*region{
		config.Tokyo: {w: w, name: config.Tokyo, running: 6},
		config.Osaka: {w: w, name: config.Osaka, running: 2, lag: 800 * time.Millisecond},
	}
}

func byName(checks []runbook.Check) map[string]runbook.Check {
	m := map[string]runbook.Check{}
	for _, c := range checks {
		m[c.Name] = c
	}
	return m
}

func TestReadinessPassesWhenEverythingIsReady(t *testing.T) {
	w := newWorld()
	checks := runbook.Readiness(context.Background(), readDeps(t, w, healthy(w)), config.Osaka, config.Planned)
	for _, c := range checks {
		assert.Equal(t, runbook.Pass, c.Status, "%s: %s", c.Name, c.Detail)
	}
	assert.True(t, runbook.Ready(checks))
	names := byName(checks)
	for _, n := range []string{"configuration valid", "state backend outside the region being left", "stack osaka up to date",
		"stack tokyo up to date", "same application version", "capacity in osaka", "replication lag within the RPO budget",
		"old primary's queue draining (tokyo)", "old primary's dead-letter queue (tokyo)"} {
		assert.Contains(t, names, n)
	}
}

func TestReadinessUnplannedNeverAsksTheOldRegion(t *testing.T) {
	w := newWorld()
	regions := healthy(w)
	delete(regions, config.Tokyo) // the old primary region is down
	checks := runbook.Readiness(context.Background(), readDeps(t, w, regions), config.Osaka, config.Unplanned)
	assert.True(t, runbook.Ready(checks), "%+v", checks)
	assert.Empty(t, w.touched(config.TokyoStack), "no call for the old primary's stack")
	assert.Empty(t, w.touched(config.Tokyo), "no call into the old primary's region")
	assert.Equal(t, runbook.Warn, byName(checks)["replication lag within the RPO budget"].Status, "the lag is the data at risk")
	assert.NotContains(t, byName(checks), "old primary's queue draining (tokyo)")
}

func TestReadinessFailuresSayHowToFixThem(t *testing.T) {
	cases := []struct {
		name  string
		setup func(w *world, r map[string]*region, d *runbook.ReadDeps)
		check string
		want  string
	}{
		{"lag above budget", func(w *world, r map[string]*region, d *runbook.ReadDeps) { r[config.Osaka].lag = 45 * time.Second },
			"replication lag within the RPO budget", "above the RPO budget 10s"},
		{"queue not draining", func(w *world, r map[string]*region, d *runbook.ReadDeps) { r[config.Tokyo].depths = []int{120, 130} },
			"old primary's queue draining (tokyo)", "not decreasing"},
		{"state in the region being left", func(w *world, r map[string]*region, d *runbook.ReadDeps) {
			d.Backend = runbook.KnownBackend("s3://agm-dr-state?region=ap-northeast-1")
		}, "state backend outside the region being left", "the region being left"},
		{"standby has no tasks", func(w *world, r map[string]*region, d *runbook.ReadDeps) { r[config.Osaka].running = 0 },
			"capacity in osaka", "0 of 2 tasks running"},
		{"stack not up to date", func(w *world, r map[string]*region, d *runbook.ReadDeps) {
			w.deployed[config.OsakaStack] = config.Osaka
		},
			"stack osaka up to date", "5 resource(s) would change"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld()
			r := healthy(w)
			d := readDeps(t, w, r)
			tc.setup(w, r, &d)
			checks := runbook.Readiness(context.Background(), d, config.Osaka, config.Planned)
			assert.False(t, runbook.Ready(checks))
			c := byName(checks)[tc.check]
			assert.Equal(t, runbook.Fail, c.Status, "%+v", c)
			assert.Contains(t, c.Detail, tc.want)
			assert.NotEmpty(t, c.Fix, "a failed check says how to fix it")
		})
	}
}

func TestReadinessDrainingQueueWarns(t *testing.T) {
	w := newWorld()
	r := healthy(w)
	r[config.Tokyo].depths = []int{120, 40}
	checks := runbook.Readiness(context.Background(), readDeps(t, w, r), config.Osaka, config.Planned)
	c := byName(checks)["old primary's queue draining (tokyo)"]
	assert.Equal(t, runbook.Warn, c.Status)
	assert.Contains(t, c.Detail, "40 messages left")
}

// The backend check passes only on evidence: a backend the CLI could not name fails (it used to
// pass as "Pulumi Cloud" whenever PULUMI_BACKEND_URL was unset).
func TestBackendCheck(t *testing.T) {
	cases := map[string]runbook.Status{
		"":                                       runbook.Fail,
		"file:///var/state":                      runbook.Warn,
		"s3://b?region=ap-northeast-1":           runbook.Fail,
		"s3://b?region=ap-northeast-3":           runbook.Warn,
		"s3://b?region=us-west-2":                runbook.Pass,
		"s3://b":                                 runbook.Warn,
		"https://api.pulumi.com":                 runbook.Pass,
		"https://pulumi.internal.example.com":    runbook.Warn,
		"azblob://state?storage_account=agmdrst": runbook.Pass,
		"postgres://state.example.com/pulumi":    runbook.Warn,
	}
	for url, want := range cases {
		c := runbook.BackendCheck(url, nil, config.Tokyo, config.Osaka)
		assert.Equal(t, want, c.Status, "%q: %s", url, c.Detail)
		if want != runbook.Pass {
			assert.NotEmpty(t, c.Fix, url)
		}
	}
	assert.Contains(t, runbook.BackendCheck("file:///s", nil, config.Tokyo, config.Osaka).Fix, "keep a copy outside both regions")
	c := runbook.BackendCheck("", fmt.Errorf("exec: \"pulumi\": executable file not found in $PATH\ncode: -2"), config.Tokyo, config.Osaka)
	assert.Equal(t, runbook.Fail, c.Status)
	assert.Contains(t, c.Fix, "pulumi whoami --verbose")
	assert.NotContains(t, c.Detail, "code: -2", "the raw CLI output comes after the fix, not in the cause")
	assert.Equal(t, "code: -2", c.Raw)
}

func TestStatusWarnsOnDifferentVersionsAndPrimaries(t *testing.T) {
	w := newWorld()
	w.deployed[config.OsakaStack] = config.Osaka // an interrupted switchover
	d := readDeps(t, w, healthy(w))
	rep := runbook.ReadStatus(context.Background(), d)
	require.Len(t, rep.Stacks, 2)
	assert.Equal(t, config.Tokyo, rep.Configured)
	all := strings.Join(rep.Warnings, "\n")
	assert.Contains(t, all, "the stacks disagree on the primary")
	assert.Contains(t, all, "stack osaka was last deployed with ap-northeast-3")

	osaka := rep.Stacks[0]
	assert.Equal(t, config.OsakaStack, osaka.Stack)
	assert.Equal(t, 2, osaka.Service.Running)
	assert.True(t, osaka.LagKnown)
	assert.Equal(t, config.Tokyo, osaka.Writer)
	assert.Empty(t, osaka.Errors)
}

func TestStatusShowsARegionThatIsDown(t *testing.T) {
	w := newWorld()
	r := healthy(w)
	delete(r, config.Tokyo)
	rep := runbook.ReadStatus(context.Background(), readDeps(t, w, r))
	tokyo := rep.Stacks[1]
	assert.Equal(t, config.TokyoStack, tokyo.Stack)
	require.NotEmpty(t, tokyo.Errors)
	assert.Contains(t, tokyo.Errors[0], "no fake for ap-northeast-1")
	assert.Empty(t, rep.Stacks[0].Errors, "the healthy region still reports")
}

// The repo's own Pulumi.yaml still carries its placeholders: a production check refuses it,
// naming the keys; a dev environment only warns.
func TestReadinessRefusesTheRepoPlaceholdersInProduction(t *testing.T) {
	for _, tc := range []struct {
		profile config.Profile
		want    runbook.Status
	}{{config.Production, runbook.Fail}, {config.Dev, runbook.Warn}} {
		w := newWorld()
		d := readDeps(t, w, healthy(w))
		d.Config = func(stack string) (config.Config, error) {
			raw, err := capture.ProjectConfig("..", stack) // the repo's files, as committed
			if err != nil {
				return config.Config{}, err
			}
			cfg, err := config.Parse(stack, raw)
			cfg.Profile = tc.profile
			return cfg, err
		}
		c := byName(runbook.Readiness(context.Background(), d, config.Osaka, config.Planned))["placeholders replaced (make it yours)"]
		assert.Equal(t, tc.want, c.Status, "%s: %s", tc.profile, c.Detail)
		assert.Contains(t, c.Detail, config.KeyDomain+": name \"agm.example.jp\"")
		assert.Contains(t, c.Detail, config.KeyAlarmEmail+": not set")
	}
}
