package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// The pack under the real engine (`pulumi preview --policy-pack`), on a deliberately broken
// program: the preview must fail and name the rule. The clean run on the repo's own stacks is in
// cmd/drctl's TestDrctlOnTheRealStacks, after the bring-up.
func TestPolicyPackRefusesABrokenProgram(t *testing.T) {
	root := enginetest.RepoRoot(t)
	shared := enginetest.SharedTools(t, root)
	cli := enginetest.CLI(t)
	tmp := t.TempDir()
	plugins := filepath.Join(tmp, "plugins")
	enginetest.Build(t, root, filepath.Join(plugins, "pulumi-resource-aws"), "./cmd/pulumi-resource-aws-fake")
	fixture, err := filepath.Abs(filepath.Join("testdata", "broken"))
	require.NoError(t, err)
	pack, err := filepath.Abs(".")
	require.NoError(t, err)

	env := append(os.Environ(),
		"PATH="+strings.Join([]string{plugins, shared, cli, os.Getenv("PATH")}, string(os.PathListSeparator)),
		"PULUMI_BACKEND_URL=file://"+filepath.Join(tmp),
		"PULUMI_CONFIG_PASSPHRASE=policy-test-only",
		"PULUMI_HOME="+filepath.Join(tmp, "home"),
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
	)
	run := func(args ...string) (string, error) {
		cmd := exec.Command(filepath.Join(cli, "pulumi"), append(args, "--non-interactive")...)
		cmd.Dir, cmd.Env = fixture, env
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	out, err := run("stack", "init", "broken", "--no-select")
	require.NoError(t, err, out)
	t.Cleanup(func() { _ = os.Remove(filepath.Join(fixture, "Pulumi.broken.yaml")) })
	_, err = run("config", "set", "aws:region", "ap-northeast-1", "-s", "broken")
	require.NoError(t, err)

	out, err = run("preview", "-s", "broken", "--policy-pack", pack)
	require.Error(t, err, "a mandatory rule was broken: the preview must fail\n%s", out)
	assert.Contains(t, out, "AGM-RDS-001", out)
	assert.Contains(t, out, "mandatory")
}
