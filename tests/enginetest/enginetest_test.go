package enginetest

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
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
