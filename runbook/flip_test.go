package runbook_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// configured makes the project's Pulumi.yaml name primary, as an operator's hand edit would.
func configured(d *runbook.ReadDeps, primary string) {
	parse := d.Config
	d.Config = func(stack string) (config.Config, error) {
		c, err := parse(stack)
		c.PrimaryRegion = primary
		return c, err
	}
}

// "Under way" is read from the stacks and AWS: Pulumi.yaml naming the target alone is a hand
// edit, not a switchover under way.
func TestReadFlipDecidesFromTheStacksAndAWS(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name           string
		setup          func(w *world, d *runbook.ReadDeps)
		underWay, hand bool
	}{
		{"nothing moved, Pulumi.yaml as deployed", func(*world, *runbook.ReadDeps) {}, false, false},
		{"Pulumi.yaml edited by hand", func(w *world, d *runbook.ReadDeps) { configured(d, config.Osaka) }, false, true},
		{"the new primary's up moved the writer", func(w *world, d *runbook.ReadDeps) {
			configured(d, config.Osaka)
			w.deployed[config.OsakaStack], w.writer = config.Osaka, config.Osaka
		}, true, false},
		{"the writer moved by hand, files untouched", func(w *world, d *runbook.ReadDeps) { w.writer = config.Osaka }, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld()
			d := readDeps(t, w, healthy(w))
			tc.setup(w, &d)
			f := runbook.ReadFlip(ctx, d, config.Osaka, config.Planned)
			assert.Empty(t, f.Unknown)
			assert.Equal(t, tc.underWay, f.UnderWay(), "%v", f.State())
			assert.Equal(t, tc.hand, f.HandEdited(), "%v", f.State())
		})
	}
}

// With Pulumi.yaml edited by hand to the target, the readiness check still runs every check
// (lag, queue drain, capacity, backend); only the preview, which would show the flip itself,
// is replaced by a warning that says so.
func TestReadinessRunsInFullAfterAHandEdit(t *testing.T) {
	w := newWorld()
	r := healthy(w)
	r[config.Tokyo].depths = []int{120, 130}
	d := readDeps(t, w, r)
	configured(&d, config.Osaka)
	c := byName(runbook.Readiness(context.Background(), d, config.Osaka, config.Planned))
	assert.Equal(t, runbook.Fail, c["old primary's queue draining (tokyo)"].Status, "the queue drain check ran and refused")
	assert.Equal(t, runbook.Pass, c["replication lag within the RPO budget"].Status)
	assert.Equal(t, runbook.Warn, c["stack osaka up to date"].Status)
	assert.Contains(t, c["stack osaka up to date"].Detail, "a preview would show the flip itself")
	assert.Contains(t, c["target is not already primary"].Detail, "edited by hand?", "not \"already primary\" on the word of Pulumi.yaml")
}

// lastFailed is a Stacks whose stack's last update failed.
type lastFailed struct {
	runbook.Stacks
	stack string
}

func (l lastFailed) LastUpdate(ctx context.Context, s string) (runbook.Update, error) {
	if s == l.stack {
		return runbook.Update{Kind: "update", Result: "failed"}, nil
	}
	return l.Stacks.LastUpdate(ctx, s)
}

// A failed last update of the new primary is what an interrupted switchover leaves: with
// Pulumi.yaml naming the target it warns (the switchover's up retries it); otherwise it fails.
func TestAFailedLastUpdateRefusesUnlessItIsTheInterruptedFlip(t *testing.T) {
	for _, primary := range []string{config.Osaka, config.Tokyo} {
		w := newWorld()
		d := readDeps(t, w, healthy(w))
		d.Stacks = lastFailed{Stacks: w, stack: config.OsakaStack}
		configured(&d, primary)
		c := byName(runbook.Readiness(context.Background(), d, config.Osaka, config.Planned))["stack osaka up to date"]
		if primary == config.Osaka {
			assert.Equal(t, runbook.Warn, c.Status, c.Detail)
			assert.Contains(t, c.Detail, "an interrupted switchover?")
		} else {
			assert.Equal(t, runbook.Fail, c.Status, c.Detail)
		}
	}
}

// noBackend is a Stacks whose backend does not answer, with the CLI output an Automation API
// error carries.
type noBackend struct{ runbook.Stacks }

func (noBackend) Outputs(context.Context, string) (map[string]any, error) {
	return nil, errors.New("selecting stack tokyo: no stack named 'tokyo' found\ncode: 255\nstdout: \nstderr: error: no stack named 'tokyo' found")
}

// Status says once per stack why it could not be read, without the raw CLI output.
func TestStatusGivesTheBackendErrorOncePerStack(t *testing.T) {
	w := newWorld()
	d := readDeps(t, w, healthy(w))
	d.Stacks = noBackend{w}
	rep := runbook.ReadStatus(context.Background(), d)
	for _, s := range rep.Stacks {
		require.Len(t, s.Errors, 1, "%s: %v", s.Stack, s.Errors)
		assert.NotContains(t, s.Errors[0], "code: 255")
	}
}
