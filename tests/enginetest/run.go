package enginetest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/agm-dr/agm-dr/fakeaws"
	"github.com/agm-dr/agm-dr/runbook"
)

// Pulumi runs the pulumi CLI in the project dir and returns its combined output; it fails the
// test on error.
func (e *Env) Pulumi(t testing.TB, args ...string) string {
	t.Helper()
	out, err := e.Try(args...)
	if err != nil {
		t.Fatalf("pulumi %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// Try runs the pulumi CLI in the fast project dir, rewritten from the project first (drctl
// edits the project's Pulumi.yaml), and returns its combined output and error.
func (e *Env) Try(args ...string) (string, error) {
	if err := runbook.WriteShadow(e.Project, e.Fast, e.Binary); err != nil {
		return "", err
	}
	return e.TryIn(e.Fast, args...)
}

// TryIn runs the pulumi CLI in dir.
func (e *Env) TryIn(dir string, args ...string) (string, error) {
	cmd := exec.Command("pulumi", append(args, "--non-interactive")...)
	cmd.Dir = dir
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// Records returns what the fake aws plugin has recorded so far.
func (e *Env) RecordsSince(t testing.TB, n int) []fakeaws.Record {
	t.Helper()
	all, err := fakeaws.ReadRecords(e.Records)
	if err != nil {
		t.Fatal(err)
	}
	if n > len(all) {
		n = len(all)
	}
	return all[n:]
}

// Mark is the number of records so far, for RecordsSince.
func (e *Env) Mark(t testing.TB) int {
	t.Helper()
	return len(e.RecordsSince(t, 0))
}
