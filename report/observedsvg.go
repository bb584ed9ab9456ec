package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ObservedSVG draws the probe's public-name requests per second by outcome (served green,
// failed red, stacked) and, over them, the predicted shape: each leg's predicted share of failed
// requests times the requests the probe sent, as a dashed line, lined up at the leg's start.
func ObservedSVG(r Report) string {
	o := r.Observed
	if o == nil {
		return ""
	}
	const w, h, left, top, bottom = 1000.0, 320.0, 60.0, 40.0, 40.0
	n := max(len(o.Series), 1)
	peak := 1
	sent := make([]int, len(o.Series))
	failed := make([]int, len(o.Series))
	for i, s := range o.Series {
		for _, k := range []string{"read", "session", "vote"} {
			sent[i] += s.SentBy[k]
			failed[i] += s.Failed[k]
		}
		peak = max(peak, sent[i])
	}
	x := func(at float64) float64 { return left + at/float64(n)*(w-left-20) }
	y := func(v float64) float64 { return top + (1-v/float64(peak))*(h-top-bottom) }
	bw := (w - left - 20) / float64(n)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	p(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	p(`<text x="%.0f" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", left, esc("Probe on the public name: requests per second by outcome, predicted failures dashed"))
	for i, s := range o.Series {
		ok := sent[i] - failed[i]
		p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2e7d32"/>`+"\n", x(s.At), y(float64(ok)), math.Max(bw-0.5, 0.5), y(0)-y(float64(ok)))
		if failed[i] > 0 {
			p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#c62828"/>`+"\n", x(s.At), y(float64(sent[i])), math.Max(bw-0.5, 0.5), y(float64(ok))-y(float64(sent[i])))
		}
	}
	for _, c := range r.Comparison {
		if c.Leg-1 >= len(r.Predicted) {
			continue
		}
		pr := r.Predicted[c.Leg-1]
		var pts []string
		for _, ps := range pr.Series {
			at := c.Offset + ps.At - pr.OperatorAt
			i := int(at)
			if at < 0 || i >= len(o.Series) {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(at)+bw/2, y(ps.Failed*float64(sent[i]))))
		}
		if len(pts) > 1 {
			p(`<polyline points="%s" fill="none" stroke="#ef6c00" stroke-width="2" stroke-dasharray="6 3"/>`+"\n", strings.Join(pts, " "))
		}
		p(`<line x1="%.1f" x2="%.1f" y1="%.0f" y2="%.0f" stroke="#555" stroke-dasharray="2 2"/>`+"\n", x(c.Offset), x(c.Offset), top, h-bottom)
		p(`<text x="%.1f" y="%.0f">%s</text>`+"\n", x(c.Offset)+3, top+12, esc(fmt.Sprintf("leg %d → %s", c.Leg, c.To)))
	}
	p(`<line x1="%.0f" x2="%.0f" y1="%.0f" y2="%.0f" stroke="#000"/>`+"\n", left, w-20, h-bottom, h-bottom)
	p(`<text x="%.0f" y="%.0f" text-anchor="end">%d/s</text>`+"\n", left-4, top+4, peak)
	p(`<text x="%.0f" y="%.0f" text-anchor="end">0</text>`+"\n", left-4, h-bottom)
	p(`<text x="%.0f" y="%.0f">0 s</text><text x="%.0f" y="%.0f" text-anchor="end">%s</text>`+"\n", left, h-bottom+16, w-20, h-bottom+16, esc(Human(o.Seconds)))
	p(`<text x="%.0f" y="%.0f"><tspan fill="#2e7d32">■ served</tspan>  <tspan fill="#c62828">■ failed</tspan>  <tspan fill="#ef6c00">- - predicted failed</tspan></text>`+"\n", left, h-8)
	p("</svg>\n")
	return b.String()
}
