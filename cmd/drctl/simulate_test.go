package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/simulate"
)

// TestSimulateWritesTheReportFamilyAndEndsWithASummary runs `drctl simulate` on the repo's
// stacks, offline: JSON, Markdown and SVG are written, and the last lines are the summary
// (a hook shows `drctl simulate ... | tail -4`: the summary).
func TestSimulateWritesTheReportFamilyAndEndsWithASummary(t *testing.T) {
	dir := t.TempDir()
	out, err := drctl(t, "simulate", "--to", config.Osaka, "--dir", repoRoot, "--reports", dir)
	require.NoError(t, err, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.GreaterOrEqual(t, len(lines), 6)
	last := lines[len(lines)-6:]
	assert.True(t, strings.HasPrefix(last[0], "Report: "), last[0])
	assert.Contains(t, last[1], "Switchover to "+config.Osaka)
	assert.Contains(t, last[1], "RTO")
	assert.Contains(t, last[2], "Shareholders:")
	assert.Contains(t, last[3], "Failed requests by reason:")
	assert.Contains(t, last[4], "across the VPC peering")
	assert.Contains(t, last[5], "Bounds:")

	for _, ext := range []string{"json", "md", "svg"} {
		m, err := filepath.Glob(filepath.Join(dir, "simulation-*."+ext))
		require.NoError(t, err)
		require.Len(t, m, 1, ext)
	}
	md, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	b, err := os.ReadFile(md[0])
	require.NoError(t, err)
	for _, s := range []string{"## Impact", "failed votes", "failed session writes", "split traffic",
		"below its active task floor", "read-only", "## RTO and RPO", "## Timeline", "![requests by outcome]"} {
		assert.Contains(t, string(b), s)
	}
	js, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	raw, err := os.ReadFile(js[0])
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"series"`)
}

func TestSimulateBadInputNamesTheFlagAndWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"--to", "eu-west-1"}, "--to"},
		{[]string{"--to", config.Osaka, "--mode", "sideways"}, "--mode"},
		{[]string{"--to", config.Osaka, "--outage", config.Osaka + "@0s"}, "--outage"},
		{[]string{"--to", config.Osaka, "--outage", "mars-1@0s"}, "--outage"},
		{[]string{"--to", config.Osaka, "--outage", config.Tokyo}, "--outage"},
		{[]string{"--to", config.Osaka, "--outage", config.Tokyo + "@-5m"}, "--outage"},
		{[]string{"--to", config.Osaka, "--outage", config.Tokyo + "@soon"}, "--outage"},
		{[]string{"--to", config.Osaka, "--outage", config.Tokyo + "@5m", "--recover-at", "2m"}, "--recover-at"},
		{[]string{"--to", config.Osaka, "--recover-at", "2m"}, "--recover-at"},
		{[]string{"--to", config.Osaka, "--operator-at", "-1m"}, "--operator-at"},
		{[]string{"--to", config.Tokyo}, "--to"}, // already the primary
		{[]string{"--to", config.Osaka, "--scenario", "meteor"}, "--scenario"},
		{[]string{"--to", config.Osaka, "--scenario", "unplanned", "--outage", config.Tokyo + "@1m"}, "--outage"},
	} {
		dir := t.TempDir()
		args := append([]string{"simulate", "--dir", repoRoot, "--reports", dir}, tc.args...)
		out, err := drctl(t, args...)
		require.Error(t, err, "%v: %s", tc.args, out)
		assert.Contains(t, err.Error(), tc.flag, "%v", tc.args)
		entries, _ := os.ReadDir(dir)
		assert.Empty(t, entries, "%v: nothing may be written on bad input", tc.args)
	}
}

// TestSimulateRunsEveryScenarioOfTheIssue: each preset runs offline from the CLI; those whose
// switchover stops by design (a refusal) exit exitIncomplete, every other one exits 0.
func TestSimulateRunsEveryScenarioOfTheIssue(t *testing.T) {
	stops := map[string]bool{"aurora-lag": true, "aurora-refuses": true, "cache-fails": true}
	for _, p := range simulate.Presets(config.Osaka) {
		out, err := drctl(t, "simulate", "--to", config.Osaka, "--scenario", p.Key, "--dir", repoRoot, "--reports", t.TempDir())
		if stops[p.Key] {
			assert.Equal(t, exitIncomplete, exitCode(err), "%s: %s", p.Key, out)
		} else {
			require.NoError(t, err, "%s: %s", p.Key, out)
		}
		assert.Contains(t, out, "Bounds:", p.Key)
		assert.NotContains(t, out, "Bounds: 0 of 0", p.Key)
	}
}

// A planned run that stops because the old primary died, never escalated: the bounds judge what
// shareholders saw (not "0 of 0"), the summary gives the escalation command, and the exit code
// says a bound broke.
func TestSimulateStoppedPlannedRunWithARegionDownFailsLoudly(t *testing.T) {
	out, err := drctl(t, "simulate", "--to", config.Osaka, "--mode", "planned", "--outage", config.Tokyo+"@45s",
		"--recover-at", "40m", "--dir", repoRoot, "--reports", t.TempDir())
	assert.Equal(t, exitBoundBroken, exitCode(err), out)
	assert.Contains(t, out, "STOPPED")
	assert.NotContains(t, out, "completed;")
	assert.Contains(t, out, "drctl switchover --to "+config.Osaka+" --mode unplanned")
	assert.Contains(t, out, "End state: writer "+config.Tokyo)
	assert.NotContains(t, out, "Bounds: 0 of 0")
	assert.Contains(t, out, "shareholder RTO")
}

// --route53-down combines with any outage and with any preset scenario.
func TestSimulateRoute53DownCombinesWithAnyScenario(t *testing.T) {
	for _, f := range []simulateFlags{
		{to: config.Osaka, mode: "unplanned", outage: config.Tokyo + "@0s", route53Down: true},
		{to: config.Osaka, mode: "planned", route53Down: true},
		{to: config.Osaka, mode: "planned", scenario: "recover-after", route53Down: true},
	} {
		sc, err := f.toScenario()
		require.NoError(t, err)
		assert.True(t, sc.Route53Down, "%+v", f)
	}
	sc, err := (&simulateFlags{to: config.Osaka, mode: "planned", scenario: "unplanned-r53-down"}).toScenario()
	require.NoError(t, err)
	assert.True(t, sc.Route53Down, "the preset sets it")
}
