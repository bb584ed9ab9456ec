package simulate

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// Impact is what shareholders saw, summed over the whole simulation.
type Impact struct {
	Requests, Served    int
	Failed              map[string]int // reason → requests
	FailedVotes         map[string]int // reason → votes
	FailedSessionWrites map[string]int // reason → session writes
	SplitSeconds        int            // seconds in which two regions got requests
	LongestSplit        int            // longest run of such seconds
	BelowFloorSeconds   int            // seconds the serving region ran fewer healthy tasks than its floor
	ReadOnlyServed      int            // requests served by a region whose cache is a read-only secondary
	CrossRegionSessions int            // session writes that went across the peering to the other region's primary
	LostVotes           int            // votes a data-loss failover discarded
}

// Impact sums the series.
func (r *Result) Impact() Impact {
	im := Impact{Failed: map[string]int{}, FailedVotes: map[string]int{}, FailedSessionWrites: map[string]int{}, LostVotes: r.LostVotes}
	run := 0
	for _, s := range r.Series {
		im.Requests += s.Requests
		im.Served += s.Served
		im.ReadOnlyServed += s.ReadOnlyServed
		im.CrossRegionSessions += s.CrossRegionSessions
		for k, v := range s.Failed {
			im.Failed[k] += v
		}
		for k, v := range s.VoteFails {
			im.FailedVotes[k] += v
		}
		for k, v := range s.SessFails {
			im.FailedSessionWrites[k] += v
		}
		if r.split(s) {
			im.SplitSeconds++
			run++
			im.LongestSplit = max(im.LongestSplit, run)
		} else {
			run = 0
		}
		if belowFloor(s) {
			im.BelowFloorSeconds++
		}
	}
	return im
}

// split: two live regions answered requests that second (a region that is
// down receives requests but answers none).
func (r *Result) split(s Second) bool {
	n := 0
	for k, v := range s.ByRegion {
		if v > 0 && !(k == r.Scenario.OutageRegion && r.downAt(s.At)) {
			n++
		}
	}
	return n > 1
}

// serving is the region that got the most requests that second.
func serving(s Second) string {
	best, n := "", 0
	keys := make([]string, 0, len(s.ByRegion))
	for k := range s.ByRegion {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if s.ByRegion[k] > n {
			best, n = k, s.ByRegion[k]
		}
	}
	return best
}

func belowFloor(s Second) bool {
	r := serving(s)
	return r != "" && s.Tasks[r] < s.Floor
}

// Bound is one of the bounds, checked on a result.
type Bound struct {
	Name    string `json:"name"`
	Applies bool   `json:"applies"`
	Held    bool   `json:"held"`
	Detail  string `json:"detail"`
}

func inside(t float64, ws []Window) bool {
	for _, w := range ws {
		if t >= w.From && t <= w.To {
			return true
		}
	}
	return false
}

// Planned reports whether the run stayed planned throughout.
func (r *Result) Planned() bool {
	return r.Scenario.Mode != config.Unplanned && r.Scenario.EscalateAfter == 0
}

// Bounds checks every bound that applies to this scenario.
func (r *Result) Bounds() []Bound {
	var out []Bound
	add := func(name string, applies, held bool, format string, args ...any) {
		out = append(out, Bound{Name: name, Applies: applies, Held: held, Detail: fmt.Sprintf(format, args...)})
	}
	im := r.Impact()
	planned := r.Planned() && r.OutageAt < 0

	votesOutside, sessOutside := 0, 0
	firstVote, firstSess := -1.0, -1.0
	for _, s := range r.Series {
		if n := sum(s.VoteFails); n > 0 && !inside(s.At, r.WritePauses) {
			votesOutside += n
			if firstVote < 0 {
				firstVote = s.At
			}
		}
		if n := sum(s.SessFails); n > 0 && !inside(s.At, r.CacheWindows) {
			sessOutside += n
			if firstSess < 0 {
				firstSess = s.At
			}
		}
	}
	add("planned: failed votes only inside Aurora's write pause", planned, votesOutside == 0,
		"%d vote(s) failed outside the write pause%s; all failed votes: %s", votesOutside, first(firstVote), reasons(im.FailedVotes))
	add("planned: no session write fails outside the cache failover window", planned, sessOutside == 0,
		"%d session write(s) failed outside the failover window%s; all failed session writes: %s", sessOutside, first(firstSess), reasons(im.FailedSessionWrites))
	ttl := int(r.TTL / time.Second)
	add("planned: traffic never split across regions for longer than one record TTL", planned, im.LongestSplit <= ttl,
		"longest split %d s (TTL %d s), %d split seconds in all", im.LongestSplit, ttl, im.SplitSeconds)
	add("planned: the serving region never below its active task floor", planned, im.BelowFloorSeconds == 0,
		"%d second(s) below the floor (floor at start %d)", im.BelowFloorSeconds, r.Floor)

	unplanned := !r.Planned() && r.Scenario.OutageRegion != ""
	failed := r.Scenario.OutageRegion
	reached, firstReach := 0, -1.0
	for _, s := range r.Series {
		if r.UpDone && s.At >= r.FirstUpDone && s.ByRegion[failed] > 0 {
			reached += s.ByRegion[failed]
			if firstReach < 0 {
				firstReach = s.At
			}
		}
	}
	add("unplanned: no request reaches the failed region after the failover up, also after it recovers", unplanned,
		r.UpDone && reached == 0, "up completed: %v (at %s); %d request(s) reached %s afterwards (first at %s)",
		r.UpDone, at(r.FirstUpDone), reached, failed, at(firstReach))
	add("unplanned: RPO equals the replication lag at the outage", unplanned,
		r.RPOKnown && math.Abs((r.RPO-r.LagAtOutage).Seconds()) <= 0.01,
		"lost %s of writes (%d vote(s)); lag at the outage %s", r.RPO.Round(time.Millisecond), r.LostVotes, r.LagAtOutage)
	// After the roles, the up still moves traffic and may let clients follow
	// it (one TTL); what it must not do is wait for AWS states that may never
	// clear while the old region is down (the 30-minute timeout of finding 4).
	allow := r.Poll + r.RecordSync + r.TTL + r.Params.UpOverhead
	add("unplanned: the run ends as soon as the target holds the roles", unplanned,
		r.UpDone && r.RolesHeld >= 0 && r.FirstUpDone-r.RolesHeld <= allow.Seconds(),
		"roles held at %s, failover up done at %s (allowed after the roles: one poll + Route 53 sync + one TTL + up overhead = %s)",
		at(r.RolesHeld), at(r.FirstUpDone), allow)

	detail, ok, stopped := r.afterStops()
	add("a refused or failed step leaves one region serving with a writable writer and cache", stopped, ok, "%s", detail)
	return append(out, r.shareholderBounds(planned)...)
}

// afterStops checks the state every stopped run left: from one record TTL
// after it stopped (clients have followed DNS) until the next run started,
// or the end. A run stopped while a region is down is not judged: the
// outage, not the step, decides what that region can serve.
func (r *Result) afterStops() (detail string, ok, applies bool) {
	var parts []string
	ok = true
	for i, l := range r.Legs {
		if l.Result != "failed" && l.Result != "interrupted" {
			continue
		}
		if r.downAt(l.Finished.Sub(r.Start).Seconds()) {
			continue
		}
		from := l.Finished.Sub(r.Start).Seconds() + r.TTL.Seconds()
		to := r.End.Sub(r.Start).Seconds()
		if i+1 < len(r.Legs) {
			to = r.Legs[i+1].Started.Sub(r.Start).Seconds()
		}
		// Route 53's health checks follow the roles on their own (the data plane): when a
		// region's status flipped after the stop (a role change AWS finished after the
		// interrupt), clients follow it one TTL later. Judge from then; when the next run
		// starts before that, the handover is that run's to judge.
		if h := r.lastHealthFlip(l.Finished.Sub(r.Start).Seconds(), to); h >= 0 && h+r.TTL.Seconds() > from {
			from = h + r.TTL.Seconds()
			if to-from < 30 {
				parts = append(parts, fmt.Sprintf("after run %d stopped: traffic still moving by health check at %s (data plane), judged with the next run", i+1, at(h)))
				continue
			}
		}
		if to-from < 30 {
			from = max(0, to-30)
		}
		d, held := r.settled(from, to)
		parts = append(parts, fmt.Sprintf("after run %d stopped (%s..%s): %s", i+1, at(from), at(to), d))
		ok = ok && held
	}
	return strings.Join(parts, "; "), ok, len(parts) > 0
}

func (r *Result) downAt(sec float64) bool {
	if r.OutageAt < 0 || sec < r.OutageAt {
		return false
	}
	return r.Scenario.RecoverAt == 0 || sec < r.Scenario.RecoverAt.Seconds()
}

// settled checks [from, to): one region gets every request, it holds the
// cache primary (no request is served on a read-only cache), and no vote or
// session write fails there.
func (r *Result) settled(from, to float64) (string, bool) {
	regions := map[string]bool{}
	fails, readOnly := 0, 0
	for _, s := range r.Series {
		if s.At < from || s.At >= to {
			continue
		}
		for k, v := range s.ByRegion {
			if v > 0 {
				regions[k] = true
			}
		}
		fails += sum(s.VoteFails) + sum(s.SessFails)
		readOnly += s.ReadOnlyServed
	}
	if len(regions) != 1 {
		return fmt.Sprintf("%d regions get requests", len(regions)), false
	}
	for k := range regions {
		return fmt.Sprintf("%s serves everything; %d failed vote(s)/session write(s); %d request(s) served on a read-only cache",
			k, fails, readOnly), fails == 0 && readOnly == 0
	}
	return "", false
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func first(sec float64) string {
	if sec < 0 {
		return ""
	}
	return " (first at " + at(sec) + ")"
}

// reasons lists counts by reason, largest first: "12 cache read-only, 3 ...".
func reasons(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}

func at(sec float64) string {
	if sec < 0 {
		return "never"
	}
	return fmt.Sprintf("t+%s", time.Duration(sec*float64(time.Second)).Round(time.Second))
}
