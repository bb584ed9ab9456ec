package runbook_test

import (
	"context"
	"errors"
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

var targets = config.Switchover{Mode: config.Planned, RpoBudgetSeconds: 10, TimeoutSeconds: 1800, PollSeconds: 10, RtoTargetMinutes: 15}

func toOsaka(mode config.Mode) runbook.Options {
	return runbook.Options{To: config.Osaka, Mode: mode, Targets: targets}
}

func stepNames(l report.Leg) []string {
	var out []string
	for _, s := range l.Steps {
		out = append(out, s.Name+": "+string(s.Result))
	}
	return out
}

func TestPlannedSwitchoverUpdatesNewPrimaryFirstThenOld(t *testing.T) {
	w := newWorld()
	leg, err := runbook.Switchover(context.Background(), w.deps(), toOsaka(config.Planned))
	require.NoError(t, err)

	assert.Equal(t, []string{"set primary ap-northeast-3 planned", "up osaka", "outputs osaka", "up tokyo"}, w.calls,
		"the new primary's stack goes first (scale up, writer, traffic), the old primary's after it")
	assert.Equal(t, []string{
		"set primaryRegion = ap-northeast-3: ok",
		"pulumi up osaka (new primary): ok",
		"verify osaka holds the writer: ok",
		"pulumi up tokyo (old primary → standby): ok",
	}, stepNames(leg))
	assert.Equal(t, config.Osaka, w.writer)
	assert.Equal(t, report.OK, leg.Result)
	assert.Equal(t, config.Tokyo, leg.From)
	for _, s := range leg.Steps {
		assert.Positive(t, s.Seconds, "step %q has a duration", s.Name)
	}
	assert.True(t, leg.RTO.Known)
	assert.True(t, leg.RTO.Met)
	assert.Equal(t, 900.0, leg.RTO.TargetSeconds)
	assert.Equal(t, 0.0, leg.RPO.Seconds, "a planned switchover loses nothing")
	assert.Contains(t, leg.Steps[2].Detail, "Aurora writer in ap-northeast-3")
	assert.NotEmpty(t, leg.Steps[1].Ops, "resource operations are kept for the report")
}

func TestUnplannedSwitchoverNeverTouchesTheOldRegion(t *testing.T) {
	w := newWorld()
	d := w.deps()
	var lagRegions []string
	d.Lag = func(_ context.Context, region string) (time.Duration, bool, error) {
		lagRegions = append(lagRegions, region)
		return 3 * time.Second, true, nil
	}
	leg, err := runbook.Switchover(context.Background(), d, toOsaka(config.Unplanned))
	require.NoError(t, err)

	assert.Empty(t, w.touched(config.TokyoStack), "no call for the old primary's stack")
	assert.Empty(t, w.touched(config.Tokyo), "no call into the old primary's region")
	assert.Equal(t, []string{config.Osaka}, lagRegions, "the lag is read in the target region only")
	last := leg.Steps[len(leg.Steps)-1]
	assert.Equal(t, report.Skipped, last.Result)
	assert.Contains(t, last.Detail, "pulumi up -s tokyo")
	assert.Equal(t, report.OK, leg.Result)
	assert.Equal(t, 3.0, leg.RPO.Seconds, "unplanned: the lag before the failover is the data at risk")
	assert.True(t, leg.RPO.Met)
	assert.Equal(t, config.Unplanned, w.mode, "the mode reaches the project config, so the provider fails over")
}

func TestFailedStepStopsTheRunWithClearMessageAndPartialReport(t *testing.T) {
	w := newWorld()
	w.upHook = func(_ context.Context, stack string) error {
		if stack == config.OsakaStack {
			return errors.New("agmdr:index:AuroraWriter aurora-writer: preflight refused: replication lag of agm-dr-ap-northeast-3 is 45s, above the RPO budget 10s")
		}
		return nil
	}
	rep, err := runbook.Run(context.Background(), w.deps(), "switchover", []runbook.Options{toOsaka(config.Planned)})
	require.Error(t, err)

	var se *runbook.StepError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "pulumi up osaka (new primary)", se.Step)
	assert.Contains(t, err.Error(), "above the RPO budget", "the cause is in the message")
	assert.Contains(t, err.Error(), "next step:", "the message says what to do")
	assert.Contains(t, err.Error(), "drctl switchover --to ap-northeast-3")
	assert.Empty(t, w.touched("up tokyo"), "nothing runs after a failed step")

	assert.Equal(t, report.Failed, rep.Result)
	require.Len(t, rep.Legs, 1)
	assert.Equal(t, []string{"set primaryRegion = ap-northeast-3: ok", "pulumi up osaka (new primary): failed"}, stepNames(rep.Legs[0]))
	assert.False(t, rep.Legs[0].RTO.Known, "no RTO when traffic never moved")
	assert.False(t, rep.Legs[0].RPO.Known, "no RPO when the writer never moved")

	dir := t.TempDir()
	files, err := report.Write(dir, rep)
	require.NoError(t, err)
	back, err := report.Read(files.JSON)
	require.NoError(t, err)
	assert.Equal(t, report.Failed, back.Result)
	assert.Contains(t, back.Error, "above the RPO budget")
	assert.FileExists(t, filepath.Join(dir, filepath.Base(files.Markdown)))
}

func TestRerunAfterInterruptionContinues(t *testing.T) {
	for _, at := range []string{config.OsakaStack, config.TokyoStack} {
		t.Run("interrupted during up "+at, func(t *testing.T) {
			w := newWorld()
			ctx, cancel := context.WithCancel(context.Background())
			w.upHook = func(ctx context.Context, stack string) error {
				if stack == at {
					cancel() // Ctrl-C in the middle of this stack's update
					return ctx.Err()
				}
				return nil
			}
			leg, err := runbook.Switchover(ctx, w.deps(), toOsaka(config.Planned))
			require.Error(t, err)
			assert.Equal(t, report.Interrupted, leg.Result)
			assert.Contains(t, err.Error(), "re-run `drctl switchover --to ap-northeast-3")

			w.upHook = nil
			w.calls = nil
			leg, err = runbook.Switchover(context.Background(), w.deps(), toOsaka(config.Planned))
			require.NoError(t, err)
			assert.Equal(t, report.OK, leg.Result)
			assert.Contains(t, leg.Steps[0].Detail, "already set: resuming", "editing the config again is a no-op")
			assert.Equal(t, config.Osaka, w.writer)
			assert.Equal(t, map[string]string{config.TokyoStack: config.Osaka, config.OsakaStack: config.Osaka}, w.deployed,
				"both stacks converge on the new primary")
		})
	}
}

func TestWriterThatDidNotMoveFailsVerification(t *testing.T) {
	w := newWorld()
	w.stuck = true
	leg, err := runbook.Switchover(context.Background(), w.deps(), toOsaka(config.Planned))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Aurora writer is ap-northeast-1 after the update, not in ap-northeast-3")
	assert.Equal(t, report.Failed, leg.Steps[2].Result)
	assert.Empty(t, w.touched("up tokyo"), "the old primary is not demoted while the new one has no writer")
}

func TestDrillGoesThereAndBack(t *testing.T) {
	w := newWorld()
	var lines []runbook.Line
	d := w.deps()
	d.Progress = func(l runbook.Line) { lines = append(lines, l) }
	rep, err := runbook.Drill(context.Background(), d, config.Osaka, config.Planned, true, targets)
	require.NoError(t, err)

	assert.Equal(t, []string{"up osaka", "up tokyo", "up tokyo", "up osaka"}, w.touched("up "))
	assert.Equal(t, config.Tokyo, w.writer)
	assert.Equal(t, config.Tokyo, w.primary, "the project ends where it started")
	require.Len(t, rep.Legs, 2)
	assert.Equal(t, "Drill: tokyo → osaka → tokyo (planned)", rep.Title)
	assert.Equal(t, report.OK, rep.Result)
	assert.Positive(t, rep.Seconds)
	assert.NotEmpty(t, lines, "live progress is reported")
}

func TestInvalidTargetIsRefusedBeforeAnything(t *testing.T) {
	w := newWorld()
	_, err := runbook.Switchover(context.Background(), w.deps(), runbook.Options{To: "us-east-1", Mode: config.Planned, Targets: targets})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ap-northeast-3 (osaka)")
	assert.Empty(t, w.calls)
}

// The cause and the next step come first; the raw CLI output follows them.
func TestStepErrorLeadsWithCauseAndNextStep(t *testing.T) {
	e := &runbook.StepError{Step: "pulumi up osaka (new primary)", Result: report.Failed,
		Err: errors.New("pulumi up -s osaka: failed to run update: exit status 255\ncode: 255\nstdout: \nstderr: error: boom"), Next: "re-run it"}
	msg := e.Error()
	next := strings.Index(msg, "next step: re-run it")
	raw := strings.Index(msg, "code: 255")
	require.True(t, next > 0 && raw > 0, msg)
	assert.Less(t, next, raw, "the next step comes before the raw CLI output:\n%s", msg)
	assert.Equal(t, 1, strings.Count(msg, "exit status 255"), "the cause once")
}
