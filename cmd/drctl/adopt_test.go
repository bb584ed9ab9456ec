package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/adopt/adopttest"
)

// adoptProject copies the repo's project files into a temporary directory with the name
// prefix of e's target, so the global names are unique in the shared emulator, and points
// drctl at e's clients and a stack with resources.
func adoptProject(t *testing.T, e *adopttest.Env, resources int) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.osaka.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	b, err := os.ReadFile(filepath.Join(repoRoot, "Pulumi.tokyo.yaml"))
	require.NoError(t, err)
	prefix := strings.TrimSuffix(e.Target.GlobalClusterID, "-global")
	b = append(b, []byte("  agm-dr:namePrefix: "+prefix+"\n")...)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.tokyo.yaml"), b, 0o644))

	oldC, oldR, oldI, oldE := openAdoptClients, stackResources, runImport, stackExists
	t.Cleanup(func() { openAdoptClients, stackResources, runImport, stackExists = oldC, oldR, oldI, oldE })
	stackExists = func(context.Context, string, string) (bool, error) { return true, nil }
	// The import runs the engine: TestAdoptOnTheRealStacks covers it. Here it only says it ran.
	runImport = func(_ context.Context, w io.Writer, _, stack string, _ adopt.Clients, _ adopt.Existing, _ adopt.Target) error {
		_, err := fmt.Fprintf(w, "import into %s: stubbed\n", stack)
		return err
	}
	openAdoptClients = func(context.Context, string, string) (adopt.Clients, error) { return e.Clients, nil }
	stackResources = func(context.Context, string, string) (int, error) { return resources, nil }
	return dir
}

func adoptArgs(dir string, e *adopttest.Env, extra ...string) []string {
	x := e.Existing
	args := []string{"adopt", "--dir", dir, "--vpc", x.VpcID, "--cluster", x.ClusterID, "--replication-group", x.ReplicationGroup,
		"--ecs-cluster", x.ECSCluster, "--ecs-service", x.ECSService}
	for _, q := range x.Queues {
		args = append(args, "--queue", q)
	}
	if x.MasterPasswordSecret != "" {
		args = append(args, "--master-password-secret", x.MasterPasswordSecret)
	}
	for _, b := range x.Buckets {
		args = append(args, "--bucket", b)
	}
	return append(args, extra...)
}

// TestAdoptCommand runs `drctl adopt` on the repo's config against an existing Tokyo: --check
// lists a planted blocker and exits 3; a clean Tokyo shows the steps with their impact and
// changes nothing without --yes; --yes converts, and a second --yes run only reads.
func TestAdoptCommand(t *testing.T) {
	t.Run("check lists a blocker and changes nothing", func(t *testing.T) {
		spec := adopttest.GoodTokyo
		spec.Transit = false
		e := adopttest.BuildTokyo(t, spec)
		out, err := drctl(t, adoptArgs(adoptProject(t, e, 0), e, "--check")...)
		assert.Equal(t, exitNotReady, exitCode(err), out)
		assert.Contains(t, out, "1 blocker(s)")
		assert.Contains(t, out, "transit encryption (TLS) is off")
		assert.NotContains(t, out, "impact:", "--check shows the blockers, not the steps")
		assert.False(t, e.GlobalExists(t))
	})
	t.Run("steps, then conversion with --yes, then a re-run", func(t *testing.T) {
		e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
		dir := adoptProject(t, e, 0)
		out, err := drctl(t, adoptArgs(dir, e)...)
		require.NoError(t, err, out)
		assert.Contains(t, out, "impact: reads unaffected; for about 15 minutes")
		assert.Contains(t, out, "No blockers.")
		assert.Contains(t, out, "Nothing was changed")
		assert.False(t, e.GlobalExists(t), "no conversion without --yes")

		out, err = drctl(t, adoptArgs(dir, e, "--yes")...)
		require.NoError(t, err, out)
		assert.Contains(t, out, "global cluster     done now")
		assert.True(t, e.GlobalExists(t))

		out, err = drctl(t, adoptArgs(dir, e, "--yes")...)
		require.NoError(t, err, out)
		assert.Equal(t, 3, strings.Count(out, "already done"), out)
	})
	t.Run("a stack that already has resources is refused", func(t *testing.T) {
		e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
		out, err := drctl(t, adoptArgs(adoptProject(t, e, 12), e, "--yes")...)
		assert.Equal(t, exitRefused, exitCode(err), out)
		assert.ErrorContains(t, err, "stack tokyo already has 12 resource(s)")
		assert.False(t, e.GlobalExists(t))
		assert.Zero(t, e.World.Count("DescribeReplicationGroups"), "refused before anything was read")
	})
	t.Run("--yes without the password secret is refused", func(t *testing.T) {
		e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
		e.Existing.MasterPasswordSecret = ""
		out, err := drctl(t, adoptArgs(adoptProject(t, e, 0), e, "--yes")...)
		assert.Equal(t, exitRefused, exitCode(err), out)
		assert.ErrorContains(t, err, "--master-password-secret is required with --yes")
		assert.False(t, e.GlobalExists(t))
	})
	t.Run("a stack that does not exist is refused before anything changes", func(t *testing.T) {
		e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
		dir := adoptProject(t, e, 0)
		stackExists = func(context.Context, string, string) (bool, error) { return false, nil }
		out, err := drctl(t, adoptArgs(dir, e, "--yes")...)
		assert.Equal(t, exitRefused, exitCode(err), out)
		assert.ErrorContains(t, err, "pulumi stack init tokyo")
		assert.False(t, e.GlobalExists(t))
	})
	t.Run("a password secret that does not exist is refused", func(t *testing.T) {
		e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
		e.Existing.MasterPasswordSecret = "prod/no-such-secret"
		out, err := drctl(t, adoptArgs(adoptProject(t, e, 0), e, "--yes")...)
		assert.Equal(t, exitRefused, exitCode(err), out)
		assert.ErrorContains(t, err, "secret prod/no-such-secret does not exist")
		assert.False(t, e.GlobalExists(t))
	})
	t.Run("a nonexistent cluster is refused", func(t *testing.T) {
		e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
		e.Existing.ClusterID = "shareholders-typo"
		out, err := drctl(t, adoptArgs(adoptProject(t, e, 0), e, "--yes")...)
		assert.Equal(t, exitRefused, exitCode(err), out)
		assert.ErrorContains(t, err, "aurora cluster shareholders-typo does not exist")
		assert.Zero(t, e.World.Count("CreateGlobalReplicationGroup"))
	})
}

func TestAdoptNeedsTheResourceFlags(t *testing.T) {
	out, err := drctl(t, "adopt", "--dir", repoRoot, "--check", "--cluster", "shareholders-prod")
	assert.Equal(t, exitRefused, exitCode(err), out)
	assert.ErrorContains(t, err, "--vpc is required")
}
