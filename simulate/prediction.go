package simulate

import (
	"fmt"
	"time"

	"github.com/agm-dr/agm-dr/config"

	"github.com/agm-dr/agm-dr/report"
)

// Prediction is the result as the drill report sets it beside what its probe observed: shares
// of failed requests per second (the probe sends far fewer requests than the simulated
// shareholders), the figures the drill also measures, and the durations used with their source.
func (r *Result) Prediction() report.Prediction {
	sc := r.Scenario
	pr := report.Prediction{
		Scenario: fmt.Sprintf("simulated %s switchover to %s, %s, capacity %d primary / %d standby tasks",
			sc.Mode, sc.To, seasonText(r.SeasonWindow), r.Config.Capacity.PrimaryTasks, r.Config.Capacity.StandbyTasks),
		OperatorAt: r.OperatorStartedAt,
		Params:     r.Params.Used(),
	}
	f := report.Figures{Sent: map[string]int{}, Failed: map[string]int{}, WritesOKSeconds: -1,
		RPOSeconds: report.Seconds(r.RPO), RPOKnown: r.RPOKnown || sc.Mode == "planned"}
	first, last := -1.0, -1.0
	var voteRun, sessRun float64
	for _, s := range r.Series {
		failed, votes, sessions := 0, 0, 0
		for _, n := range s.Failed {
			failed += n
		}
		for _, n := range s.VoteFails {
			votes += n
		}
		for _, n := range s.SessFails {
			sessions += n
		}
		share := 0.0
		if s.Requests > 0 {
			share = float64(failed) / float64(s.Requests)
		}
		pr.Series = append(pr.Series, report.PredictedShare{At: s.At, Failed: share})
		for _, m := range mix {
			k := probeKind(m.kind)
			f.Sent[k] += int(float64(s.Requests)*m.share + 0.5)
		}
		f.Failed["vote"] += votes
		f.Failed["session"] += sessions
		f.Failed["read"] += failed - votes - sessions
		if failed > 0 {
			if first < 0 {
				first = s.At
			}
			last = s.At + 1
		}
		if r.split(s) {
			f.SplitSeconds++
		}
		voteRun, f.VotePauseSeconds = runOf(votes > 0, voteRun, f.VotePauseSeconds)
		sessRun, f.SessionPauseSeconds = runOf(sessions > 0, sessRun, f.SessionPauseSeconds)
		if f.WritesOKSeconds < 0 && s.At >= r.OperatorStartedAt && s.Writer == sc.To && s.ByRegion[sc.To] > 0 && s.Votes > 0 && votes == 0 {
			f.WritesOKSeconds = s.At - r.OperatorStartedAt
		}
	}
	if first >= 0 {
		f.RTOSeconds = last - first
	}
	pr.Figures = f
	return pr
}

// runOf extends or ends a run of seconds and keeps the longest.
func runOf(on bool, run, longest float64) (float64, float64) {
	if !on {
		return 0, longest
	}
	return run + 1, max(longest, run+1)
}

// probeKind maps a simulated request kind to the probe's: votes and session writes are their
// own, everything else is a read as far as the probe can tell.
func probeKind(k string) string {
	switch k {
	case KindVote:
		return "vote"
	case KindSession:
		return "session"
	}
	return "read"
}

// SeasonAt reports whether t falls inside one of cfg's AGM-season windows.
func SeasonAt(cfg config.Config, t time.Time) bool {
	return len(activeWindows(cfg, t)) > 0
}
