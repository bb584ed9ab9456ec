package switchover_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

var t0 = time.Date(2026, 6, 26, 9, 0, 0, 0, time.UTC)

func TestVirtualClockTimesTheRunAndItsWaits(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.SwitchPolls = 5
	clk := switchovertest.NewClock(t0)
	o := switchover.Options{Mode: switchover.Planned, Poll: 10 * time.Second, Clock: clk}
	out, err := a.EnsureWriter(context.Background(), toOsaka, o)
	require.NoError(t, err)
	assert.Equal(t, t0, out.Started, "Started comes from the injected clock")
	// The change stays in flight for 5 describes, the 6th sees it done:
	// five sleeps of one poll interval each.
	assert.Equal(t, 50*time.Second, out.Finished.Sub(out.Started), "timed on the virtual clock")
	assert.Equal(t, 50*time.Second, clk.Slept())
}

func TestVirtualClockEndsAStuckWaitAtTheTimeout(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.SwitchPolls = -1 // never finishes
	clk := switchovertest.NewClock(t0)
	o := switchover.Options{Mode: switchover.Planned, Poll: 10 * time.Second, Timeout: 30 * time.Minute, Clock: clk}
	_, err := a.EnsureWriter(context.Background(), toOsaka, o)
	require.Error(t, err)
	assert.True(t, errors.Is(err, switchover.ErrTimeout), "got %v", err)
	assert.Equal(t, 30*time.Minute, clk.Slept(), "the deadline is kept on the virtual clock")
}
