package runbook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The shadow project runs the prebuilt binary with the operator's config, and the operator's
// Pulumi.yaml is left as it was.
func TestShadowProjectRunsTheBinaryWithTheProjectsConfig(t *testing.T) {
	dir, shadow := t.TempDir(), t.TempDir()
	project := "name: agm-dr\nruntime: go\n# keep me\nplugins:\n  providers:\n    - name: agmdr\n      path: ./bin\n" +
		"config:\n  agm-dr:primaryRegion:\n    value: ap-northeast-3\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(project), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.osaka.yaml"), []byte("config:\n  aws:region: ap-northeast-3\n"), 0o644))

	require.NoError(t, writeShadow(dir, shadow, "/cache/program"))

	orig, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	assert.Equal(t, project, string(orig), "the operator's Pulumi.yaml is untouched")
	b, err := os.ReadFile(filepath.Join(shadow, "Pulumi.yaml"))
	require.NoError(t, err)
	var got struct {
		Runtime struct {
			Name    string
			Options map[string]string
		}
		Plugins struct{ Providers []struct{ Name, Path string } }
		Config  map[string]map[string]string
	}
	require.NoError(t, yaml.Unmarshal(b, &got))
	assert.Equal(t, "go", got.Runtime.Name)
	assert.Equal(t, "/cache/program", got.Runtime.Options["binary"])
	require.Len(t, got.Plugins.Providers, 1)
	assert.Equal(t, filepath.Join(dir, "bin"), got.Plugins.Providers[0].Path, "relative plugin paths resolve from the project")
	assert.Equal(t, "ap-northeast-3", got.Config["agm-dr:primaryRegion"]["value"])
	assert.FileExists(t, filepath.Join(shadow, "Pulumi.osaka.yaml"))
}

func TestSwitchoverURNsAreTheAgmdrResources(t *testing.T) {
	urns, err := switchoverURNs([]byte(`{"resources":[
		{"urn":"urn:pulumi:osaka::agm-dr::pulumi:pulumi:Stack::agm-dr-osaka","type":"pulumi:pulumi:Stack"},
		{"urn":"urn:a","type":"agmdr:index:AuroraWriter"},
		{"urn":"urn:b","type":"aws:rds/cluster:Cluster"},
		{"urn":"urn:c","type":"agmdr:index:Traffic"}]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"urn:a", "urn:c"}, urns)
	none, err := switchoverURNs(nil)
	require.NoError(t, err)
	assert.Empty(t, none)
}

// The refresh after traffic moved reads every custom resource but Route 53's: reading those is
// Route 53's control plane (us-east-1), which an unplanned failover must not need.
func TestRefreshSkipsRoute53Resources(t *testing.T) {
	urns, err := refreshableURNs([]byte(`{"resources":[
		{"urn":"urn:stack","type":"pulumi:pulumi:Stack","custom":false},
		{"urn":"urn:provider","type":"pulumi:providers:aws","custom":true},
		{"urn":"urn:component","type":"agm-dr:dns:Record","custom":false},
		{"urn":"urn:hc","type":"aws:route53/healthCheck:HealthCheck","custom":true},
		{"urn":"urn:rec","type":"aws:route53/record:Record","custom":true},
		{"urn":"urn:db","type":"aws:rds/cluster:Cluster","custom":true},
		{"urn":"urn:traffic","type":"agmdr:index:Traffic","custom":true}]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"urn:db", "urn:traffic"}, urns)
}
