package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// nice rounds n up to 1, 2 or 5 times a power of ten, for round axis labels.
func nice(n int) int {
	for base := 1; ; base *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*base >= n {
				return m * base
			}
		}
	}
}

func jsonOf(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: encoding JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// Outcome colours: served green, each failure reason its own colour.
var simColors = map[string]string{
	"served":                      "#66bb6a",
	"no DNS answer":               "#616161",
	"region down":                 "#212121",
	"no healthy task":             "#8d6e63",
	"overloaded (too few tasks)":  "#ff7043",
	"cache read-only (secondary)": "#d81b60",
	"cache failover in progress":  "#f48fb1",
	"Aurora write pause":          "#7e57c2",
	"Aurora failover in progress": "#b39ddb",
	"Aurora writer unreachable":   "#3949ab",
}

var simOrder = []string{"region down", "no DNS answer", "no healthy task", "overloaded (too few tasks)",
	"cache read-only (secondary)", "cache failover in progress", "Aurora write pause",
	"Aurora failover in progress", "Aurora writer unreachable"}

// SimulationSVG plots requests by outcome over time as stacked columns (one
// per bucket of seconds): served at the bottom in green, failures stacked
// above by reason; shaded spans for write pauses, cache failovers and
// outages; dashed lines for the operator and the runbook's steps. Below it,
// the share of requests each region got.
func SimulationSVG(s Simulation) string {
	const (
		width, left, right = 1100, 70, 260
		top, plotH         = 120, 300
		regionH            = 60
	)
	chartW := float64(width - left - right)
	n := len(s.Series)
	if n == 0 {
		n = 1
	}
	bucket := int(math.Max(1, math.Ceil(float64(n)/220)))
	type col struct {
		served, total int
		failed        map[string]int
		region        map[string]int
	}
	var cols []col
	for i := 0; i < len(s.Series); i += bucket {
		c := col{failed: map[string]int{}, region: map[string]int{}}
		secs := s.Series[i:min(i+bucket, len(s.Series))]
		for _, x := range secs {
			c.served += x.Served
			for k, v := range x.Failed {
				c.failed[k] += v
			}
			for k, v := range x.ByRegion {
				c.region[k] += v
			}
		}
		// Per-second averages, so a short last bucket is not a dip.
		c.served = (c.served + len(secs)/2) / len(secs)
		c.total = c.served
		for k, v := range c.failed {
			c.failed[k] = (v + len(secs)/2) / len(secs)
			c.total += c.failed[k]
		}
		cols = append(cols, c)
	}
	peak := 1
	for _, c := range cols {
		peak = max(peak, c.total)
	}
	peak = nice(peak)
	span := float64(len(s.Series))
	if span == 0 {
		span = 1
	}
	xOf := func(sec float64) float64 { return left + sec/span*chartW }
	yOf := func(v int) float64 { return top + plotH - float64(v)/float64(peak)*plotH }
	height := top + plotH + 40 + regionH + 40 + 20*len(s.Summary) + 20

	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n", width, height, width, height)
	p(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	p(`<text x="16" y="26" font-size="17" font-weight="bold">%s</text>`+"\n", esc(s.Title))
	p(`<text x="16" y="46" fill="#444">Requests per second by outcome (averaged over %d s): what shareholders saw during the switchover (simulated, virtual time)</text>`+"\n", bucket)
	if len(s.Scenario) > 0 {
		p(`<text x="16" y="64" fill="#666">%s</text>`+"\n", esc(clip(strings.Join(s.Scenario, " · "), 170)))
	}
	// Shaded windows behind the columns.
	shade := map[string]string{"write pause": "#ede7f6", "cache failover": "#fce4ec", "outage": "#eeeeee"}
	for _, w := range s.Windows {
		c := "#f5f5f5"
		for k, v := range shade {
			if strings.Contains(w.Name, k) {
				c = v
			}
		}
		x0, x1 := xOf(w.From), xOf(w.To)
		p(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", x0, top, math.Max(x1-x0, 1), plotH, c)
	}
	// Labels after every shade, so a later window does not cover them.
	for i, w := range s.Windows {
		p(`<text x="%.1f" y="%d" fill="#555" font-size="10">%s</text>`+"\n", xOf(w.From)+2, top+12+(i%2)*12, esc(w.Name))
	}
	// Axes and grid.
	p(`<text x="%d" y="%d" fill="#666" transform="rotate(-90 %d %d)" text-anchor="middle">requests per second</text>`+"\n", 18, top+plotH/2, 18, top+plotH/2)
	for i := 0; i <= 4; i++ {
		v := peak * i / 4
		y := yOf(v)
		p(`<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e0e0e0"/>`+"\n", left, y, left+chartW, y)
		p(`<text x="%d" y="%.1f" text-anchor="end" fill="#666">%d</text>`+"\n", left-6, y+4, v)
	}
	tick := 60.0
	for span/tick > 12 {
		tick *= 2
	}
	for t := 0.0; t <= span; t += tick {
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%s</text>`+"\n", xOf(t), top+plotH+16, mmss(t))
	}
	// Columns.
	cw := chartW / float64(len(cols))
	for i, c := range cols {
		x := left + float64(i)*cw
		y := float64(top + plotH)
		stack := func(v int, color string) {
			if v == 0 {
				return
			}
			h := float64(v) / float64(peak) * plotH
			y -= h
			p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x, y, math.Max(cw-0.3, 0.5), h, color)
		}
		stack(c.served, simColors["served"])
		for _, r := range simOrder {
			stack(c.failed[r], simColors[r])
		}
	}
	// Marks, their labels staggered over three rows above the plot.
	for i, m := range s.Marks {
		x := xOf(m.At)
		ly := top - 8 - (i%3)*13
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#1565c0" stroke-dasharray="4 3"/>`+"\n", x, ly+3, x, top+plotH)
		p(`<text x="%.1f" y="%d" fill="#1565c0" font-size="11">%s</text>`+"\n", x+3, ly, esc(m.Text))
	}
	// Where traffic goes: one band per region, its share per column.
	ry := top + plotH + 34
	p(`<text x="%d" y="%d" fill="#444">where requests went</text>`+"\n", left, ry-4)
	regionColor := []string{"#1e88e5", "#fb8c00"}
	for i, c := range cols {
		x := left + float64(i)*cw
		tot := 0
		for _, v := range c.region {
			tot += v
		}
		y := float64(ry)
		for j, r := range s.Regions {
			if tot == 0 {
				break
			}
			h := float64(c.region[r]) / float64(tot) * regionH
			p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x, y, math.Max(cw-0.3, 0.5), h, regionColor[j%2])
			y += h
		}
	}
	// Legend on the right.
	lx, ly := left+int(chartW)+20, top
	legend := append([]string{"served"}, simOrder...)
	for _, k := range legend {
		p(`<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" fill="#333">%s</text>`+"\n", lx, ly, simColors[k], lx+18, ly+10, esc(k))
		ly += 18
	}
	ly += 10
	for j, r := range s.Regions {
		p(`<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" fill="#333">requests to %s</text>`+"\n", lx, ly, regionColor[j%2], lx+18, ly+10, esc(r))
		ly += 18
	}
	sy := ry + regionH + 26
	for i, l := range s.Summary {
		p(`<text x="16" y="%d" fill="#222">%s</text>`+"\n", sy+i*20, esc(l))
	}
	p("</svg>\n")
	return b.String()
}
