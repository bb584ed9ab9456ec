package probe

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/report"
)

// summarize turns the events (sorted by send time) into seconds, failure runs and totals.
func summarize(p *Probe, ev []event) report.Observation {
	o := report.Observation{Started: p.started, Rate: p.o.Rate, Public: p.t.PublicURL, Resolver: p.t.Resolver,
		Regions: map[string]string{}, Totals: map[string]report.Tally{}}
	for _, r := range p.t.Regions {
		o.Regions[r.Name] = r.Endpoint
	}
	end := p.o.Now()
	o.Seconds = report.Seconds(end.Sub(p.started))
	var lat []float64
	cur := -1
	flush := func() {
		if cur < 0 {
			return
		}
		s := &o.Series[len(o.Series)-1]
		s.P50Ms, s.P90Ms, s.P99Ms, s.MaxMs = percentile(lat, 50), percentile(lat, 90), percentile(lat, 99), percentile(lat, 100)
		lat = lat[:0]
	}
	open := map[string]*report.FailureRun{}
	for _, e := range ev {
		at := e.sent.Sub(p.started).Seconds()
		if sec := int(math.Floor(at)); sec != cur {
			flush()
			for cur < sec { // one entry per second, also for seconds with nothing sent
				cur++
				o.Series = append(o.Series, report.ObservedSecond{At: float64(cur), Outcomes: map[string]int{}})
			}
		}
		s := &o.Series[len(o.Series)-1]
		t := o.Totals[e.kind]
		if t.ByOutcome == nil {
			t.ByOutcome = map[string]int{}
		}
		t.ByOutcome[e.outcome]++
		s.Outcomes[e.outcome]++
		if e.outcome != OutcomeSkipped {
			s.Sent++
			s.SentBy = inc(s.SentBy, e.kind)
			t.Sent++
		}
		failed := report.FailedOutcome(e.outcome)
		if failed {
			t.Failed++
			s.Failed = inc(s.Failed, e.kind)
		}
		o.Totals[e.kind] = t
		if e.outcome == OutcomeOK {
			lat = append(lat, float64(e.latency.Microseconds())/1000)
			if !strings.HasPrefix(e.kind, DirectPrefix) {
				s.ByRegion = inc(s.ByRegion, e.region)
			}
			if e.kind == KindVote {
				s.VotesOK = inc(s.VotesOK, e.region)
			}
		}
		switch r := open[e.kind]; {
		case failed && r == nil:
			open[e.kind] = &report.FailureRun{Kind: e.kind, From: round(at), To: round(at), Failed: 1}
		case failed:
			r.To, r.Failed = round(at), r.Failed+1
		case e.outcome == OutcomeOK && r != nil:
			r.To = round(at)
			o.Failures = append(o.Failures, *r)
			delete(open, e.kind)
		}
	}
	flush()
	for _, r := range open {
		o.Failures = append(o.Failures, *r)
	}
	sort.SliceStable(o.Failures, func(i, j int) bool { return o.Failures[i].From < o.Failures[j].From })
	return o
}

func inc(m map[string]int, k string) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	m[k]++
	return m
}

func round(s float64) float64 { return report.Seconds(time.Duration(s * float64(time.Second))) }

// percentile is the nearest-rank percentile of v (sorted in place); 0 for no values.
func percentile(v []float64, pct float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	i := int(math.Ceil(pct/100*float64(len(v)))) - 1
	return v[max(i, 0)]
}
