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
		Title:   fmt.Sprintf("Simulated %s switchover to %s", sc.Mode, sc.To),
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
	s.RTO = report.Unknown(time.Duration(r.Config.Switchover.RtoTargetMinutes)*time.Minute, "the switchover did not complete")
	if rto, ok := r.rto(); ok {
		s.RTO = report.NewMeasure(rto, time.Duration(r.Config.Switchover.RtoTargetMinutes)*time.Minute,
			"from the operator's first `drctl switchover` until the new primary's stack had moved capacity, "+
				"writer, cache and traffic and confirmed the writer (re-runs included); clients follow within the record TTL")
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

// Summary is the short human verdict: outcome, RTO/RPO, impact, bounds.
func (r *Result) Summary() []string {
	im := r.Impact()
	outcome := "completed"
	if r.Err != nil {
		outcome = "STOPPED: " + firstLine(r.Err)
	}
	rto := "not reached"
	if d, ok := r.rto(); ok {
		rto = report.Human(report.Seconds(d))
	}
	rpo := "0 s"
	if r.RPOKnown {
		rpo = report.Human(report.Seconds(r.RPO))
	}
	held, total := 0, 0
	var broken []string
	for _, b := range r.Bounds() {
		if !b.Applies {
			continue
		}
		total++
		if b.Held {
			held++
		} else {
			broken = append(broken, b.Name)
		}
	}
	lines := []string{
		fmt.Sprintf("Switchover to %s (%s) %s; writer %s, cache primary %s; RTO %s, RPO %s.", r.Scenario.To, r.Scenario.Mode, outcome, r.Writer, r.Cache, rto, rpo),
		fmt.Sprintf("Shareholders: %d requests, %d failed: %d votes, %d session writes; %d s split traffic, %d s below the task floor.",
			im.Requests, im.Requests-im.Served, sum(im.FailedVotes), sum(im.FailedSessionWrites), im.SplitSeconds, im.BelowFloorSeconds),
		fmt.Sprintf("Read-only cache: %d requests served by a region whose cache is a secondary; %d session writes sent across the VPC peering to the primary.",
			im.ReadOnlyServed, im.CrossRegionSessions),
	}
	b := fmt.Sprintf("Bounds: %d of %d held", held, total)
	if len(broken) > 0 {
		b += "; broken: " + broken[0]
		if len(broken) > 1 {
			b += fmt.Sprintf(" (+%d more)", len(broken)-1)
		}
	}
	return append(lines, b+".")
}
