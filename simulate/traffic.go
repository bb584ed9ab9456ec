package simulate

import (
	"math"
	"time"
)

// Kinds of shareholder request, and what each needs beyond a healthy task.
const (
	KindPage     = "page view"     // reads only
	KindSession  = "session write" // the region's cache must accept writes
	KindVote     = "vote"          // the Aurora writer (global writer endpoint)
	KindQuestion = "question"      // the region's SQS queue
	KindUpload   = "upload"        // the region's S3 bucket
)

// Why a request failed.
const (
	ReasonNoAnswer       = "no DNS answer"
	ReasonRegionDown     = "region down"
	ReasonNoTask         = "no healthy task"
	ReasonOverloaded     = "overloaded (too few tasks)"
	ReasonCacheReadOnly  = "cache read-only (secondary)"
	ReasonCacheFailover  = "cache failover in progress"
	ReasonWritePause     = "Aurora write pause"
	ReasonWriterFailover = "Aurora failover in progress"
	ReasonWriterDown     = "Aurora writer unreachable"
)

// Reasons lists every failure reason in display order.
var Reasons = []string{ReasonNoAnswer, ReasonRegionDown, ReasonNoTask, ReasonOverloaded, ReasonCacheReadOnly,
	ReasonCacheFailover, ReasonWritePause, ReasonWriterFailover, ReasonWriterDown}

var mix = []struct {
	kind  string
	share float64
}{{KindPage, 0.60}, {KindSession, 0.20}, {KindVote, 0.10}, {KindQuestion, 0.06}, {KindUpload, 0.04}}

// Second is what one second of traffic looked like.
type Second struct {
	At        float64        `json:"at"`
	Requests  int            `json:"requests"`
	Served    int            `json:"served"`
	Failed    map[string]int `json:"failed,omitempty"`    // reason → count
	ByRegion  map[string]int `json:"byRegion"`            // region → requests routed there
	Votes     int            `json:"votes"`               // votes committed
	VoteFails map[string]int `json:"voteFails,omitempty"` // reason → failed votes
	SessFails map[string]int `json:"sessionFails,omitempty"`
	// ReadOnlyServed: requests served by a region whose cache is not the primary.
	ReadOnlyServed int `json:"readOnlyServed"`
	// CrossRegionSessions: session writes that went to the other region's cache primary.
	CrossRegionSessions int             `json:"crossRegionSessionWrites"`
	Tasks               map[string]int  `json:"tasks"` // healthy tasks per region
	Floor               int             `json:"floor"` // active task floor of the serving region
	Writer              string          `json:"writer"`
	CachePrimary        string          `json:"cachePrimary"`
	Weights             map[string]int  `json:"weights"`
	Healthy             map[string]bool `json:"healthy"`
}

// traffic is the shareholders: each has a resolver that caches the DNS
// answer for the record TTL, and sends requests at a steady rate.
type traffic struct {
	answer []string
	expiry []time.Time
	rate   float64 // requests per second per shareholder
}

func newTraffic(shareholders int, perSecond float64) *traffic {
	return &traffic{answer: make([]string, shareholders), expiry: make([]time.Time, shareholders),
		rate: perSecond / float64(shareholders)}
}

// poisson draws a request count with mean l (Knuth; l is small here).
func poisson(w *World, l float64) int {
	limit, k, p := math.Exp(-l), 0, 1.0
	for {
		p *= w.rng.Float64()
		if p <= limit {
			return k
		}
		k++
	}
}

func (t *traffic) tick(w *World) Second {
	s := Second{At: w.since(), Failed: map[string]int{}, ByRegion: map[string]int{}, VoteFails: map[string]int{},
		SessFails: map[string]int{}, Tasks: map[string]int{}, Weights: map[string]int{}, Healthy: map[string]bool{},
		Writer: w.aurora.writer, CachePrimary: w.cache.primary}
	used := map[string]int{}
	for i := range t.answer {
		n := poisson(w, t.rate)
		for ; n > 0; n-- {
			if !w.now.Before(t.expiry[i]) {
				t.answer[i], t.expiry[i] = w.dns.resolve(w), w.now.Add(w.P.RecordTTL)
			}
			region := t.answer[i]
			s.Requests++
			s.ByRegion[region]++
			kind := pickKind(w)
			ok, reason := serve(w, region, kind, used)
			if !ok {
				s.Failed[reason]++
				switch kind {
				case KindVote:
					s.VoteFails[reason]++
				case KindSession:
					s.SessFails[reason]++
				}
				continue
			}
			s.Served++
			if w.cache.primary != region {
				s.ReadOnlyServed++
				if kind == KindSession {
					s.CrossRegionSessions++ // served means it reached the primary across the peering
				}
			}
			if kind == KindVote {
				s.Votes++
				w.aurora.commit(w.now)
			}
		}
	}
	delete(s.ByRegion, "")
	for _, r := range w.regions {
		w.ecs[r].noteLoad(s.ByRegion[r])
		s.Tasks[r] = w.ecs[r].healthy
		s.Weights[r] = w.dns.weight[r]
		s.Healthy[r] = w.dns.healthy[r]
	}
	s.Floor = w.floor(w.now)
	return s
}

func pickKind(w *World) string {
	x := w.rng.Float64()
	for _, m := range mix {
		if x < m.share {
			return m.kind
		}
		x -= m.share
	}
	return KindPage
}

// serve routes one request through the region, its tasks, its cache and
// the writer.
func serve(w *World, region, kind string, used map[string]int) (bool, string) {
	svc := w.ecs[region]
	switch {
	case svc == nil:
		return false, ReasonNoAnswer
	case w.down[region]:
		return false, ReasonRegionDown
	case svc.healthy == 0:
		return false, ReasonNoTask
	case float64(used[region]) >= float64(svc.healthy)*w.P.TaskCapacity:
		return false, ReasonOverloaded
	}
	used[region]++
	switch kind {
	case KindSession:
		return w.cache.writable(w, region)
	case KindVote:
		return w.aurora.writable(w, region)
	}
	return true, ""
}
