package runbook_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// repoProject copies the repo's own Pulumi.yaml and stack files into a temp dir.
func repoProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.tokyo.yaml", "Pulumi.osaka.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", f))
		require.NoError(t, err)
		if f == "Pulumi.yaml" {
			b = enginetest.MadeOurs(b)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	return dir
}

// changedLines returns the lines that differ between a and b (which have as many lines).
func changedLines(t *testing.T, a, b string) []string {
	t.Helper()
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	require.Equal(t, len(la), len(lb), "no line added or removed")
	var out []string
	for i := range la {
		if la[i] != lb[i] {
			out = append(out, la[i]+" => "+lb[i])
		}
	}
	return out
}

func TestSetPrimaryKeepsCommentsAndChangesOnlyTheValue(t *testing.T) {
	dir := repoProject(t)
	path := filepath.Join(dir, "Pulumi.yaml")
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	p := runbook.NewProjectFile(dir)

	changed, err := p.SetPrimary(context.Background(), config.Osaka, config.Planned)
	require.NoError(t, err)
	assert.True(t, changed)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []string{"    value: ap-northeast-1 =>     value: ap-northeast-3"}, changedLines(t, string(before), string(after)))
	assert.Contains(t, string(after), "# Who serves writes and traffic now.", "comments survive")

	raw, err := capture.ProjectConfig(dir, config.TokyoStack)
	require.NoError(t, err)
	cfg, err := config.Parse(config.TokyoStack, raw)
	require.NoError(t, err, "the edited file is still a valid configuration")
	assert.Equal(t, config.Osaka, cfg.PrimaryRegion)
	assert.Equal(t, config.Tokyo, cfg.HomeRegion, "homeRegion has the same value but is not touched")

	got, err := p.Primary(context.Background())
	require.NoError(t, err)
	assert.Equal(t, config.Osaka, got)

	changed, err = p.SetPrimary(context.Background(), config.Osaka, config.Planned)
	require.NoError(t, err)
	assert.False(t, changed, "setting the same value again is a no-op")
	again, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(after), string(again))
}

func TestSetPrimaryUnplannedAlsoSetsTheMode(t *testing.T) {
	dir := repoProject(t)
	path := filepath.Join(dir, "Pulumi.yaml")
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = runbook.NewProjectFile(dir).SetPrimary(context.Background(), config.Osaka, config.Unplanned)
	require.NoError(t, err)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"    value: ap-northeast-1 =>     value: ap-northeast-3",
		"      mode: planned =>       mode: unplanned",
	}, changedLines(t, string(before), string(after)))
}

func TestSetPrimaryKeepsQuotingAndTrailingComments(t *testing.T) {
	dir := t.TempDir()
	src := "name: agm-dr\nruntime: go\nconfig:\n  agm-dr:primaryRegion:\n    value: \"ap-northeast-1\"  # moved by drctl\n" +
		"  agm-dr:switchover:\n    value: {mode: 'planned', rpoBudgetSeconds: 10}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(src), 0o600))
	_, err := runbook.NewProjectFile(dir).SetPrimary(context.Background(), config.Osaka, config.Unplanned)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "name: agm-dr\nruntime: go\nconfig:\n  agm-dr:primaryRegion:\n    value: \"ap-northeast-3\"  # moved by drctl\n"+
		"  agm-dr:switchover:\n    value: {mode: 'unplanned', rpoBudgetSeconds: 10}\n", string(b))
	st, err := os.Stat(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the file mode is kept")
}

func TestSetPrimaryRefusesAFileWithoutTheKey(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: x\nconfig:\n  agm-dr:homeRegion: ap-northeast-1\n"), 0o644))
	_, err := runbook.NewProjectFile(dir).SetPrimary(context.Background(), config.Osaka, config.Planned)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no agm-dr:primaryRegion under config:")
	assert.Contains(t, err.Error(), "Pulumi.yaml")
}
