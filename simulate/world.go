package simulate

import (
	"fmt"
	"math/rand"
	"sort"
	"time"
)

// World is both regions, Route 53 and the shareholders, on a virtual clock
// that ticks once a second. Nothing in it reads the wall clock or a global
// random source: a seed and a scenario decide every run.
type World struct {
	P       Params
	start   time.Time
	now     time.Time
	tickAt  time.Time
	regions []string // the two regions, home first
	down    map[string]bool
	rng     *rand.Rand

	aurora  *aurora
	cache   *cacheStore
	ecs     map[string]*service
	dns     *dns
	traffic *traffic
	paths   paths // what each region's tasks reach in the other (VPC peering)
	// route53Down: Route 53's control plane refuses every call (its data plane, the
	// health checks and answers, works on).
	route53Down bool

	events     []event // outages, recoveries, interrupts, not yet fired
	timeline   []Event
	series     []Second
	floor      func(time.Time) int // the active task floor of the serving region
	interrupts []interrupt
	off        map[string]bool // safety mechanisms the scenario removed
}

func (w *World) mechanismOff(name string) bool { return w.off[name] }

// event is something scheduled in the world.
type event struct {
	at   time.Time
	what string
	fn   func()
}

type interrupt struct {
	at     time.Time
	cancel func()
}

// Event is one line of the timeline: what happened when, and why it
// matters to shareholders.
type Event struct {
	At     float64 `json:"at"` // seconds since the start of the simulation
	Source string  `json:"source"`
	Text   string  `json:"text"`
}

func newWorld(p Params, start time.Time, regions []string, seed int64) *World {
	w := &World{P: p, start: start, now: start, tickAt: start, regions: regions,
		down: map[string]bool{}, rng: rand.New(rand.NewSource(seed)), ecs: map[string]*service{}}
	return w
}

// Now is the virtual time.
func (w *World) Now() time.Time { return w.now }

func (w *World) since() float64 { return w.now.Sub(w.start).Seconds() }

func (w *World) log(source, format string, args ...any) {
	w.timeline = append(w.timeline, Event{At: w.since(), Source: source, Text: fmt.Sprintf(format, args...)})
}

func (w *World) peer(region string) string {
	if region == w.regions[0] {
		return w.regions[1]
	}
	return w.regions[0]
}

// at schedules fn at t.
func (w *World) at(t time.Time, what string, fn func()) {
	w.events = append(w.events, event{at: t, what: what, fn: fn})
	sort.SliceStable(w.events, func(i, j int) bool { return w.events[i].at.Before(w.events[j].at) })
}

// interruptAt cancels a run (the operator's Ctrl-C) at t.
func (w *World) interruptAt(t time.Time, cancel func()) {
	w.interrupts = append(w.interrupts, interrupt{at: t, cancel: cancel})
}

func (w *World) nextInterrupt() (time.Time, bool) {
	for _, i := range w.interrupts {
		if i.cancel != nil && i.at.After(w.now) {
			return i.at, true
		}
	}
	return time.Time{}, false
}

// setDown takes a region out (every endpoint, task and health check fails)
// or brings it back.
func (w *World) setDown(region string, down bool) {
	w.down[region] = down
	if down {
		w.log("world", "%s: REGION OUTAGE — endpoints, tasks, ALB and data stores stop answering", region)
	} else {
		w.log("world", "%s: region recovers — its ALB can pass health checks again once tasks are healthy", region)
	}
	w.aurora.regionChanged(w, region, down)
	w.cache.regionChanged(w, region, down)
	w.ecs[region].regionChanged(w, down)
}

// advanceTo runs the world up to t, one tick per whole second.
func (w *World) advanceTo(t time.Time) {
	for !w.tickAt.After(t) {
		w.now = w.tickAt
		w.fire()
		w.tick()
		w.tickAt = w.tickAt.Add(time.Second)
	}
	if t.After(w.now) {
		w.now = t
		w.fire()
	}
}

// sleep advances the world by d (the operator or the CLI waiting, with no
// resource operation in flight).
func (w *World) sleep(d time.Duration) { w.advanceTo(w.now.Add(d)) }

func (w *World) fire() {
	for len(w.events) > 0 && !w.events[0].at.After(w.now) {
		e := w.events[0]
		w.events = w.events[1:]
		e.fn()
	}
	for i := range w.interrupts {
		if in := &w.interrupts[i]; in.cancel != nil && !in.at.After(w.now) {
			w.log("operator", "interrupts the run (Ctrl-C)")
			in.cancel()
			in.cancel = nil
		}
	}
}

// tick is one second of the world: data stores progress, tasks start and
// stop, health checkers probe, and the shareholders send their requests.
func (w *World) tick() {
	w.aurora.tick(w)
	w.cache.tick(w)
	for _, r := range w.regions {
		w.ecs[r].tick(w)
	}
	w.dns.tick(w)
	sec := w.traffic.tick(w)
	w.series = append(w.series, sec)
}
