package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/fakeaws"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/tests/enginetest"
)

var profileRE = regexp.MustCompile(`(agm-dr:profile:\n\s+value: )production`)

// useDevProfile sets agm-dr:profile: dev in the test project's Pulumi.yaml (the repo ships
// production), before anything is deployed.
func useDevProfile(t *testing.T, e *enginetest.Env) {
	t.Helper()
	path := filepath.Join(e.Project, "Pulumi.yaml")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	src := profileRE.ReplaceAllString(string(b), "${1}dev")
	require.NotEqual(t, string(b), src, "the project's Pulumi.yaml sets the profile as expected")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
}

// runDev runs `drctl dev <verb> --yes` in-process on the test project.
func runDev(ctx context.Context, t *testing.T, e *enginetest.Env, verb string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	root := newRoot()
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetIn(strings.NewReader(""))
	root.SetArgs([]string{"--dir", e.Project, "dev", verb, "--yes"})
	err := root.ExecuteContext(ctx)
	if testing.Verbose() {
		t.Logf("drctl dev %s:\n%s", verb, out.String())
	}
	return out.String(), err
}

// natGateways counts the NAT gateways the fake aws plugin created (+1) and deleted (-1) since
// mark, per stack.
func natGateways(t *testing.T, e *enginetest.Env, mark int) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, r := range e.RecordsSince(t, mark) {
		if r.Type != "aws:ec2/natGateway:NatGateway" || r.Preview {
			continue
		}
		switch r.Op {
		case "create":
			n[r.Stack()]++
		case "delete":
			n[r.Stack()]--
		}
	}
	return n
}

// The drill environment's cycle, on the repo's own stacks in the dev profile through the real
// engine, so the agmdr provider's own input checks run on what a sleeping program declares:
// `drctl dev sleep`, `drctl dev wake`, `drctl drill --to <standby> --and-back`, `drctl dev sleep`.
func TestDevCycleOnTheRealStacks(t *testing.T) {
	e := enginetest.Setup(t)
	useDevProfile(t, e)
	start := time.Now()
	bringUp(t, e)
	t.Logf("dev bring-up (preview + 3 ups): %s", time.Since(start).Round(time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	cacheID := fakeaws.GlobalDatastorePrefix + e.Prefix + "-sessions"
	const service = "service/app/app"
	floors := func() map[string]int32 {
		out := map[string]int32{}
		for _, r := range config.Regions() {
			f, ok := e.Scaling.Floor(r, service)
			require.True(t, ok, "%s: the task floor is registered", r)
			out[r] = f
		}
		return out
	}
	awake := floors()
	require.Positive(t, awake[config.Tokyo])
	require.Positive(t, awake[config.Osaka])

	sleep := func(t *testing.T) {
		mark := e.Mark(t)
		out, err := runDev(ctx, t, e, "sleep")
		require.NoError(t, err, out)
		assert.Contains(t, out, "Asleep after")
		assert.Equal(t, map[string]int32{config.Tokyo: 0, config.Osaka: 0}, floors(), "asleep, no task floor")
		assert.Equal(t, map[string]int{config.TokyoStack: -1, config.OsakaStack: -1}, natGateways(t, e, mark),
			"the dev profile's one NAT gateway per region is deleted")
	}

	t.Run("sleep", sleep)

	t.Run("wake", func(t *testing.T) {
		mark := e.Mark(t)
		out, err := runDev(ctx, t, e, "wake")
		require.NoError(t, err, out)
		assert.Contains(t, out, "Awake and READY")
		assert.Equal(t, awake, floors(), "the role floors are back")
		assert.Equal(t, map[string]int{config.TokyoStack: 1, config.OsakaStack: 1}, natGateways(t, e, mark))
	})

	t.Run("drill there and back", func(t *testing.T) {
		out, rep, err := runDrctl(ctx, t, e, "drill", "--to", config.Osaka, "--and-back")
		require.NoError(t, err, out)
		require.Len(t, rep.Legs, 2)
		for _, leg := range rep.Legs {
			assert.Equal(t, report.OK, leg.Result, "leg to %s", leg.To)
		}
		assert.Equal(t, config.Tokyo, writerRegion(t, e), "back in tokyo")
		assert.Equal(t, config.Tokyo, e.Cache.PrimaryRegion(cacheID))
	})

	t.Run("sleep again", sleep)
}
