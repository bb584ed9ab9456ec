package runbook

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/agm-dr/agm-dr/report"
)

// keptLines is how many of the last output lines a lineWriter keeps for error messages.
const keptLines = 12

// lineWriter turns the CLI's progress stream into timestamped lines.
type lineWriter struct {
	stack string
	emit  func(Line)
	mu    sync.Mutex
	buf   bytes.Buffer
	last  []string
}

func newLineWriter(stack string, emit func(Line)) *lineWriter {
	return &lineWriter{stack: stack, emit: emit}
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		i := bytes.IndexByte(w.buf.Bytes(), '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(w.buf.Next(i + 1))
		w.line(line)
	}
}

// Flush emits a last line without a newline.
func (w *lineWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() > 0 {
		w.line(w.buf.String())
		w.buf.Reset()
	}
}

func (w *lineWriter) line(s string) {
	s = strings.TrimRight(s, "\r\n ")
	if strings.TrimSpace(s) == "" {
		return
	}
	w.last = append(w.last, s)
	if len(w.last) > keptLines {
		w.last = w.last[len(w.last)-keptLines:]
	}
	if w.emit != nil {
		w.emit(Line{At: time.Now(), Stack: w.stack, Text: s})
	}
}

// opTimer times resource operations from the engine's events: from a resource's pre-event to
// its outputs (or failure) event. Refreshes are summed into one operation.
type opTimer struct {
	now     func() time.Time
	mu      sync.Mutex
	started map[string]time.Time
	ops     []report.Op
	changes map[string]int
	refresh report.Op
	refN    int
}

func newOpTimer(now func() time.Time) *opTimer {
	return &opTimer{now: now, started: map[string]time.Time{}}
}

func (t *opTimer) observe(e events.EngineEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	switch {
	case e.SummaryEvent != nil:
		t.changes = map[string]int{}
		for op, n := range e.SummaryEvent.ResourceChanges {
			t.changes[string(op)] = n
		}
	case e.ResourcePreEvent != nil && !e.ResourcePreEvent.Planning:
		t.started[key(e.ResourcePreEvent.Metadata)] = now
	case e.ResOutputsEvent != nil && !e.ResOutputsEvent.Planning:
		t.finish(e.ResOutputsEvent.Metadata, now, false)
	case e.ResOpFailedEvent != nil:
		t.finish(e.ResOpFailedEvent.Metadata, now, true)
	}
}

func key(m apitype.StepEventMetadata) string { return string(m.Op) + " " + m.URN }

func (t *opTimer) finish(m apitype.StepEventMetadata, end time.Time, failed bool) {
	start, ok := t.started[key(m)]
	if !ok || m.Op == apitype.OpSame || m.Op == apitype.OpRead || m.Type == "pulumi:pulumi:Stack" {
		return
	}
	delete(t.started, key(m))
	if m.Op == apitype.OpRefresh {
		if t.refN == 0 || start.Before(t.refresh.Start) {
			t.refresh.Start = start
		}
		if end.After(t.refresh.End) {
			t.refresh.End = end
		}
		t.refN++
		t.refresh.Failed = t.refresh.Failed || failed
		return
	}
	t.ops = append(t.ops, report.Op{
		Resource: name(m.URN), Type: m.Type, Op: string(m.Op), Start: start, End: end,
		Seconds: report.Seconds(end.Sub(start)), Failed: failed,
	})
}

func (t *opTimer) result() UpResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	ops := append([]report.Op(nil), t.ops...)
	if t.refN > 0 {
		r := t.refresh
		r.Resource, r.Op = fmt.Sprintf("%d resources", t.refN), "refresh"
		r.Seconds = report.Seconds(r.End.Sub(r.Start))
		ops = append(ops, r)
	}
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Start.Before(ops[j].Start) })
	return UpResult{Changes: t.changes, Ops: ops}
}

// name is the logical name at the end of a URN.
func name(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}
