package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
)

// fakeRegion answers the AWS reads of the readiness check and of "under way".
type fakeRegion struct{ fake *fakeStacks }

func (r fakeRegion) GlobalWriter(context.Context, string) (string, error) { return r.fake.writer, nil }
func (r fakeRegion) CachePrimary(context.Context, string) (string, error) { return r.fake.writer, nil }
func (fakeRegion) ReplicationLag(context.Context, string) (time.Duration, bool, error) {
	return time.Second, true, nil
}
func (fakeRegion) Service(context.Context, string, string) (runbook.Service, error) {
	return runbook.Service{Status: "ACTIVE", Running: 2, Desired: 2}, nil
}
func (fakeRegion) Queue(context.Context, string) (runbook.Queue, error) { return runbook.Queue{}, nil }

// withFakes runs the commands on fake stacks, a fake AWS, a backend outside both regions and
// tools that are present; each is restored after the test.
func withFakes(t *testing.T, fake *fakeStacks) {
	t.Helper()
	oldStacks, oldRun, oldDeps, oldLook := openStacks, openForRun, readDeps, lookPath
	t.Cleanup(func() { openStacks, openForRun, readDeps, lookPath = oldStacks, oldRun, oldDeps, oldLook })
	openStacks = func(string) runbook.Stacks { return fake }
	openForRun = func(context.Context, io.Writer, string) (runbook.Stacks, error) { return fake, nil }
	readDeps = func(dir string, ws runbook.Stacks) runbook.ReadDeps {
		return runbook.ReadDeps{Stacks: ws, Config: stackConfig(dir),
			AWS:     func(context.Context, string) (runbook.Region, error) { return fakeRegion{fake}, nil },
			Backend: runbook.KnownBackend("s3://agm-dr-state?region=ap-southeast-1"),
			Sleep:   func(context.Context, time.Duration) error { return nil }}
	}
	lookPath = func(string) (string, error) { return "/usr/bin/true", nil }
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_PROFILE", "")
}

// exitCode is the process exit code main would use for err.
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return exitFailed
	}
	return exitOK
}

// reportOf reads the one report the run wrote.
func reportOf(t *testing.T, dir string) report.Report {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "reports", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1, "one report written")
	rep, err := report.Read(files[0])
	require.NoError(t, err)
	return rep
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// Every command refuses a stack file that sets primaryRegion, and a YAML syntax error, before
// anything runs, with exit code 2 and a message naming the file, the line and the key.
func TestEveryCommandRefusesBadProjectFiles(t *testing.T) {
	cases := map[string]struct {
		file, body string
		want       string
	}{
		"primaryRegion in a stack file": {"Pulumi.osaka.yaml", "# Osaka\nconfig:\n  aws:region: ap-northeast-3\n  agm-dr:primaryRegion: ap-northeast-3\n",
			"Pulumi.osaka.yaml line 4 (key agm-dr:primaryRegion)"},
		"homeRegion in a stack file": {"Pulumi.tokyo.yaml", "config:\n  agm-dr:homeRegion: ap-northeast-3\n  aws:region: ap-northeast-1\n",
			"Pulumi.tokyo.yaml line 2 (key agm-dr:homeRegion)"},
		"YAML syntax error in a stack file": {"Pulumi.osaka.yaml", "config:\n  aws:region: ap-northeast-3\n  agm-dr:appImage: \"2026\n",
			"Pulumi.osaka.yaml line 3 (key agm-dr:appImage): YAML syntax error"},
	}
	commands := [][]string{
		{"plan", "--to", "osaka"}, {"check", "--to", "osaka"}, {"status"}, {"backups"}, {"cost"},
		{"switchover", "--to", "osaka", "--yes"}, {"drill", "--to", "osaka", "--yes"}, {"dev", "wake", "--yes"},
		{"simulate", "--to", "osaka"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := copyProject(t)
			require.NoError(t, os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.body), 0o644))
			before := read(t, filepath.Join(dir, "Pulumi.yaml"))
			withFakes(t, &fakeStacks{dir: dir, writer: config.Tokyo})
			for _, args := range commands {
				out, err := drctl(t, append(args, "--dir", dir)...)
				require.Error(t, err, "%v: %s", args, out)
				assert.Equal(t, exitRefused, exitCode(err), "%v", args)
				assert.Contains(t, err.Error(), tc.want, "%v", args)
				assert.Contains(t, err.Error(), "fix:", "%v", args)
				assert.Equal(t, before, read(t, filepath.Join(dir, "Pulumi.yaml")), "%v changed Pulumi.yaml", args)
			}
		})
	}
}

// A missing pulumi CLI is found before compiling and before Pulumi.yaml is touched; the refusal
// leads with its cause and fix, once, exits 3 and is a report too.
func TestSwitchoverWithoutTheCLIChangesNothingAndWritesARefusal(t *testing.T) {
	dir := copyProject(t)
	fake := &fakeStacks{dir: dir, writer: config.Tokyo}
	withFakes(t, fake)
	lookPath = func(f string) (string, error) {
		if f == "pulumi" {
			return "", errors.New("not found")
		}
		return "/usr/bin/" + f, nil
	}
	compiled := false
	openForRun = func(context.Context, io.Writer, string) (runbook.Stacks, error) { compiled = true; return fake, nil }
	before := read(t, filepath.Join(dir, "Pulumi.yaml"))
	out, err := drctl(t, "switchover", "--to", "osaka", "--yes", "--skip-check", "--dir", dir)
	require.Error(t, err, out)
	assert.Equal(t, exitNotReady, exitCode(err))
	assert.False(t, compiled, "the tools are checked before compiling")
	assert.Empty(t, fake.ups)
	assert.Equal(t, before, read(t, filepath.Join(dir, "Pulumi.yaml")), "Pulumi.yaml is as it was")
	assert.True(t, strings.HasPrefix(err.Error(), "the Pulumi CLI (`pulumi`) not found on PATH"), err.Error())
	assert.Equal(t, 1, strings.Count(err.Error()+out, "not found on PATH"), "the cause once")
	rep := reportOf(t, dir)
	assert.Equal(t, report.Refused, rep.Result)
	assert.Contains(t, rep.Error, "not found on PATH")

	for _, args := range [][]string{{"status"}, {"check", "--to", "osaka"}} {
		out, err := drctl(t, append(args, "--dir", dir)...)
		assert.Equal(t, exitNotReady, exitCode(err), "%v: %s", args, out)
		assert.NotContains(t, out, "Compiling", "%v compiles only after the tools check", args)
		assert.Equal(t, 1, strings.Count(err.Error()+out, "not found on PATH"), "%v: the cause once:\n%s", args, out)
	}
}

// A hand edit of Pulumi.yaml is not a switchover under way: the readiness check runs in full and
// its refusal is a report with the reason; not confirming is one too.
func TestHandEditedPrimaryStillRunsTheReadinessCheck(t *testing.T) {
	dir := copyProject(t)
	fake := &fakeStacks{dir: dir, writer: config.Tokyo,
		deployed: map[string]string{config.TokyoStack: config.Tokyo, config.OsakaStack: config.Tokyo}}
	withFakes(t, fake)
	path := filepath.Join(dir, "Pulumi.yaml")
	edited := strings.Replace(read(t, path), "value: ap-northeast-1", "value: ap-northeast-3", 1)
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o644))

	out, err := drctl(t, "switchover", "--to", "osaka", "--yes", "--dir", dir)
	require.Error(t, err, out)
	assert.Contains(t, out, "edited by hand?")
	assert.Contains(t, out, "Readiness check (planned switchover to ap-northeast-3)")
	assert.NotContains(t, out, "readiness check skipped")
	assert.Contains(t, out, "FAIL  same application version", "the fake stacks export no appImage: the check ran and refused")
	assert.Equal(t, exitNotReady, exitCode(err))
	assert.Empty(t, fake.ups, "nothing deployed")
	assert.Equal(t, edited, read(t, path), "Pulumi.yaml left as the operator wrote it")
	rep := reportOf(t, dir)
	assert.Equal(t, report.Refused, rep.Result)
	assert.Contains(t, rep.Error, "same application version")

	require.NoError(t, os.RemoveAll(filepath.Join(dir, "reports")))
	out, err = drctl(t, "switchover", "--to", "osaka", "--skip-check", "--dir", dir) // stdin empty: not confirmed
	require.Error(t, err, out)
	assert.Equal(t, exitRefused, exitCode(err))
	assert.Equal(t, report.Refused, reportOf(t, dir).Result)
	assert.Contains(t, reportOf(t, dir).Error, "not confirmed")
}

func TestHelpListsTheExitCodes(t *testing.T) {
	out, err := drctl(t, "--help")
	require.NoError(t, err)
	for _, want := range []string{"Exit codes", "  0  ok", "  1  failed while changing", "  2  refused by input", "  3  not ready", "  4  simulate", "  5  simulate"} {
		assert.Contains(t, out, want)
	}
}

// `drctl dev sleep` checks for the CLI before it sets agm-dr:sleeping in Pulumi.yaml.
func TestDevWithoutTheCLIChangesNothing(t *testing.T) {
	dir := devCopy(t)
	f := withDev(t, dir, true)
	lookPath = func(string) (string, error) { return "", errors.New("not found") }
	before := read(t, filepath.Join(dir, "Pulumi.yaml"))
	out, err := drctl(t, "dev", "sleep", "--yes", "--dir", dir)
	require.Error(t, err, out)
	assert.Equal(t, exitNotReady, exitCode(err))
	assert.Contains(t, err.Error(), "fix: install the Pulumi CLI")
	assert.Equal(t, before, read(t, filepath.Join(dir, "Pulumi.yaml")))
	assert.Empty(t, f.ups)
}

// A YAML syntax error in Pulumi.yaml is refused the same way, naming the line and the key.
func TestBrokenPulumiYAMLIsRefusedWithLineAndKey(t *testing.T) {
	dir := copyProject(t)
	path := filepath.Join(dir, "Pulumi.yaml")
	src := read(t, path)
	broken := strings.Replace(src, "  agm-dr:appImage:\n    value: \"2026.06.1\"", "  agm-dr:appImage:\n    value: \"2026.06.1", 1)
	require.NotEqual(t, src, broken)
	require.NoError(t, os.WriteFile(path, []byte(broken), 0o644))
	withFakes(t, &fakeStacks{dir: dir, writer: config.Tokyo})
	for _, args := range [][]string{{"plan", "--to", "osaka"}, {"switchover", "--to", "osaka", "--yes"}, {"status"}} {
		_, err := drctl(t, append(args, "--dir", dir)...)
		require.Error(t, err)
		assert.Equal(t, exitRefused, exitCode(err), "%v", args)
		assert.Regexp(t, `Pulumi\.yaml line \d+ \(key agm-dr:appImage\): YAML syntax error`, err.Error(), "%v", args)
		assert.Equal(t, broken, read(t, path))
	}
}
