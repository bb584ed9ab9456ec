package report

import (
	"fmt"
	"strings"
	"time"
)

// Markdown renders the report for people: the outcome first, then per leg the RTO and RPO
// against their targets and the step table. svgName, when set, is the timeline image beside it.
func Markdown(r Report, svgName string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s\n\n", r.Title)
	p("**Result: %s** · started %s · took %s\n\n", r.Result, stamp(r.Started), Human(r.Seconds))
	if r.Commit != "" || r.AppVersion != "" || r.RanBy != "" {
		p("Ran by %s · repo commit %s · app version %s\n\n", or(r.RanBy, "unknown"), or(r.Commit, "unknown"), or(r.AppVersion, "unknown"))
	}
	if r.Error != "" && r.Result == Refused {
		p("> **Refused, nothing was changed:** %s\n\n", oneLine(r.Error))
	} else if r.Error != "" {
		p("> **Stopped:** %s\n\n", oneLine(r.Error))
	}
	if svgName != "" {
		p("![Timeline of the steps](%s)\n\n", svgName)
	}
	for i, l := range r.Legs {
		p("## Leg %d: %s → %s (%s) — %s in %s\n\n", i+1, l.From, l.To, l.Mode, l.Result, Human(l.Seconds))
		p("| | achieved | target | met | how it was measured |\n|---|---|---|---|---|\n")
		p("| RTO | %s | %s | %s | %s |\n", value(l.RTO), Human(l.RTO.TargetSeconds), met(l.RTO), cell(l.RTO.Note))
		p("| RPO | %s | %s | %s | %s |\n\n", value(l.RPO), Human(l.RPO.TargetSeconds), met(l.RPO), cell(l.RPO.Note))
		p("| # | step | stack | start | end | duration | result | detail |\n|---|---|---|---|---|---|---|---|\n")
		for j, s := range l.Steps {
			detail := s.Detail
			if s.Error != "" {
				detail = strings.TrimSpace(detail + " — error: " + s.Error)
			}
			p("| %d | %s | %s | %s | %s | %s | %s | %s |\n", j+1, cell(s.Name), s.Stack,
				clock(s.Start), clock(s.End), Human(s.Seconds), s.Result, cell(detail))
		}
		p("\n")
		ops := false
		for _, s := range l.Steps {
			for _, o := range s.Ops {
				if !ops {
					p("Resource operations inside `pulumi up`:\n\n| stack | resource | type | op | duration |\n|---|---|---|---|---|\n")
					ops = true
				}
				res := o.Op
				if o.Failed {
					res += " (failed)"
				}
				typ := "—"
				if o.Type != "" {
					typ = "`" + o.Type + "`"
				}
				p("| %s | %s | %s | %s | %s |\n", s.Stack, o.Resource, typ, res, Human(o.Seconds))
			}
		}
		if ops {
			p("\n")
		}
	}
	plot := ""
	if svgName != "" {
		plot = ObservedPlotName(svgName)
	}
	b.WriteString(observedMarkdown(r, plot))
	for _, n := range r.Notes {
		p("- %s\n", oneLine(n))
	}
	return b.String()
}

func value(m Measure) string {
	if !m.Known {
		return "unknown"
	}
	return Human(m.Seconds)
}

func met(m Measure) string {
	switch {
	case !m.Known:
		return "—"
	case m.Met:
		return "yes"
	}
	return "**no**"
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") }

func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("15:04:05.0")
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(oneLine(s), "|", "\\|") }

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
