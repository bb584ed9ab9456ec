package report

import (
	"fmt"
	"strings"
)

// observedMarkdown is the drill report's "predicted vs observed" section; "" without a probe.
func observedMarkdown(r Report, plot string) string {
	o := r.Observed
	if o == nil {
		return ""
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## Shareholders: predicted vs observed\n\n")
	regions := []string{}
	for _, reg := range sortedKeys(o.Regions) {
		regions = append(regions, fmt.Sprintf("%s (%s)", reg, o.Regions[reg]))
	}
	sent, failed := 0, 0
	for _, t := range o.Totals {
		sent, failed = sent+t.Sent, failed+t.Failed
	}
	p("Probe: %d rounds/s for %s on %s (resolver %s) and directly on the load balancers of %s: %d requests, %d failed.",
		o.Rate, Human(o.Seconds), o.Public, o.Resolver, strings.Join(regions, ", "), sent, failed)
	if o.Note != "" {
		p(" %s", o.Note)
	}
	p("\nFlagged where the observation is worse than the prediction by more than %.0f %% and more than %s.\n\n",
		ToleranceShare*100, Human(ToleranceSeconds))
	if plot != "" {
		p("![Probe requests per second by outcome, predicted shape over it](%s)\n\n", plot)
	}
	for _, c := range r.Comparison {
		var pr *Prediction
		if c.Leg-1 < len(r.Predicted) {
			pr = &r.Predicted[c.Leg-1]
		}
		p("### Leg %d → %s\n\n", c.Leg, c.To)
		if pr != nil {
			p("Predicted: %s.\n\n", pr.Scenario)
		}
		pred := func(s string) string {
			if pr == nil {
				return "—"
			}
			return s
		}
		pf, of := c.Predicted, c.Observed
		p("| | predicted | observed |\n|---|---|---|\n")
		p("| shareholder-visible RTO (first failed request until requests succeed again) | %s | %s |\n", pred(Human(pf.RTOSeconds)), Human(of.RTOSeconds))
		p("| writes succeed in %s after the leg starts | %s | %s |\n", c.To, pred(after(pf.WritesOKSeconds)), after(of.WritesOKSeconds))
		for _, k := range []struct{ kind, name string }{{"vote", "failed votes"}, {"session", "failed session writes"}, {"read", "failed reads"}} {
			p("| %s | %s | %s |\n", k.name, pred(share(pf, k.kind)), share(of, k.kind))
		}
		p("| seconds of split traffic | %s | %s |\n", pred(Human(pf.SplitSeconds)), Human(of.SplitSeconds))
		lat := "no request answered"
		if of.LatencyKnown {
			lat = fmt.Sprintf("%.0f ms", of.WorstLatencyMs)
		}
		p("| worst latency (p99 of a second) | %s | %s |\n", pred("not modelled"), lat)
		p("| RPO | %s | %s |\n", pred(known(pf.RPOSeconds, pf.RPOKnown)), known(of.RPOSeconds, of.RPOKnown))
		p("| longest run of failed votes (Aurora write pause) | %s | %s |\n", pred(Human(pf.VotePauseSeconds)), Human(of.VotePauseSeconds))
		p("| longest run of failed session writes (cache failover) | %s | %s |\n\n", pred(Human(pf.SessionPauseSeconds)), Human(of.SessionPauseSeconds))
		for _, f := range c.Flags {
			p("**Worse than predicted:** %s. Recalibrate: `drctl simulate --calibrate <this report's .json>`.\n\n", f)
		}
		if pr != nil && len(pr.Params) > 0 {
			var ps []string
			for _, x := range pr.Params {
				ps = append(ps, fmt.Sprintf("%s %s (%s)", x.Name, Human(x.Seconds), x.Source))
			}
			p("Simulation parameters: %s.\n\n", strings.Join(ps, "; "))
		}
	}
	if len(r.Canaries) > 0 {
		p("### From inside AWS: the Synthetics canaries\n\n| region | canary | minutes | minutes below 100 %% | worst |\n|---|---|---|---|---|\n")
		for _, c := range r.Canaries {
			below, worst := 0, 100.0
			for _, m := range c.Minutes {
				if m.SuccessPercent < 100 {
					below++
				}
				worst = min(worst, m.SuccessPercent)
			}
			w := "—"
			if len(c.Minutes) > 0 {
				w = fmt.Sprintf("%.0f %%", worst)
			}
			p("| %s | %s | %d | %d | %s |\n", c.Region, c.Canary, len(c.Minutes), below, w)
		}
		p("\n")
		for _, c := range r.Canaries {
			if c.Note != "" {
				p("- %s: %s\n", c.Region, c.Note)
			}
		}
		p("\n")
	}
	return b.String()
}

func after(s float64) string {
	if s < 0 {
		return "never"
	}
	return Human(s)
}

func known(s float64, ok bool) string {
	if !ok {
		return "unknown"
	}
	return Human(s)
}

func share(f Figures, kind string) string {
	if f.Sent[kind] == 0 {
		return "none sent"
	}
	return fmt.Sprintf("%d of %d (%.1f %%)", f.Failed[kind], f.Sent[kind], 100*f.Share(kind))
}
