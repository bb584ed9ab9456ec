package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

const projectYAML = "name: agm-dr\nruntime: go\nconfig:\n  agm-dr:primaryRegion:\n    value: ap-northeast-1\n"

// project writes Pulumi.yaml and the given stack files into a temp dir.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(projectYAML), 0o644))
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

// A stack file that sets the primary or the home region is refused, naming the file, the line and
// the key; a YAML syntax error names the file, the line and the key there.
func TestCheckFilesRefusesProjectOnlyKeysAndBadYAML(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error; none: no error
	}{
		{"committed shape", map[string]string{"Pulumi.osaka.yaml": "config:\n  aws:region: ap-northeast-3\nencryptionsalt: v1:abc\n"}, nil},
		{"no stack files", nil, nil},
		{"primaryRegion in osaka", map[string]string{"Pulumi.osaka.yaml": "config:\n  aws:region: ap-northeast-3\n  agm-dr:primaryRegion: ap-northeast-3\n"},
			[]string{"Pulumi.osaka.yaml line 3 (key agm-dr:primaryRegion)", "set only in Pulumi.yaml", "fix: delete that line from Pulumi.osaka.yaml"}},
		{"homeRegion in tokyo", map[string]string{"Pulumi.tokyo.yaml": "config:\n  agm-dr:homeRegion: ap-northeast-3\n  aws:region: ap-northeast-1\n"},
			[]string{"Pulumi.tokyo.yaml line 2 (key agm-dr:homeRegion)"}},
		{"without the namespace", map[string]string{"Pulumi.tokyo.yaml": "config:\n  aws:region: ap-northeast-1\n  primaryRegion: ap-northeast-3\n"},
			[]string{"Pulumi.tokyo.yaml line 3 (key primaryRegion)"}},
		{"YAML syntax error in a stack file", map[string]string{"Pulumi.osaka.yaml": "config:\n  aws:region: ap-northeast-3\n  agm-dr:appImage: \"2026.06.1\n"},
			[]string{"Pulumi.osaka.yaml line 3 (key agm-dr:appImage)", "YAML syntax error", "fix: correct the YAML"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := config.CheckFiles(project(t, tc.files))
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			var fe *config.FileError
			assert.True(t, errors.As(err, &fe), "a *config.FileError")
		})
	}
}

func TestCheckFilesNamesTheLineOfAYAMLErrorInPulumiYAML(t *testing.T) {
	dir := t.TempDir()
	src := "name: agm-dr\nconfig:\n  agm-dr:primaryRegion:\n    value: ap-northeast-1\n  agm-dr:capacity:\n    value:\n      primaryTasks: 6\n     standbyTasks: 2\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(src), 0o644))
	err := config.CheckFiles(dir)
	require.Error(t, err)
	assert.Regexp(t, `^Pulumi\.yaml line 5 \(key agm-dr:capacity\): YAML syntax error`, err.Error(), "the line and key yaml reports: where the broken block starts")
}

type noMocks struct{}

func (noMocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return a.Name, a.Inputs, nil
}
func (noMocks) Call(a pulumi.MockCallArgs) (resource.PropertyMap, error) { return a.Args, nil }

// The program refuses the override itself, before it reads any config, so a plain `pulumi up`
// is refused too (the engine passes the project's root directory).
func TestLoadRefusesAStackFileThatSetsThePrimary(t *testing.T) {
	dir := project(t, map[string]string{"Pulumi.osaka.yaml": "config:\n  aws:region: ap-northeast-3\n  agm-dr:primaryRegion: ap-northeast-3\n"})
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := config.Load(ctx)
		return err
	}, pulumi.WithMocks("agm-dr", config.OsakaStack, noMocks{}), func(ri *pulumi.RunInfo) { ri.RootDirectory = dir })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Pulumi.osaka.yaml line 3 (key agm-dr:primaryRegion)")
}
