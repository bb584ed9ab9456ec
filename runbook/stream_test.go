package runbook

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ev(kind string, op apitype.OpType, typ, name string) events.EngineEvent {
	m := apitype.StepEventMetadata{Op: op, Type: typ, URN: "urn:pulumi:osaka::agm-dr::" + typ + "::" + name}
	var e apitype.EngineEvent
	switch kind {
	case "pre":
		e.ResourcePreEvent = &apitype.ResourcePreEvent{Metadata: m}
	case "out":
		e.ResOutputsEvent = &apitype.ResOutputsEvent{Metadata: m}
	case "fail":
		e.ResOpFailedEvent = &apitype.ResOpFailedEvent{Metadata: m}
	}
	return events.EngineEvent{EngineEvent: e}
}

func TestOpTimerTimesResourceOperationsFromEngineEvents(t *testing.T) {
	clock := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	tick := func() time.Time { clock = clock.Add(time.Second); return clock }
	tm := newOpTimer(tick)
	const writer, svc = "agmdr:index:AuroraWriter", "aws:ecs/service:Service"
	for _, e := range []events.EngineEvent{
		ev("pre", apitype.OpRefresh, writer, "aurora-writer"),
		ev("pre", apitype.OpRefresh, svc, "app-service"),
		ev("out", apitype.OpRefresh, writer, "aurora-writer"),
		ev("out", apitype.OpRefresh, svc, "app-service"),
		ev("pre", apitype.OpSame, "aws:s3/bucketV2:BucketV2", "site"),
		ev("out", apitype.OpSame, "aws:s3/bucketV2:BucketV2", "site"),
		ev("pre", apitype.OpUpdate, svc, "app-service"),
		ev("pre", apitype.OpUpdate, writer, "aurora-writer"),
		ev("out", apitype.OpUpdate, svc, "app-service"),
		ev("fail", apitype.OpUpdate, writer, "aurora-writer"),
		{EngineEvent: apitype.EngineEvent{SummaryEvent: &apitype.SummaryEvent{ResourceChanges: map[apitype.OpType]int{"update": 2, "same": 1}}}},
	} {
		tm.observe(e)
	}
	res := tm.result()
	assert.Equal(t, map[string]int{"update": 2, "same": 1}, res.Changes)
	require.Len(t, res.Ops, 3, "unchanged resources are left out; refreshes are one operation")
	assert.Equal(t, "refresh", res.Ops[0].Op)
	assert.Equal(t, "2 resources", res.Ops[0].Resource)
	assert.Equal(t, 3.0, res.Ops[0].Seconds)
	assert.Equal(t, "app-service", res.Ops[1].Resource)
	assert.Equal(t, 2.0, res.Ops[1].Seconds)
	assert.Equal(t, "aurora-writer", res.Ops[2].Resource)
	assert.True(t, res.Ops[2].Failed)
}

func TestLineWriterSplitsLinesAndKeepsTheLast(t *testing.T) {
	var got []Line
	w := newLineWriter("osaka", func(l Line) { got = append(got, l) })
	_, _ = fmt.Fprint(w, "Updating (osaka):\n\n  ~ aurora-writer upd")
	_, _ = fmt.Fprint(w, "ating\r\n")
	for i := 0; i < 20; i++ {
		_, _ = fmt.Fprintf(w, "line %d\n", i)
	}
	_, _ = fmt.Fprint(w, "Duration: 1s")
	w.Flush()
	require.Len(t, got, 23, "blank lines are dropped")
	assert.Equal(t, "  ~ aurora-writer updating", got[1].Text)
	assert.Equal(t, "osaka", got[1].Stack)
	assert.False(t, got[1].At.IsZero())
	assert.Len(t, w.last, keptLines)
	assert.Equal(t, "Duration: 1s", w.last[keptLines-1])
}

func TestCLIErrorKeepsTheCauseNotTheWholeOutput(t *testing.T) {
	base := errors.New("failed to run update: exit status 255\ncode: 255\nstdout: <thousands of lines>\nstderr: ...")
	err := cliError(base, []string{"error: preflight refused: lag 45s above the RPO budget 10s"})
	assert.Equal(t, "failed to run update: exit status 255\n  last output:\n    error: preflight refused: lag 45s above the RPO budget 10s", err.Error())
	assert.ErrorIs(t, err, base)
}
