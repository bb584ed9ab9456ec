package report_test

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/report"
)

var t0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

func step(name, stack string, from, to float64, r report.Result) report.Step {
	s := report.Step{Name: name, Stack: stack, Start: at(from)}
	s.Finish(at(to), r)
	return s
}

// sample is a drill whose switch back failed in the middle.
func sample() report.Report {
	leg1 := report.Leg{From: "ap-northeast-1", To: "ap-northeast-3", Mode: "planned", Started: at(0), Steps: []report.Step{
		step("set primaryRegion = ap-northeast-3", "", 0, 0.2, report.OK),
		step("pulumi up osaka (new primary)", "osaka", 0.2, 150, report.OK),
		step("verify osaka holds the writer", "osaka", 150, 151, report.OK),
		step("pulumi up tokyo (old primary → standby)", "tokyo", 151, 220, report.OK),
	}}
	leg1.Steps[1].Ops = []report.Op{{Resource: "aurora-writer", Type: "agmdr:index:AuroraWriter", Op: "update", Start: at(20), End: at(110), Seconds: 90}}
	leg1.RTO = report.NewMeasure(151*time.Second, 15*time.Minute, "until the writer moved")
	leg1.RPO = report.NewMeasure(0, 10*time.Second, "planned")
	leg1.Close(at(220))
	leg2 := report.Leg{From: "ap-northeast-3", To: "ap-northeast-1", Mode: "planned", Started: at(220), Steps: []report.Step{
		step("set primaryRegion = ap-northeast-1", "", 220, 220.1, report.OK),
		step("pulumi up tokyo (new primary)", "tokyo", 220.1, 300, report.Failed),
	}}
	leg2.Steps[1].Error = "preflight refused | lag 45s"
	leg2.RTO = report.Unknown(15*time.Minute, "stopped before traffic moved")
	leg2.RPO = report.NewMeasure(0, 10*time.Second, "planned")
	leg2.Close(at(300))
	r := report.Report{Kind: "drill", Title: "Drill: tokyo → osaka → tokyo (planned)", Started: t0, Legs: []report.Leg{leg1, leg2}}
	r.Close(at(300), errors.New("leg 2: step failed"))
	return r
}

func TestResultsRollUp(t *testing.T) {
	r := sample()
	assert.Equal(t, report.OK, r.Legs[0].Result)
	assert.Equal(t, report.Failed, r.Legs[1].Result)
	assert.Equal(t, report.Failed, r.Result)
	assert.Equal(t, 300.0, r.Seconds)
	assert.Equal(t, 149.8, r.Legs[0].Steps[1].Seconds)
	assert.True(t, r.Legs[0].RTO.Met)
}

func TestWriteProducesJSONMarkdownAndSVG(t *testing.T) {
	dir := t.TempDir()
	f, err := report.Write(dir, sample())
	require.NoError(t, err)
	assert.Equal(t, "drill-tokyo-to-osaka-and-back-20260601T090000Z.json", f.JSON[len(dir)+1:])

	back, err := report.Read(f.JSON)
	require.NoError(t, err)
	assert.Equal(t, sample().Legs[0].Steps[1].Start, back.Legs[0].Steps[1].Start)
	assert.Equal(t, 151.0, back.Legs[0].RTO.Seconds)

	md, err := os.ReadFile(f.Markdown)
	require.NoError(t, err)
	for _, want := range []string{
		"# Drill: tokyo → osaka → tokyo (planned)",
		"**Result: failed**",
		"![Timeline of the steps](drill-tokyo-to-osaka-and-back-20260601T090000Z.svg)",
		"| RTO | 2 min 31 s | 15 min | yes |",
		"| RTO | unknown | 15 min | — |",
		"| 2 | pulumi up osaka (new primary) | osaka | 09:00:00.2 | 09:02:30.0 | 2 min 30 s | ok |",
		`preflight refused \| lag 45s`,
		"| osaka | aurora-writer | `agmdr:index:AuroraWriter` | update | 1 min 30 s |",
	} {
		assert.Contains(t, string(md), want)
	}

	f2, err := report.Write(dir, sample())
	require.NoError(t, err)
	assert.NotEqual(t, f.JSON, f2.JSON, "a report of the same second does not overwrite the first")
}

func TestSVGIsWellFormedWithABarPerStepAndOp(t *testing.T) {
	svg := report.SVG(sample())
	dec := xml.NewDecoder(strings.NewReader(svg))
	rects := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
			rects++
		}
	}
	// background + 6 steps + 1 op + 3 zebra stripes for 7 rows... at least one bar per row.
	assert.GreaterOrEqual(t, rects, 1+7)
	assert.Contains(t, svg, "RTO leg 1: 2 min 31 s")
	assert.Contains(t, svg, "update aurora-writer")
	assert.Contains(t, svg, "Leg 2, ap-northeast-3 → ap-northeast-1 (planned): RTO unknown")
}

func TestHuman(t *testing.T) {
	for sec, want := range map[float64]string{0.25: "250 ms", 4: "4 s", 42.1: "42.1 s", 250: "4 min 10 s", 3720: "1 h 2 min", 0: "0 s", 900: "15 min"} {
		assert.Equal(t, want, report.Human(sec))
	}
}

// Reports are named by what ran and when it ran, so different runs and scenarios never collide.
func TestReportNamesSayWhatRanAndWhen(t *testing.T) {
	at := time.Date(2026, 6, 12, 1, 2, 3, 0, time.UTC)
	leg := func(from, to string) report.Leg { return report.Leg{From: from, To: to} }
	for name, tc := range map[string]struct {
		r    report.Report
		want string
	}{
		"switchover": {report.Report{Kind: "switchover", Started: at, Legs: []report.Leg{leg("ap-northeast-1", "ap-northeast-3")}},
			"switchover-tokyo-to-osaka-20260612T010203Z"},
		"drill there and back": {report.Report{Kind: "drill", Started: at, Legs: []report.Leg{leg("ap-northeast-1", "ap-northeast-3"), leg("ap-northeast-3", "ap-northeast-1")}},
			"drill-tokyo-to-osaka-and-back-20260612T010203Z"},
		"refused": {report.Report{Kind: "switchover", Started: at, Result: report.Refused, Target: "ap-northeast-3"},
			"switchover-to-osaka-refused-20260612T010203Z"},
	} {
		assert.Equal(t, tc.want, report.Stem(tc.r), name)
	}
	ran := time.Date(2026, 12, 5, 4, 0, 0, 0, time.UTC)
	a := report.Simulation{Name: "planned-peak", Started: at, RanAt: ran}
	b := report.Simulation{Name: "unplanned-r53-down", Started: at, RanAt: ran}
	assert.Equal(t, "simulation-planned-peak-20261205T040000Z", report.SimulationStem(a))
	assert.NotEqual(t, report.SimulationStem(a), report.SimulationStem(b), "two scenarios simulated the same second do not collide")
}

// The Markdown says who ran it, on which commit and app version.
func TestReportStatesItsProvenance(t *testing.T) {
	r := sample()
	r.Commit, r.AppVersion, r.RanBy = "0123456789ab", "2026.06.1", "oncall"
	assert.Contains(t, report.Markdown(r, ""), "Ran by oncall · repo commit 0123456789ab · app version 2026.06.1")
}
