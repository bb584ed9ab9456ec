package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// gateProject writes a project running the prebuilt testdata/adoptgate program (random strings
// named by the config key adoptgate:names) with the shared random plugin and Go language host
// on PATH, a file backend, and an initialised stack tokyo.
func gateProject(t *testing.T) (dir string, pulumi func(args ...string) []byte) {
	t.Helper()
	cli := enginetest.CLI(t)
	root := enginetest.RepoRoot(t)
	shared := enginetest.SharedTools(t, root)
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "project")
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "state"), 0o755))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	bin := filepath.Join(tmp, "adoptgate")
	enginetest.Build(t, root, bin, "./cmd/drctl/testdata/adoptgate")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"),
		[]byte("name: adoptgate\nruntime:\n  name: go\n  options:\n    binary: "+bin+"\n"), 0o644))
	for k, v := range map[string]string{
		"PATH":                     strings.Join([]string{cli, shared, os.Getenv("PATH")}, string(os.PathListSeparator)),
		"PULUMI_BACKEND_URL":       "file://" + filepath.Join(tmp, "state"),
		"PULUMI_CONFIG_PASSPHRASE": "adopt-tests-only",
		"PULUMI_HOME":              filepath.Join(tmp, "pulumi-home"),
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	} {
		t.Setenv(k, v)
	}
	pulumi = func(args ...string) []byte {
		cmd := exec.Command(filepath.Join(cli, "pulumi"), args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "pulumi %v:\n%s", args, out)
		return out
	}
	pulumi("stack", "init", "tokyo")
	return dir, pulumi
}

// TestVerifyImportGatesARealPreview runs the import-plan gate on a real engine preview: a plan
// that only creates passes and says what it counted; a plan that deletes a resource is refused
// (exit 3) and the stack keeps it. (Which ops on which types are refused, including a replace
// of a data resource, is TestRefuseDataChanges in adopt.)
func TestVerifyImportGatesARealPreview(t *testing.T) {
	dir, pulumi := gateProject(t)
	ctx := context.Background()
	pulumi("config", "set", "-s", "tokyo", "adoptgate:names", "votes")
	pulumi("up", "--yes", "--skip-preview", "-s", "tokyo")

	pulumi("config", "set", "-s", "tokyo", "adoptgate:names", "votes,sessions")
	var out strings.Builder
	s, found, err := selectStack(ctx, dir, "tokyo")
	require.NoError(t, err)
	require.True(t, found)
	require.NoError(t, verifyImport(ctx, &out, s), out.String())
	assert.Regexp(t, `create\s+1`, out.String())
	assert.Contains(t, out.String(), "deletes nothing")

	pulumi("config", "set", "-s", "tokyo", "adoptgate:names", "sessions")
	out.Reset()
	err = verifyImport(ctx, &out, s)
	assert.Equal(t, exitNotReady, exitCode(err), out.String())
	assert.ErrorContains(t, err, "delete urn:pulumi:tokyo::adoptgate::random:index/randomString:RandomString::votes")
	n, err := stackResources(ctx, dir, "tokyo")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the preview changed nothing")
}

// TestStackResourcesReadsARealStack runs the refusal of a non-empty stack, and of a stack that
// does not exist, on the real Pulumi CLI and a file backend: a stack that does not exist and a
// new stack count 0; after a
// deployment with a queue is imported into the state, the stack counts 1 (the stack and its
// provider are not counted).
func TestStackResourcesReadsARealStack(t *testing.T) {
	cli := enginetest.CLI(t)
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "project")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	b, err := os.ReadFile(filepath.Join(repoRoot, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), b, 0o644))
	for k, v := range map[string]string{
		"PATH":                     cli + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_BACKEND_URL":       "file://" + filepath.Join(tmp, "state"),
		"PULUMI_CONFIG_PASSPHRASE": "adopt-tests-only",
		"PULUMI_HOME":              filepath.Join(tmp, "pulumi-home"),
		"PULUMI_SKIP_UPDATE_CHECK": "true",
	} {
		t.Setenv(k, v)
	}
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "state"), 0o755))
	pulumi := func(args ...string) []byte {
		cmd := exec.Command(filepath.Join(cli, "pulumi"), args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		require.NoError(t, err, "pulumi %v", args)
		return out
	}
	ctx := context.Background()

	n, err := stackResources(ctx, dir, "tokyo")
	require.NoError(t, err)
	assert.Zero(t, n, "a stack that does not exist has no resources")
	exists, err := stackExists(ctx, dir, "tokyo")
	require.NoError(t, err)
	assert.False(t, exists)
	pulumi("stack", "init", "tokyo")
	exists, err = stackExists(ctx, dir, "tokyo")
	require.NoError(t, err)
	assert.True(t, exists)
	n, err = stackResources(ctx, dir, "tokyo")
	require.NoError(t, err)
	assert.Zero(t, n, "a new stack has no resources")

	var dep map[string]any
	require.NoError(t, json.Unmarshal(pulumi("stack", "export", "-s", "tokyo"), &dep))
	const provider = "urn:pulumi:tokyo::agm-dr::pulumi:providers:aws::default_6_83_4"
	dep["deployment"].(map[string]any)["resources"] = []map[string]any{
		{"urn": "urn:pulumi:tokyo::agm-dr::pulumi:pulumi:Stack::agm-dr-tokyo", "custom": false, "type": "pulumi:pulumi:Stack"},
		{"urn": provider, "custom": true, "id": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "type": "pulumi:providers:aws"},
		{"urn": "urn:pulumi:tokyo::agm-dr::aws:sqs/queue:Queue::votes", "custom": true, "id": "https://sqs.ap-northeast-1.amazonaws.com/123456789012/votes",
			"type": "aws:sqs/queue:Queue", "provider": provider + "::04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
	}
	raw, err := json.Marshal(dep)
	require.NoError(t, err)
	file := filepath.Join(tmp, "deployment.json")
	require.NoError(t, os.WriteFile(file, raw, 0o644))
	pulumi("stack", "import", "-s", "tokyo", "--file", file)
	n, err = stackResources(ctx, dir, "tokyo")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}
