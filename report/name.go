package report

import (
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// Stamp is a UTC time as it appears in report file names: sortable, no separators.
func Stamp(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Stem is a run report's file name stem: what ran, where to, and when (UTC), e.g.
// drill-tokyo-to-osaka-and-back-20260612T010203Z or switchover-to-osaka-refused-…, so reports
// of different runs never collide and list by kind, then time.
func Stem(r Report) string {
	parts := []string{r.Kind}
	if route := routeOf(r); route != "" {
		parts = append(parts, route)
	}
	if r.Result == Refused {
		parts = append(parts, "refused")
	}
	return strings.Join(append(parts, Stamp(r.Started)), "-")
}

func routeOf(r Report) string {
	if len(r.Legs) == 0 {
		if r.Target == "" {
			return ""
		}
		return "to-" + config.StackFor(r.Target)
	}
	first, last := r.Legs[0], r.Legs[len(r.Legs)-1]
	if len(r.Legs) > 1 && last.To == first.From {
		return config.StackFor(first.From) + "-to-" + config.StackFor(first.To) + "-and-back"
	}
	return config.StackFor(first.From) + "-to-" + config.StackFor(last.To)
}

// SimulationStem is a simulation report's file name stem: the scenario and when the simulation
// ran (UTC), not the simulated start, which is the same for every scenario.
func SimulationStem(s Simulation) string {
	at := s.RanAt
	if at.IsZero() {
		at = s.Started
	}
	name := strings.Trim(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, strings.ToLower(s.Name)), "-")
	if name == "" {
		return "simulation-" + Stamp(at)
	}
	return "simulation-" + name + "-" + Stamp(at)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
