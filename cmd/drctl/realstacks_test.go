package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// bringUp deploys both stacks in the README's order: tokyo (home: the global resources), osaka
// (joins them), tokyo again (replication to Osaka's bucket, which now exists).
func bringUp(t *testing.T, e *enginetest.Env) {
	t.Helper()
	out := e.Pulumi(t, "preview", "-s", "tokyo")
	require.Contains(t, out, "to create")
	for _, s := range []string{"tokyo", "osaka", "tokyo"} {
		e.Pulumi(t, "up", "--yes", "--skip-preview", "-s", s)
	}
}

func TestRealStacksBringUp(t *testing.T) {
	e := enginetest.Setup(t)
	bringUp(t, e)
	t.Log(len(e.RecordsSince(t, 0)))
}
