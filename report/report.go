// Package report holds the record of a switchover or drill (each step with its start, end,
// duration and result, and the achieved RTO and RPO against the configured targets) and writes
// it as JSON, Markdown and an SVG timeline, so everyone knows how long a switchover takes.
package report

import (
	"time"
)

// Result is how a step, a leg or a whole run ended.
type Result string

const (
	OK          Result = "ok"          // done, as intended
	Skipped     Result = "skipped"     // deliberately not run (e.g. old region in unplanned mode)
	Failed      Result = "failed"      // error: the run stopped here
	Interrupted Result = "interrupted" // cancelled (Ctrl-C, timeout): re-run to continue
	Refused     Result = "refused"     // the run did not start (input, preflight, readiness, not confirmed): nothing changed
)

// Refusal is the report of a run that was refused before it changed anything: Error says why.
func Refusal(kind, title string, started, end time.Time, reason string, notes ...string) Report {
	r := Report{Kind: kind, Title: title, Started: started, Result: Refused, Error: reason, Notes: notes}
	r.Finished = end
	r.Seconds = Seconds(end.Sub(started))
	return r
}

// Report is one `drctl switchover` or `drctl drill` run.
type Report struct {
	Kind     string    `json:"kind"` // "switchover" or "drill"
	Title    string    `json:"title"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"seconds"`
	Result   Result    `json:"result"`
	Error    string    `json:"error,omitempty"`
	Legs     []Leg     `json:"legs"`
	Notes    []string  `json:"notes,omitempty"`
	// Target is the region the run switched (or was refused switching) to.
	Target string `json:"target,omitempty"`
	// Provenance, so a report kept next to earlier drills says what ran: the repo's git commit
	// (with "-dirty" for uncommitted changes), the application release both regions run
	// (agm-dr:appImage) and who ran it.
	Commit     string `json:"commit,omitempty"`
	AppVersion string `json:"appVersion,omitempty"`
	RanBy      string `json:"ranBy,omitempty"`
	// What the probe saw, what the simulation predicted per leg, and the two side by side
	// (observed.go, compare.go); empty when the run had no probe.
	Observed   *Observation    `json:"observed,omitempty"`
	Predicted  []Prediction    `json:"predicted,omitempty"`
	Comparison []LegComparison `json:"comparison,omitempty"`
	Canaries   []CanaryView    `json:"canaries,omitempty"` // the in-AWS probes' view of the same window
}

// Leg is one switchover: the primary moving from one region to the other.
type Leg struct {
	From     string    `json:"from"` // region
	To       string    `json:"to"`
	Mode     string    `json:"mode"` // planned | unplanned
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"seconds"`
	Result   Result    `json:"result"`
	Steps    []Step    `json:"steps"`
	RTO      Measure   `json:"rto"`
	RPO      Measure   `json:"rpo"`
}

// Step is one action of a leg, such as setting primaryRegion or `pulumi up` of one stack.
type Step struct {
	Name    string    `json:"name"`
	Stack   string    `json:"stack,omitempty"`
	Region  string    `json:"region,omitempty"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Seconds float64   `json:"seconds"`
	Result  Result    `json:"result"`
	Detail  string    `json:"detail,omitempty"`
	Error   string    `json:"error,omitempty"`
	Ops     []Op      `json:"ops,omitempty"` // resource operations inside a `pulumi up`
}

// Op is one resource operation the engine performed during a step.
type Op struct {
	Resource string    `json:"resource"` // logical name
	Type     string    `json:"type"`
	Op       string    `json:"op"` // create, update, delete, replace, ...
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Seconds  float64   `json:"seconds"`
	Failed   bool      `json:"failed,omitempty"`
}

// Measure is an achieved value against its target. Known is false when it could not be
// measured (e.g. the leg failed before traffic moved); Note says how it was measured.
type Measure struct {
	Seconds       float64 `json:"seconds"`
	Known         bool    `json:"known"`
	TargetSeconds float64 `json:"targetSeconds"`
	Met           bool    `json:"met"`
	Note          string  `json:"note"`
}

// NewMeasure builds a known measure and decides whether it meets the target.
func NewMeasure(achieved, target time.Duration, note string) Measure {
	return Measure{
		Seconds:       Seconds(achieved),
		Known:         true,
		TargetSeconds: Seconds(target),
		Met:           achieved <= target,
		Note:          note,
	}
}

// Unknown is a measure that could not be taken, with the reason.
func Unknown(target time.Duration, note string) Measure {
	return Measure{TargetSeconds: Seconds(target), Note: note}
}

// Seconds rounds a duration to milliseconds, as seconds.
func Seconds(d time.Duration) float64 { return d.Round(time.Millisecond).Seconds() }

// Finish sets the end and duration of a step.
func (s *Step) Finish(end time.Time, r Result) {
	s.End = end
	s.Seconds = Seconds(end.Sub(s.Start))
	s.Result = r
}

// Close sets a leg's end, duration and result (the first step that did not end ok or skipped,
// else ok).
func (l *Leg) Close(end time.Time) {
	l.Finished = end
	l.Seconds = Seconds(end.Sub(l.Started))
	l.Result = OK
	for _, s := range l.Steps {
		if s.Result == Failed || s.Result == Interrupted {
			l.Result = s.Result
			return
		}
	}
}

// Close sets the run's end, duration and result from its legs.
func (r *Report) Close(end time.Time, err error) {
	r.Finished = end
	r.Seconds = Seconds(end.Sub(r.Started))
	r.Result = OK
	for _, l := range r.Legs {
		if l.Result != OK {
			r.Result = l.Result
			break
		}
	}
	if err != nil {
		r.Error = err.Error()
		if r.Result == OK {
			r.Result = Failed
		}
	}
}
