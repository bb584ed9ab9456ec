package report

import (
	"encoding/xml"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Layout of the timeline, in SVG user units.
const (
	svgWidth   = 1000
	labelWidth = 320
	chartWidth = 520 // leaves room on the right for the duration text of the last bar
	rowHeight  = 24
	lineHeight = 18
	footHeight = 52
	maxOpRows  = 8 // per step: the longest resource operations
)

var colors = map[Result]string{
	OK: "#2e7d32", Skipped: "#9e9e9e", Failed: "#c62828", Interrupted: "#ef6c00",
}

type row struct {
	header bool // a leg's title row, without a bar
	label  string
	start  time.Time
	end    time.Time
	color  string
	text   string
	op     bool
}

// SVG draws the steps of every leg as bars on one time axis (a Gantt chart), with the
// resource operations of each `pulumi up` as thinner bars under it and each leg's RTO marked.
// It uses no external library: plain rectangles and text.
func SVG(r Report) string {
	rows := rowsOf(r)
	origin, span := r.Started, r.Finished.Sub(r.Started)
	for _, x := range rows {
		if d := x.end.Sub(origin); d > span {
			span = d
		}
	}
	if span <= 0 {
		span = time.Second
	}
	tick := tickFor(span)
	xOf := func(t time.Time) float64 {
		return labelWidth + float64(t.Sub(origin))/float64(span)*chartWidth
	}
	lines := summary(r)
	headHeight := 44 + len(lines)*lineHeight + 16
	height := headHeight + len(rows)*rowHeight + footHeight

	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n",
		svgWidth, height, svgWidth, height)
	p(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	p(`<text x="16" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", esc(r.Title))
	for i, line := range lines {
		p(`<text x="16" y="%d" fill="#444">%s</text>`+"\n", 46+i*lineHeight, esc(line))
	}

	top := headHeight
	bottom := top + len(rows)*rowHeight
	for t := time.Duration(0); t <= span; t += tick {
		x := xOf(origin.Add(t))
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e0e0e0"/>`+"\n", x, top-6, x, bottom)
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%s</text>`+"\n", x, top-10, tickLabel(t))
	}
	for i, x := range rows {
		y := top + i*rowHeight
		if i%2 == 0 {
			p(`<rect x="0" y="%d" width="%d" height="%d" fill="#fafafa"/>`+"\n", y, svgWidth, rowHeight)
		}
		if x.header {
			p(`<text x="16" y="%d" font-weight="bold" fill="#1565c0">%s</text>`+"\n", y+rowHeight/2+4, esc(x.label))
			continue
		}
		indent, h, weight := 24, rowHeight-8, "normal"
		if x.op {
			indent, h = 44, rowHeight-14
		} else {
			weight = "bold"
		}
		p(`<text x="%d" y="%d" font-weight="%s">%s</text>`+"\n", indent, y+rowHeight/2+4, weight, esc(clip(x.label, 44)))
		x0, x1 := xOf(x.start), xOf(x.end)
		w := math.Max(x1-x0, 2)
		p(`<rect x="%.1f" y="%d" width="%.1f" height="%d" rx="3" fill="%s"/>`+"\n", x0, y+(rowHeight-h)/2, w, h, x.color)
		p(`<text x="%.1f" y="%d" fill="#333">%s</text>`+"\n", x0+w+6, y+rowHeight/2+4, esc(x.text))
	}
	// Each leg's RTO: a dashed line where it ended, labelled below the chart.
	for i, l := range r.Legs {
		if !l.RTO.Known {
			continue
		}
		x := xOf(l.Started.Add(time.Duration(l.RTO.Seconds * float64(time.Second))))
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#1565c0" stroke-dasharray="4 3"/>`+"\n", x, top, x, bottom)
		p(`<text x="%.1f" y="%d" fill="#1565c0" text-anchor="middle">%s</text>`+"\n", x, bottom+16,
			esc(fmt.Sprintf("RTO leg %d: %s", i+1, Human(l.RTO.Seconds))))
	}
	legend := []Result{OK, Skipped, Failed, Interrupted}
	lx := 16
	for _, res := range legend {
		p(`<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" fill="#444">%s</text>`+"\n",
			lx, height-22, colors[res], lx+16, height-12, res)
		lx += 100
	}
	p(`<rect x="%d" y="%d" width="12" height="6" fill="#64b5f6"/><text x="%d" y="%d" fill="#444">resource operation</text>`+"\n",
		lx, height-19, lx+16, height-12)
	p("</svg>\n")
	return b.String()
}

func rowsOf(r Report) []row {
	var rows []row
	for li, l := range r.Legs {
		rows = append(rows, row{header: true, label: fmt.Sprintf("Leg %d: %s → %s (%s)", li+1, l.From, l.To, l.Mode)})
		for _, s := range l.Steps {
			rows = append(rows, row{label: s.Name, start: s.Start, end: s.End, color: colorOf(s.Result),
				text: fmt.Sprintf("%s · %s", Human(s.Seconds), s.Result)})
			ops := append([]Op(nil), s.Ops...)
			sort.SliceStable(ops, func(i, j int) bool { return ops[i].Seconds > ops[j].Seconds })
			if len(ops) > maxOpRows {
				ops = ops[:maxOpRows]
			}
			sort.SliceStable(ops, func(i, j int) bool { return ops[i].Start.Before(ops[j].Start) })
			for _, o := range ops {
				c := "#64b5f6"
				if o.Failed {
					c = colors[Failed]
				}
				rows = append(rows, row{label: o.Op + " " + o.Resource, start: o.Start, end: o.End, color: c,
					text: Human(o.Seconds), op: true})
			}
		}
	}
	return rows
}

// summary is the header: the outcome, then one line per leg with its RTO and RPO.
func summary(r Report) []string {
	lines := []string{fmt.Sprintf("%s in %s, started %s", r.Result, Human(r.Seconds), stamp(r.Started))}
	for i, l := range r.Legs {
		lines = append(lines, fmt.Sprintf("Leg %d, %s → %s (%s): RTO %s (target %s, %s) · RPO %s (budget %s, %s)",
			i+1, l.From, l.To, l.Mode, value(l.RTO), Human(l.RTO.TargetSeconds), metWord(l.RTO),
			value(l.RPO), Human(l.RPO.TargetSeconds), metWord(l.RPO)))
	}
	return lines
}

func metWord(m Measure) string {
	switch {
	case !m.Known:
		return "not measured"
	case m.Met:
		return "met"
	}
	return "MISSED"
}

func colorOf(r Result) string {
	if c, ok := colors[r]; ok {
		return c
	}
	return colors[Skipped]
}

// tickFor picks a round tick interval giving at most 10 ticks over span.
func tickFor(span time.Duration) time.Duration {
	for _, s := range []int{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600} {
		if d := time.Duration(s) * time.Second; span/d <= 10 {
			return d
		}
	}
	return time.Hour
}

func tickLabel(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func clip(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writing to a strings.Builder cannot fail
	return b.String()
}
