package report

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleSimulation() Simulation {
	s := Simulation{Title: "Simulated planned switchover to ap-northeast-3", Started: time.Date(2026, 6, 26, 1, 0, 0, 0, time.UTC),
		Scenario: []string{"start <script>"}, Regions: []string{"ap-northeast-1", "ap-northeast-3"},
		Windows: []SimWindow{{Name: "Aurora write pause", From: 3, To: 5}},
		Marks:   []SimEvent{{At: 2, Text: "operator starts"}},
		Impact: SimImpact{Requests: 30, Served: 27, FailedVotes: map[string]int{"Aurora write pause": 2}, FailedSessionWrites: map[string]int{"cache read-only (secondary)": 1},
			CrossRegionSessionWrites: 4},
		Bounds:   []SimBound{{Name: "planned: failed votes only inside Aurora's write pause", Held: true}, {Name: "split", Held: false, Detail: "61 s"}},
		Summary:  []string{"Switchover to ap-northeast-3 (planned) completed."},
		Timeline: []SimEvent{{At: 65, Source: "aurora", Text: "writer | moved"}},
		Legs: []Leg{{Mode: "planned", Steps: []Step{{Name: "pulumi up osaka (new primary)", Start: time.Date(2026, 6, 26, 1, 1, 0, 0, time.UTC),
			Seconds: 268, Result: OK}}}}}
	for i := 0; i < 10; i++ {
		s.Series = append(s.Series, SimSecond{At: float64(i), Served: 3, Failed: map[string]int{"Aurora write pause": i % 2},
			ByRegion: map[string]int{"ap-northeast-1": 2, "ap-northeast-3": 1}})
	}
	return s
}

func TestSimulationSVGIsWellFormedAndEscaped(t *testing.T) {
	svg := SimulationSVG(sampleSimulation())
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err != nil {
			require.Equal(t, "EOF", err.Error(), "the SVG must parse as XML")
			break
		}
	}
	assert.NotContains(t, svg, "<script>")
	assert.Contains(t, svg, "Aurora write pause")
	assert.Contains(t, svg, "requests to ap-northeast-3")
}

func TestSimulationMarkdownHasTheImpactTableAndMarksBrokenBounds(t *testing.T) {
	md := SimulationMarkdown(sampleSimulation(), "x.svg")
	assert.Contains(t, md, "| failed votes | 2: 2 Aurora write pause |")
	assert.Contains(t, md, "| failed session writes | 1: 1 cache read-only (secondary) |")
	assert.Contains(t, md, "| split | **NO** | 61 s |")
	assert.Contains(t, md, "| session writes sent across the VPC peering to the other region's primary | 4 |")
	assert.Contains(t, md, `| 1:05 | aurora | writer \| moved |`)
	assert.Contains(t, md, "![requests by outcome](x.svg)")
	assert.Contains(t, md, "| 1 (planned) | pulumi up osaka (new primary) | 1:00 | 4 min 28 s | ok |")
}

func TestWriteSimulationNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	a, err := WriteSimulation(dir, sampleSimulation())
	require.NoError(t, err)
	b, err := WriteSimulation(dir, sampleSimulation())
	require.NoError(t, err)
	assert.NotEqual(t, a.JSON, b.JSON)
	for _, f := range []string{a.JSON, a.Markdown, a.SVG, b.SVG} {
		_, err := os.Stat(f)
		assert.NoError(t, err, filepath.Base(f))
	}
}
