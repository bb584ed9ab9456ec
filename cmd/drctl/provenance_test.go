package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The report's commit is the repo's HEAD, marked dirty when tracked files were changed: a drill
// report names exactly the code it ran.
func TestReportCommitIsTheRepoHead(t *testing.T) {
	dir := t.TempDir()
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@t", "-c", "user.name=t"}, args...)...).CombinedOutput()
		require.NoError(t, err, string(out))
		return string(out)
	}
	git("init", "-q")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: x\n"), 0o644))
	git("add", "Pulumi.yaml")
	git("commit", "-q", "-m", "x")
	head := git("rev-parse", "--short=12", "HEAD")[:12]
	assert.Equal(t, head, gitCommit(dir))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: y\n"), 0o644))
	assert.Equal(t, head+"-dirty", gitCommit(dir))
	assert.Empty(t, gitCommit(t.TempDir()), "not a repo: unknown, never a guess")
}
