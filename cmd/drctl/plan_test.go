package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/stacks"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// repoRoot is the repository, where Pulumi.yaml lives.
const repoRoot = "../.."

// drctl runs the CLI in-process and returns its output and error.
func drctl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetIn(strings.NewReader(""))
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run `go test ./cmd/drctl -run %s -update` to create it", t.Name())
	assert.Equal(t, string(want), got, "output changed: review it, then `go test ./cmd/drctl -update`")
}

// TestPlanOnTheRepoStacksChangesOnlyWhatTheFlipContractAllows runs `drctl plan` on the repo's
// own stacks: the printed diff is the golden file, and every change in it is allowed.
func TestPlanOnTheRepoStacksChangesOnlyWhatTheFlipContractAllows(t *testing.T) {
	out, err := drctl(t, "plan", "--to", config.Osaka, "--dir", repoRoot)
	require.NoError(t, err, out)
	golden(t, "plan.golden", out)

	p, err := runbook.MakePlan(stacks.Program, repoRoot, config.Osaka, config.Planned)
	require.NoError(t, err)
	require.Len(t, p.Stacks, 2)
	assert.Equal(t, config.OsakaStack, p.Stacks[0].Stack, "the new primary's stack is updated first")
	for _, s := range p.Stacks {
		seen := map[string]bool{}
		for _, c := range s.Changes {
			assert.Equal(t, "update", c.Kind, "stack %s: the flip must not add or delete %s %s", s.Stack, c.Type, c.Name)
			assert.Contains(t, stacks.FlipAllowed[c.Type], c.Property,
				"stack %s: %s %s input %q changes with the flip, which the flip contract does not allow", s.Stack, c.Type, c.Name, c.Property)
			seen[c.Type+"."+c.Property] = true
			ignored := c.Type == "aws:appautoscaling/target:Target" && c.Property == "minCapacity" ||
				c.Type == "aws:ecs/service:Service" && c.Property == "desiredCount"
			assert.Equal(t, ignored, c.Ignored, "stack %s: %s %s: marked ignored only where the program ignores changes", s.Stack, c.Type, c.Property)
		}
		for _, must := range []string{"agmdr:index:AuroraWriter.writer", "agmdr:index:CachePrimary.primary", "agmdr:index:Traffic.primaryRegion", "agmdr:index:Capacity.roleFloor"} {
			assert.True(t, seen[must], "stack %s: the flip must change %s", s.Stack, must)
		}
	}
	assert.Empty(t, p.Violations)
}

func TestPlanToTheCurrentPrimaryChangesNothing(t *testing.T) {
	out, err := drctl(t, "plan", "--to", "tokyo", "--dir", repoRoot)
	require.NoError(t, err, out)
	assert.Contains(t, out, "ap-northeast-1 is already the primary: nothing changes")
	assert.Equal(t, 2, strings.Count(out, " 0 input change(s)"))
}

func TestPlanRejectsAnUnknownRegionWithUsageExit(t *testing.T) {
	_, err := drctl(t, "plan", "--to", "us-east-1", "--dir", repoRoot)
	var ee *exitError
	require.True(t, errors.As(err, &ee))
	assert.Equal(t, 2, ee.code)
	assert.Contains(t, err.Error(), "ap-northeast-3 (osaka)")
}

// TestOutputNamesMatchStacks: runbook keeps its own copy of the output names it reads, so it
// builds without the program; they must be the program's.
func TestOutputNamesMatchStacks(t *testing.T) {
	for mine, theirs := range map[string]string{
		runbook.OutRole: stacks.OutRole, runbook.OutPrimaryRegion: stacks.OutPrimaryRegion, runbook.OutAppImage: stacks.OutAppImage,
		runbook.OutBucketName: stacks.OutBucketName, runbook.OutAuroraGlobalWriter: stacks.OutAuroraGlobalWriter,
		runbook.OutAuroraGlobalCluster: stacks.OutAuroraGlobalCluster, runbook.OutAuroraCluster: stacks.OutAuroraCluster,
		runbook.OutCacheGlobalID: stacks.OutCacheGlobalID, runbook.OutCacheReplicationGrp: stacks.OutCacheReplicationGrp,
		runbook.OutQueueURL: stacks.OutQueueURL, runbook.OutDeadLetterQueueURL: stacks.OutDeadLetterQueueURL,
		runbook.OutClusterName: stacks.OutClusterName, runbook.OutServiceName: stacks.OutServiceName,
		runbook.OutSwitchoverWriter: stacks.OutSwitchoverWriter, runbook.OutSwitchoverCache: stacks.OutSwitchoverCache,
		runbook.OutLastSwitchoverSecond: stacks.OutLastSwitchoverSecond, runbook.OutVpcID: stacks.OutVpcID,
		runbook.OutCacheEndpoint: stacks.OutCacheEndpoint, runbook.OutPeeringID: stacks.OutPeeringID,
	} {
		assert.Equal(t, theirs, mine)
	}
}

func TestSwitchoverWithoutConfirmationChangesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.tokyo.yaml", "Pulumi.osaka.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	withFakes(t, &fakeStacks{dir: dir, writer: config.Tokyo})
	before, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	out, err := drctl(t, "switchover", "--to", "osaka", "--skip-check", "--no-probe", "--dir", dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not confirmed")
	assert.Contains(t, out, "2. pulumi up osaka", "the steps are shown before asking")
	after, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
	assert.Equal(t, report.Refused, reportOf(t, dir).Result, "a run not confirmed writes its report too")
}

// TestDocsStateThePlannedRTO: the RTO estimate docs/testing.md quotes is the one `drctl plan`
// prints for the repo's config (the golden file).
func TestDocsStateThePlannedRTO(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "plan.golden"))
	require.NoError(t, err)
	m := regexp.MustCompile(`Expected RTO \(steps 1–3\): ([0-9.]+–[0-9.]+ min)`).FindStringSubmatch(string(golden))
	require.Len(t, m, 2)
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "testing.md"))
	require.NoError(t, err)
	assert.Contains(t, string(doc), "estimates the RTO of the repo's config at "+m[1])
}
