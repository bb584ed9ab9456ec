package report

import (
	"fmt"
	"strings"
)

// Tolerance is how much worse than predicted an observation may be before the report flags it:
// by more than ToleranceShare of the predicted value and by more than ToleranceSeconds.
const (
	ToleranceShare   = 0.5
	ToleranceSeconds = 1.0
)

// Prediction is what the simulation predicted for one leg of a drill.
type Prediction struct {
	Scenario string `json:"scenario"`
	// OperatorAt is the second of Series at which the switchover starts: it lines up with the
	// start of the leg.
	OperatorAt float64          `json:"operatorAt"`
	Series     []PredictedShare `json:"series"`
	Figures    Figures          `json:"figures"`
	Params     []Param          `json:"params"`
	Note       string           `json:"note,omitempty"`
}

// PredictedShare is one simulated second as shares of the requests sent, so it can be drawn over
// the probe's much smaller rate.
type PredictedShare struct {
	At     float64 `json:"at"`
	Failed float64 `json:"failedShare"`
}

// Param is one duration the simulation used: measured (from a drill report, by
// `drctl simulate --calibrate`) or assumed (the documented default).
type Param struct {
	Key     string  `json:"key"` // simulate.Params field, e.g. AuroraWritePause
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Source  string  `json:"source"` // "assumed" or "measured in <report>"
}

// Measured reports whether the value came from a drill.
func (p Param) Measured() bool { return strings.HasPrefix(p.Source, "measured") }

// Figures are what shareholders saw (or were predicted to see) during one leg.
type Figures struct {
	// RTO is from the first failed request to the last (0: none failed).
	RTOSeconds float64 `json:"rtoSeconds"`
	// WritesOK is from the start of the leg until votes succeed in the new region (-1: never).
	WritesOKSeconds float64        `json:"writesOkSeconds"`
	Sent            map[string]int `json:"sent"`   // read, session, vote
	Failed          map[string]int `json:"failed"` // read, session, vote
	SplitSeconds    float64        `json:"splitSeconds"`
	// WorstLatency is the highest per-second p99 (ms); the simulation does not model latency.
	WorstLatencyMs float64 `json:"worstLatencyMs"`
	LatencyKnown   bool    `json:"latencyKnown"`
	RPOSeconds     float64 `json:"rpoSeconds"`
	RPOKnown       bool    `json:"rpoKnown"`
	// The longest run of failed votes and of failed session writes: the write pauses shareholders saw.
	VotePauseSeconds    float64 `json:"votePauseSeconds"`
	SessionPauseSeconds float64 `json:"sessionPauseSeconds"`
}

// Share is failed/sent of kind, 0 when nothing was sent.
func (f Figures) Share(kind string) float64 {
	if f.Sent[kind] == 0 {
		return 0
	}
	return float64(f.Failed[kind]) / float64(f.Sent[kind])
}

// LegComparison sets one leg's observation beside its prediction.
type LegComparison struct {
	Leg       int     `json:"leg"`
	To        string  `json:"to"`
	Offset    float64 `json:"offset"` // the leg's start, seconds after the probe's start
	Predicted Figures `json:"predicted"`
	Observed  Figures `json:"observed"`
	// Flags name each simulation parameter the observation says is off.
	Flags []string `json:"flags,omitempty"`
	// Measured are durations this leg measured, by Param.Key, for calibration.
	Measured map[string]float64 `json:"measured,omitempty"`
}

// worse reports whether observed exceeds predicted by more than the tolerance.
func worse(observed, predicted float64) bool {
	return observed > predicted*(1+ToleranceShare) && observed-predicted > ToleranceSeconds
}

// paramsChecked pair an observed figure with the parameter that decides it in the simulation.
var paramsChecked = []struct {
	key      string
	observed func(Figures) float64
}{
	{"AuroraWritePause", func(f Figures) float64 { return f.VotePauseSeconds }},
	{"CacheFailover", func(f Figures) float64 { return f.SessionPauseSeconds }},
}

// Compare fills r.Comparison from r.Observed, r.Predicted and the legs. Prediction i belongs to
// leg i; a leg without one is compared with nothing but still gets its observed figures.
func Compare(r *Report) {
	r.Comparison = nil
	if r.Observed == nil {
		return
	}
	o := r.Observed
	for i, l := range r.Legs {
		from := l.Started.Sub(o.Started).Seconds()
		to := o.Seconds
		if i+1 < len(r.Legs) {
			to = r.Legs[i+1].Started.Sub(o.Started).Seconds()
		}
		lo := from
		if i == 0 {
			lo = 0
		}
		c := LegComparison{Leg: i + 1, To: l.To, Offset: from, Observed: observe(o, lo, to, from, l)}
		if i < len(r.Predicted) {
			pr := r.Predicted[i]
			c.Predicted = pr.Figures
			for _, pc := range paramsChecked {
				v := pc.observed(c.Observed)
				if v <= 0 {
					continue
				}
				if c.Measured == nil {
					c.Measured = map[string]float64{}
				}
				c.Measured[pc.key] = v
				for _, p := range pr.Params {
					if p.Key == pc.key && worse(v, p.Seconds) {
						c.Flags = append(c.Flags, fmt.Sprintf("%s: %s measured, %s %s", p.Name, Human(v), Human(p.Seconds), sourceWord(p)))
					}
				}
			}
			if worse(c.Observed.RTOSeconds, c.Predicted.RTOSeconds) && len(c.Flags) == 0 {
				c.Flags = append(c.Flags, fmt.Sprintf("shareholder-visible RTO: %s measured, %s predicted (no single parameter explains it: compare the failure runs with the simulation's timeline)",
					Human(c.Observed.RTOSeconds), Human(c.Predicted.RTOSeconds)))
			}
			if worse(c.Observed.SplitSeconds, c.Predicted.SplitSeconds) {
				c.Flags = append(c.Flags, fmt.Sprintf("DNS record TTL (RecordTTL): %s of split traffic measured, %s predicted",
					Human(c.Observed.SplitSeconds), Human(c.Predicted.SplitSeconds)))
			}
		}
		r.Comparison = append(r.Comparison, c)
	}
}

func sourceWord(p Param) string {
	if p.Measured() {
		return "calibrated"
	}
	return "assumed"
}

// observe computes a leg's figures from the probe seconds in [lo, hi); the leg started at start.
func observe(o *Observation, lo, hi, start float64, l Leg) Figures {
	f := Figures{Sent: map[string]int{}, Failed: map[string]int{}, WritesOKSeconds: -1, RPOSeconds: l.RPO.Seconds, RPOKnown: l.RPO.Known}
	first, last := -1.0, -1.0
	for _, s := range o.Series {
		if s.At < lo || s.At >= hi {
			continue
		}
		if len(s.ByRegion) > 1 {
			f.SplitSeconds++
		}
		if s.P99Ms > 0 {
			f.LatencyKnown = true
			f.WorstLatencyMs = max(f.WorstLatencyMs, s.P99Ms)
		}
		if f.WritesOKSeconds < 0 && s.At+1 > start && s.VotesOK[l.To] > 0 {
			f.WritesOKSeconds = max(s.At-start, 0)
		}
	}
	for _, s := range o.Series {
		if s.At < lo || s.At >= hi {
			continue
		}
		for _, kind := range []string{"read", "session", "vote"} {
			f.Failed[kind] += s.Failed[kind]
			f.Sent[kind] += s.SentBy[kind]
		}
	}
	for _, run := range o.Failures {
		if run.From < lo || run.From >= hi || strings.HasPrefix(run.Kind, "direct:") {
			continue
		}
		if first < 0 || run.From < first {
			first = run.From
		}
		last = max(last, run.To)
		switch run.Kind {
		case "vote":
			f.VotePauseSeconds = max(f.VotePauseSeconds, run.To-run.From)
		case "session":
			f.SessionPauseSeconds = max(f.SessionPauseSeconds, run.To-run.From)
		}
	}
	if first >= 0 {
		f.RTOSeconds = last - first
	}
	return f
}
