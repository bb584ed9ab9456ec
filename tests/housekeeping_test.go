package tests

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repoFiles lists the repo's files with one of the extensions, skipping build output and tools.
func repoFiles(t *testing.T, exts ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "bin", "reports", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(path, e) {
				out = append(out, path)
			}
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, out)
	return out
}

// TestNoSourceFileOutgrowsOneIdea: a non-test Go file over 300 lines is usually two ideas; split
// it by idea.
func TestNoSourceFileOutgrowsOneIdea(t *testing.T) {
	for _, path := range repoFiles(t, ".go") {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		n := strings.Count(string(b), "\n")
		assert.LessOrEqual(t, n, 300, "%s has %d lines: split it by idea", path, n)
	}
}

// TestNoTrackerNumbers: code, help text and docs name the thing (the scenario, the bound, the
// finding), never an issue number users cannot look up.
func TestNoTrackerNumbers(t *testing.T) {
	re := regexp.MustCompile(`(?i)\bissues? #?[0-9]+`)
	for _, path := range repoFiles(t, ".go", ".md", ".yaml", "Makefile", ".sh") {
		if strings.HasSuffix(path, "housekeeping_test.go") {
			continue
		}
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		for i, line := range strings.Split(string(b), "\n") {
			assert.False(t, re.MatchString(line), "%s:%d names a tracker issue: %s", path, i+1, line)
		}
	}
}

// TestDocsCountTheSwitchoverResources: the refresh before each up reads the switchover resources
// only; the docs say how many there are, and this keeps the number true.
func TestDocsCountTheSwitchoverResources(t *testing.T) {
	res := mustRun(t, "tokyo", nil)
	n := 0
	for _, r := range res.Resources {
		if strings.HasPrefix(string(r.Type), "agmdr:") {
			n++
		}
	}
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "testing.md"))
	require.NoError(t, err)
	assert.Contains(t, string(b), fmt.Sprintf("the %d switchover resources only", n))
}
