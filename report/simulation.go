package report

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Simulation is the record of one `drctl simulate` run: the switchover legs
// as a drill records them, plus what shareholders saw second by second.
type Simulation struct {
	Title    string      `json:"title"`
	Name     string      `json:"name,omitempty"`  // the scenario: a preset's key, or the mode
	RanAt    time.Time   `json:"ranAt,omitempty"` // when the simulation ran (the file name's time)
	Scenario []string    `json:"scenario"`        // one line per setting
	Started  time.Time   `json:"started"`         // virtual start
	Seconds  float64     `json:"seconds"`         // virtual duration
	Legs     []Leg       `json:"legs"`
	Timeline []SimEvent  `json:"timeline"`
	Series   []SimSecond `json:"series"`
	Windows  []SimWindow `json:"windows"` // write pauses, cache failovers, outages
	Marks    []SimEvent  `json:"marks"`   // operator start, up done, ...
	Impact   SimImpact   `json:"impact"`
	RTO      Measure     `json:"rto"`
	RPO      Measure     `json:"rpo"`
	Bounds   []SimBound  `json:"bounds"`
	Summary  []string    `json:"summary"`
	Regions  []string    `json:"regions"`
}

// SimEvent is one timeline line, At seconds after the start.
type SimEvent struct {
	At     float64 `json:"at"`
	Source string  `json:"source"`
	Text   string  `json:"text"`
}

// SimSecond is one second of traffic.
type SimSecond struct {
	At       float64        `json:"at"`
	Served   int            `json:"served"`
	Failed   map[string]int `json:"failed,omitempty"`
	ByRegion map[string]int `json:"byRegion"`
	Tasks    map[string]int `json:"tasks"`
	Floor    int            `json:"floor"`
}

// SimWindow is a span worth shading on the plot.
type SimWindow struct {
	Name string  `json:"name"`
	From float64 `json:"from"`
	To   float64 `json:"to"`
}

// SimImpact is the impact table.
type SimImpact struct {
	Requests            int            `json:"requests"`
	Served              int            `json:"served"`
	FailedVotes         map[string]int `json:"failedVotes"`
	FailedSessionWrites map[string]int `json:"failedSessionWrites"`
	SplitSeconds        int            `json:"splitSeconds"`
	LongestSplit        int            `json:"longestSplitSeconds"`
	BelowFloorSeconds   int            `json:"belowFloorSeconds"`
	ReadOnlyServed      int            `json:"readOnlyCacheServed"`
	// CrossRegionSessionWrites went across the VPC peering to the other region's cache primary.
	CrossRegionSessionWrites int `json:"crossRegionSessionWrites"`
	LostVotes                int `json:"lostVotes"`
}

// SimBound is one of the switchover's bounds and whether this run kept it.
type SimBound struct {
	Name   string `json:"name"`
	Held   bool   `json:"held"`
	Detail string `json:"detail"`
}

// WriteSimulation writes s into dir as <stamp>-sim.json, .md and .svg (the
// plot the Markdown shows). Nothing is overwritten.
func WriteSimulation(dir string, s Simulation) (Files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, fmt.Errorf("report: creating %s: %w", dir, err)
	}
	base := SimulationStem(s)
	stem := base
	for i := 2; exists(filepath.Join(dir, stem+".json")); i++ {
		stem = fmt.Sprintf("%s-%d", base, i)
	}
	f := Files{JSON: filepath.Join(dir, stem+".json"), Markdown: filepath.Join(dir, stem+".md"), SVG: filepath.Join(dir, stem+".svg")}
	js, err := jsonOf(s)
	if err != nil {
		return Files{}, err
	}
	for _, w := range []struct {
		path string
		data []byte
	}{{f.JSON, js}, {f.SVG, []byte(SimulationSVG(s))}, {f.Markdown, []byte(SimulationMarkdown(s, filepath.Base(f.SVG)))}} {
		if err := os.WriteFile(w.path, w.data, 0o644); err != nil {
			return Files{}, fmt.Errorf("report: writing %s: %w", w.path, err)
		}
	}
	return f, nil
}

// SimulationMarkdown is the human report: summary, bounds, impact table,
// the plot and the timeline.
func SimulationMarkdown(s Simulation, svg string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s\n\n", s.Title)
	for _, l := range s.Scenario {
		p("- %s\n", l)
	}
	p("\n")
	for _, l := range s.Summary {
		p("%s  \n", l)
	}
	p("\n![requests by outcome](%s)\n\n", svg)
	p("## RTO and RPO\n\n| | achieved | target | |\n|---|---|---|---|\n")
	p("| RTO | %s | %s | %s |\n", value(s.RTO), Human(s.RTO.TargetSeconds), s.RTO.Note)
	p("| RPO | %s | %s | %s |\n\n", value(s.RPO), Human(s.RPO.TargetSeconds), s.RPO.Note)
	im := s.Impact
	p("## Impact\n\n| | |\n|---|---|\n")
	p("| requests | %d (%d served, %d failed) |\n", im.Requests, im.Served, im.Requests-im.Served)
	p("| failed votes | %s |\n", byReason(im.FailedVotes))
	p("| failed session writes | %s |\n", byReason(im.FailedSessionWrites))
	p("| seconds of split traffic (both regions answered) | %d (longest run %d s) |\n", im.SplitSeconds, im.LongestSplit)
	p("| seconds the serving region ran below its active task floor | %d |\n", im.BelowFloorSeconds)
	p("| requests served by a region whose cache is read-only | %d |\n", im.ReadOnlyServed)
	p("| session writes sent across the VPC peering to the other region's primary | %d |\n", im.CrossRegionSessionWrites)
	p("| votes lost by a data-loss failover | %d |\n\n", im.LostVotes)
	if len(s.Bounds) > 0 {
		p("## Bounds\n\n| bound | held | detail |\n|---|---|---|\n")
		for _, x := range s.Bounds {
			mark := "yes"
			if !x.Held {
				mark = "**NO**"
			}
			p("| %s | %s | %s |\n", x.Name, mark, x.Detail)
		}
		p("\n")
	}
	if len(s.Legs) > 0 {
		p("## Runbook steps\n\n| run | step | at | took | result |\n|---|---|---|---|---|\n")
		for i, l := range s.Legs {
			for _, st := range l.Steps {
				p("| %d (%s) | %s | %s | %s | %s |\n", i+1, l.Mode, st.Name, mmss(st.Start.Sub(s.Started).Seconds()), Human(st.Seconds), st.Result)
			}
		}
		p("\n")
	}
	p("## Timeline\n\n| t | source | what happened |\n|---|---|---|\n")
	for _, e := range s.Timeline {
		p("| %s | %s | %s |\n", mmss(e.At), e.Source, strings.ReplaceAll(e.Text, "|", "\\|"))
	}
	return b.String()
}

func byReason(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	keys := make([]string, 0, len(m))
	total := 0
	for k, v := range m {
		keys = append(keys, k)
		total += v
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
	}
	return fmt.Sprintf("%d: %s", total, strings.Join(parts, ", "))
}

// mmss formats seconds as m:ss.
func mmss(sec float64) string {
	s := int(sec)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
