package simulate

import (
	"fmt"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// shareholderBounds are the bounds judged by what shareholders saw, whatever
// the scenario: overload in a planned run, the shareholder RTO against the
// configured target, and the escalation of a planned run stopped by an outage.
func (r *Result) shareholderBounds(planned bool) []Bound {
	var out []Bound
	add := func(name string, applies, held bool, format string, args ...any) {
		out = append(out, Bound{Name: name, Applies: applies, Held: held, Detail: fmt.Sprintf(format, args...)})
	}
	im := r.Impact()
	over, firstOver := 0, -1.0
	for _, s := range r.Series {
		if n := s.Failed[ReasonOverloaded] + s.Failed[ReasonNoTask]; n > 0 && !r.downAt(s.At) {
			over += n
			if firstOver < 0 {
				firstOver = s.At
			}
		}
	}
	add("planned: no request fails for overload (too few healthy tasks where traffic lands)", planned, over == 0,
		"%d request(s) failed as overloaded or without a healthy task%s", over, first(firstOver))

	target := r.RTOTarget()
	rto, from, to, ok := r.ShareholderRTO()
	detail := "no request failed"
	switch {
	case !ok:
		detail = fmt.Sprintf("first failed request at %s; shareholders still saw failures at the end (%s)", at(from), at(r.End.Sub(r.Start).Seconds()))
	case from >= 0:
		detail = fmt.Sprintf("first failed request at %s, last at %s: %s (target %s)", at(from), at(to), rto.Round(time.Second), target)
	}
	add("shareholder RTO: from the first failed request to recovery, within the configured RTO target", true,
		ok && rto <= target, "%s; %d of %d request(s) failed", detail, im.Requests-im.Served, im.Requests)

	if stoppedAt, cmd, applies := r.stoppedByOutage(); applies {
		esc := r.escalatedAt()
		waited := "never escalated"
		held := false
		if esc >= 0 {
			wait := time.Duration((esc - r.OutageAt) * float64(time.Second))
			waited = fmt.Sprintf("escalated at %s, %s after the outage", at(esc), wait.Round(time.Second))
			held = wait <= target
		}
		add("a planned run stopped by an outage is escalated within the RTO target", true, held,
			"the planned run stopped at %s while %s was down; next: `%s`; %s (target %s)", at(stoppedAt), r.Scenario.OutageRegion, cmd, waited, target)
	}
	return out
}

// RTOTarget is agm-dr:switchover rtoTargetMinutes.
func (r *Result) RTOTarget() time.Duration {
	return time.Duration(r.Config.Switchover.RtoTargetMinutes) * time.Minute
}

// ShareholderRTO runs from the first failed request to the last one before
// a clean end (ok false: requests still failed in the last second).
func (r *Result) ShareholderRTO() (rto time.Duration, from, to float64, ok bool) {
	from, to = -1, -1
	for _, s := range r.Series {
		if s.Requests > s.Served {
			if from < 0 {
				from = s.At
			}
			to = s.At
		}
	}
	if from < 0 {
		return 0, -1, -1, true
	}
	if n := len(r.Series); n > 0 && r.Series[n-1].Requests > r.Series[n-1].Served {
		return 0, from, to, false
	}
	return time.Duration((to - from + 1) * float64(time.Second)), from, to, true
}

// stoppedByOutage: a planned run stopped while the outage region was down.
// It returns when, and the command that escalates.
func (r *Result) stoppedByOutage() (float64, string, bool) {
	for _, l := range r.Legs {
		if l.Mode != string(config.Planned) || (l.Result != "failed" && l.Result != "interrupted") {
			continue
		}
		end := l.Finished.Sub(r.Start).Seconds()
		if r.downAt(end) {
			return end, EscalationCommand(r.Scenario.To), true
		}
	}
	return 0, "", false
}

// escalatedAt is when an unplanned run started after a planned one (-1: never).
func (r *Result) escalatedAt() float64 {
	for i, l := range r.Legs {
		if i > 0 && l.Mode == string(config.Unplanned) {
			return l.Started.Sub(r.Start).Seconds()
		}
	}
	return -1
}

// EscalationCommand is what the operator runs when the old primary is down.
func EscalationCommand(to string) string {
	return fmt.Sprintf("drctl switchover --to %s --mode %s", to, config.Unplanned)
}
