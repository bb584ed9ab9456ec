package runbook_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// fakeCLI puts a `pulumi` on PATH that answers `version` and `whoami --json` as the real CLI
// does when logged in to backend.
func fakeCLI(t *testing.T, backend string) {
	t.Helper()
	bin := t.TempDir()
	script := "#!/bin/sh\n[ \"$1\" = --non-interactive ] && shift\ncase \"$1\" in\n  version) echo v3.259.0 ;;\n" +
		"  whoami) echo '{\"user\":\"operator\",\"url\":\"" + backend + "\"}' ;;\n  *) echo \"unexpected: $*\" >&2; exit 2 ;;\nesac\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "pulumi"), []byte(script), 0o755))
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// An operator who ran `pulumi login s3://…?region=ap-northeast-1` and set no PULUMI_BACKEND_URL
// has the state in the region being left: the check asks the CLI and fails (it used to pass as
// "Pulumi Cloud", reading only the environment).
func TestBackendCheckAsksTheCLI(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh for the fake CLI")
	}
	t.Setenv("PULUMI_BACKEND_URL", "")
	fakeCLI(t, "s3://agm-dr-state?region=ap-northeast-1")
	url, err := runbook.WhoAmI(repoProject(t), nil)(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "s3://agm-dr-state?region=ap-northeast-1", url)
	c := runbook.BackendCheck(url, nil, config.Tokyo, config.Osaka)
	assert.Equal(t, runbook.Fail, c.Status, c.Detail)

	t.Setenv("PATH", t.TempDir()) // no CLI at all: no evidence, no pass
	_, err = runbook.WhoAmI(repoProject(t), nil)(context.Background())
	require.Error(t, err)
	assert.Equal(t, runbook.Fail, runbook.BackendCheck("", err, config.Tokyo, config.Osaka).Status)
}
