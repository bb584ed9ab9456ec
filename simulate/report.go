package simulate

import (
	"fmt"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/report"
)

// Report is the result in the drill report family (JSON, Markdown, SVG).
func (r *Result) Report() report.Simulation {
	sc := r.Scenario
	im := r.Impact()
	s := report.Simulation{
		Title:   fmt.Sprintf("Simulated %s switchover to %s: %s", sc.Mode, sc.To, r.Outcome()),
		Started: r.Start, Seconds: r.End.Sub(r.Start).Seconds(), Legs: r.Legs, Regions: r.regions(),
		Impact: report.SimImpact{Requests: im.Requests, Served: im.Served, FailedVotes: im.FailedVotes,
			FailedSessionWrites: im.FailedSessionWrites, SplitSeconds: im.SplitSeconds, LongestSplit: im.LongestSplit,
			BelowFloorSeconds: im.BelowFloorSeconds, ReadOnlyServed: im.ReadOnlyServed, LostVotes: im.LostVotes,
			CrossRegionSessionWrites: im.CrossRegionSessions},
	}
	if sc.Name != "" {
		s.Scenario = append(s.Scenario, "scenario: "+sc.Name)
	}
	s.Scenario = append(s.Scenario, fmt.Sprintf("start %s (%s), primary %s", r.Start.Format("2006-01-02 15:04 MST"),
		seasonText(r.SeasonWindow), r.Config.PrimaryRegion))
	s.Scenario = append(s.Scenario, fmt.Sprintf("operator runs drctl switchover --to %s --mode %s at %s", sc.To, sc.Mode, mark(sc.OperatorAt)))
	if sc.OutageRegion != "" {
		line := fmt.Sprintf("%s goes down at %s", sc.OutageRegion, mark(sc.OutageAt))
		if sc.RecoverAt > 0 {
			line += ", recovers at " + mark(sc.RecoverAt)
		}
		s.Scenario = append(s.Scenario, line)
	}
	s.Scenario = append(s.Scenario, paramsLine(r.Params))
	for _, e := range r.Timeline {
		s.Timeline = append(s.Timeline, report.SimEvent{At: e.At, Source: e.Source, Text: e.Text})
	}
	for _, x := range r.Series {
		s.Series = append(s.Series, report.SimSecond{At: x.At, Served: x.Served, Failed: x.Failed, ByRegion: x.ByRegion,
			Tasks: x.Tasks, Floor: x.Floor})
	}
	for _, w := range r.WritePauses {
		s.Windows = append(s.Windows, report.SimWindow{Name: "Aurora write pause", From: w.From, To: w.To})
	}
	for _, w := range r.CacheWindows {
		s.Windows = append(s.Windows, report.SimWindow{Name: "cache failover", From: w.From, To: w.To})
	}
	if r.OutageAt >= 0 {
		to := r.End.Sub(r.Start).Seconds()
		if sc.RecoverAt > 0 {
			to = sc.RecoverAt.Seconds()
		}
		s.Windows = append(s.Windows, report.SimWindow{Name: sc.OutageRegion + " outage", From: r.OutageAt, To: to})
	}
	s.Marks = append(s.Marks, report.SimEvent{At: r.OperatorStartedAt, Text: "operator starts"})
	for _, l := range r.Legs {
		for _, st := range l.Steps {
			if st.Result == report.OK && st.Stack != "" && strings.HasPrefix(st.Name, "pulumi up") {
				s.Marks = append(s.Marks, report.SimEvent{At: st.End.Sub(r.Start).Seconds(), Text: "up " + st.Stack + " done"})
			}
		}
	}
	budget := time.Duration(r.Config.Switchover.RpoBudgetSeconds) * time.Second
	s.RTO = report.Unknown(r.RTOTarget(), "shareholders still saw failed requests when the simulation ended")
	if rto, from, _, ok := r.ShareholderRTO(); ok {
		how := "from the first failed request (the outage or the first step shareholders noticed) to the last one"
		if from < 0 {
			how = "no request failed"
		}
		if op, ok := r.rto(); ok {
			how += fmt.Sprintf("; the operator's commands took %s", report.Human(report.Seconds(op)))
		}
		s.RTO = report.NewMeasure(rto, r.RTOTarget(), how)
	}
	switch {
	case r.RPOKnown:
		s.RPO = report.NewMeasure(r.RPO, budget, fmt.Sprintf("data-loss failover: %d committed vote(s) discarded; replication lag at the outage %s", r.LostVotes, r.LagAtOutage))
	case r.Writer == sc.To:
		s.RPO = report.NewMeasure(0, budget, "switchover: Aurora synchronized the secondary first, nothing lost")
	default:
		s.RPO = report.Unknown(budget, "the writer did not move")
	}
	for _, b := range r.Bounds() {
		if b.Applies {
			s.Bounds = append(s.Bounds, report.SimBound{Name: b.Name, Held: b.Held, Detail: b.Detail})
		}
	}
	s.Summary = r.Summary()
	return s
}

// rto runs from the first run's start to the end of the run that
// confirmed the writer.
func (r *Result) rto() (time.Duration, bool) {
	for _, l := range r.Legs {
		if l.RTO.Known && len(r.Legs) > 0 {
			end := l.Started.Add(time.Duration(l.RTO.Seconds * float64(time.Second)))
			return end.Sub(r.Legs[0].Started), true
		}
	}
	return 0, false
}

func (r *Result) regions() []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range r.Series {
		for k := range x.Tasks {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	if len(out) == 2 && out[0] > out[1] {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

func mark(d time.Duration) string { return "t+" + d.String() }

// Outcome is the run's title word: completed, escalated, or stopped.
func (r *Result) Outcome() string {
	escalated := r.escalatedAt() >= 0
	switch {
	case r.Err != nil && escalated:
		return "escalated to unplanned, STOPPED"
	case r.Err != nil:
		return "STOPPED"
	case escalated:
		return "escalated to unplanned, completed"
	}
	return "completed"
}

// BoundsBroken counts the applicable bounds that broke, and those that apply.
func (r *Result) BoundsBroken() (broken []string, total int) {
	for _, b := range r.Bounds() {
		if !b.Applies {
			continue
		}
		total++
		if !b.Held {
			broken = append(broken, b.Name)
		}
	}
	return broken, total
}

// Summary is the short human verdict: outcome, RTO/RPO, impact, bounds, and
// for a stopped run its end state and the next command.
func (r *Result) Summary() []string {
	im := r.Impact()
	outcome := r.Outcome()
	if r.Err != nil {
		outcome += ": " + firstLine(r.Err)
	}
	rto := "not reached (requests still failed at the end)"
	if d, from, _, ok := r.ShareholderRTO(); ok && from >= 0 {
		rto = report.Human(report.Seconds(d)) + " from the first failed request"
	} else if ok {
		rto = "0 s (no request failed)"
	}
	rpo := "0 s"
	if r.RPOKnown {
		rpo = report.Human(report.Seconds(r.RPO))
	}
	broken, total := r.BoundsBroken()
	lines := []string{
		fmt.Sprintf("Switchover to %s (%s) %s; writer %s, cache primary %s; shareholder RTO %s (target %s), RPO %s.",
			r.Scenario.To, r.Scenario.Mode, outcome, r.Writer, r.Cache, rto, report.Human(report.Seconds(r.RTOTarget())), rpo),
		fmt.Sprintf("Shareholders: %d requests, %d failed: %d votes, %d session writes; %d s split traffic (two live regions answered), %d s below the task floor.",
			im.Requests, im.Requests-im.Served, sum(im.FailedVotes), sum(im.FailedSessionWrites), im.SplitSeconds, im.BelowFloorSeconds),
		"Failed requests by reason: " + reasons(im.Failed) + ".",
		fmt.Sprintf("Read-only cache: %d requests served by a region whose cache is a secondary; %d session writes sent across the VPC peering to the primary.",
			im.ReadOnlyServed, im.CrossRegionSessions),
	}
	if r.Err != nil {
		lines = append(lines, fmt.Sprintf("End state: writer %s, cache primary %s, traffic %s.", r.Writer, r.Cache, weights(r.Weights)))
		next := fmt.Sprintf("drctl switchover --to %s --mode %s", r.Scenario.To, r.Scenario.Mode)
		if _, cmd, ok := r.stoppedByOutage(); ok {
			next = cmd + "   (the old primary is down: escalate)"
		}
		lines = append(lines, "Next: "+next)
	}
	b := fmt.Sprintf("Bounds: %d of %d held", total-len(broken), total)
	if len(broken) > 0 {
		b += "; broken: " + broken[0]
		if len(broken) > 1 {
			b += fmt.Sprintf(" (+%d more)", len(broken)-1)
		}
	}
	return append(lines, b+".")
}

func weights(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "no record"
	}
	return strings.Join(parts, ", ")
}
