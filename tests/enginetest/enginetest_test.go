package enginetest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

// tb records how a helper ended the test instead of ending it.
type tb struct {
	testing.TB
	skipped, failed string
}

func (r *tb) Helper()           {}
func (r *tb) Skip(args ...any)  { r.skipped = args[0].(string); runtime.Goexit() }
func (r *tb) Fatal(args ...any) { r.failed = args[0].(string); runtime.Goexit() }

func run(t *testing.T, fn func(testing.TB)) *tb {
	r := &tb{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); fn(r) }()
	<-done
	return r
}

func TestMissingSharedToolsSayWhereAndHow(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(SharedToolsEnv, empty)

	t.Setenv("CI", "")
	r := run(t, func(tb testing.TB) { SharedTools(tb, "/repo") })
	assert.Empty(t, r.failed)
	assert.Contains(t, r.skipped, empty+"/pulumi-language-go", "where it is expected")
	assert.Contains(t, r.skipped, "shared/tools/README.md", "how to rebuild it")

	t.Setenv("CI", "true")
	r = run(t, func(tb testing.TB) { SharedTools(tb, "/repo") })
	assert.Empty(t, r.skipped, "CI never skips")
	assert.Contains(t, r.failed, "pulumi-language-go")

	t.Setenv("AGMDR_PULUMI_BIN", "")
	r = run(t, func(tb testing.TB) { CLI(tb) })
	assert.Contains(t, r.failed, "AGMDR_PULUMI_BIN")
	assert.Contains(t, r.failed, ".ci/pulumi-cli.sh")
}

func TestWriteProjectKeepsTheRepoConfigButPrefixAndPoll(t *testing.T) {
	root := RepoRoot(t)
	dir := t.TempDir()
	WriteProject(t, root, dir, "t123", "/plugins/agmdr", "/bin/program")
	raw, err := capture.ProjectConfig(dir, "osaka")
	require.NoError(t, err)
	cfg, err := config.Parse("osaka", raw)
	require.NoError(t, err)
	assert.Equal(t, "t123", cfg.NamePrefix)
	assert.Equal(t, 1, cfg.Switchover.PollSeconds)
	want, err := capture.ProjectConfig(root, "osaka")
	require.NoError(t, err)
	assert.Equal(t, want["agm-dr:primaryRegion"], raw["agm-dr:primaryRegion"])
	b, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "binary: /bin/program")
	assert.Contains(t, string(b), "path: /plugins/agmdr")
}
