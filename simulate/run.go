package simulate

import (
	"context"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
)

// Result is what one scenario did, second by second.
type Result struct {
	Scenario     Scenario
	Start        time.Time
	End          time.Time
	Legs         []report.Leg
	Timeline     []Event
	Series       []Second
	WritePauses  []Window // Aurora switchover write pauses
	CacheWindows []Window // ElastiCache failover windows
	// FirstUpDone is when the new primary's `up` first completed (seconds).
	FirstUpDone float64
	UpDone      bool
	// RolesHeld is when the target first held both the writer and the cache
	// primary (seconds; -1 never).
	RolesHeld         float64
	Writer, Cache     string // roles at the end
	Weights           map[string]int
	OutageAt          float64 // -1: no outage
	LagAtOutage       time.Duration
	RPO               time.Duration // writes lost by a data-loss failover (its time span)
	RPOKnown          bool
	LostVotes         int
	TTL               time.Duration
	RecordTTL, Poll   time.Duration
	RecordSync        time.Duration
	Floor             int // active floor of the primary role in force at the start
	Err               error
	Config            config.Config
	SeasonWindow      string
	Params            Params
	OperatorStartedAt float64
	AllowedDNSLag     time.Duration
}

// Run simulates sc on the project in dir (its real Pulumi.yaml, stacks and
// program) and returns what shareholders saw.
func Run(ctx context.Context, dir string, sc Scenario) (*Result, error) {
	progs, err := loadPrograms(dir)
	if err != nil {
		return nil, err
	}
	cfg := progs.cfg[config.TokyoStack]
	if err := sc.validate(cfg); err != nil {
		return nil, err
	}
	p := Defaults()
	if sc.Params != nil {
		p = *sc.Params
	} else {
		cal, err := LoadCalibration(dir)
		if err != nil {
			return nil, err
		}
		p = cal.Apply(p)
	}
	if sc.OperatorAt == 0 {
		sc.OperatorAt = time.Minute
	}
	if sc.Tail == 0 {
		sc.Tail = 5 * time.Minute
	}
	if sc.Mode == "" {
		sc.Mode = config.Planned
	}
	start, window, err := starts(cfg, sc.Season)
	if err != nil {
		return nil, err
	}
	from := cfg.PrimaryRegion
	initial, err := progs.run(from, cfg.Switchover.Mode)
	if err != nil {
		return nil, err
	}
	w := deployedWorld(cfg, p, sc, start, window, initial)

	d := &deployment{w: w, progs: progs, sched: newSched(w), primary: from, mode: cfg.Switchover.Mode,
		applied: map[string]map[string]resource.PropertyMap{}, outputs: map[string]map[string]any{}, upDone: map[string]time.Time{}}
	for _, s := range config.Stacks() {
		d.applied[s] = map[string]resource.PropertyMap{}
		for _, r := range initial[s].Resources {
			d.applied[s][r.Key()] = r.Inputs
		}
		d.outputs[s] = map[string]any{runbook.OutPrimaryRegion: from}
	}

	res := &Result{Scenario: sc, Start: start, OutageAt: -1, RolesHeld: -1, TTL: p.RecordTTL, RecordSync: p.RecordSync,
		Poll: time.Duration(cfg.Switchover.PollSeconds) * time.Second, Config: cfg, SeasonWindow: window, Params: p,
		Floor: floorAt(cfg, true, start), OperatorStartedAt: sc.OperatorAt.Seconds()}
	if sc.OutageRegion != "" {
		res.OutageAt = sc.OutageAt.Seconds()
		w.at(start.Add(sc.OutageAt), "outage", func() {
			w.setDown(sc.OutageRegion, true)
			res.LagAtOutage = w.aurora.lagAtOutage
		})
		if sc.RecoverAt > 0 {
			w.at(start.Add(sc.RecoverAt), "recovery", func() { w.setDown(sc.OutageRegion, false) })
		}
	}
	held := func() {
		if res.RolesHeld < 0 && w.aurora.writer == sc.To && w.cache.primary == sc.To {
			res.RolesHeld = w.since()
		}
	}
	w.sleep(sc.OperatorAt)

	deps := runbook.Deps{Stacks: d, Project: d, Now: w.Now,
		Lag: func(ctx context.Context, region string) (time.Duration, bool, error) {
			return lagClient{w, region}.ReplicationLag(ctx, "")
		},
		Progress: func(l runbook.Line) {
			held()
			if l.Stack == "" {
				w.log("drctl", "%s", l.Text)
			}
		},
	}
	newStack := config.StackFor(sc.To)
	var cancelRun context.CancelFunc // the run in progress, for InterruptAt
	run := func(mode config.Mode, interruptAfter int) error {
		rctx, cancel := context.WithCancel(ctx)
		defer cancel()
		cancelRun = cancel
		dd := deps
		step := 0
		dd.Progress = func(l runbook.Line) {
			deps.Progress(l)
			if l.Stack == "" && strings.Contains(l.Text, ": done in ") {
				step++
				if interruptAfter > 0 && step == interruptAfter {
					w.log("operator", "interrupts the run after step %d (Ctrl-C)", step)
					cancel()
				}
			}
		}
		if sc.EscalateAfter > 0 && mode == config.Planned && sc.OutageRegion != "" {
			w.interruptAt(start.Add(sc.OutageAt+sc.EscalateAfter), cancel)
		}
		w.log("operator", "runs `drctl switchover --to %s --mode %s`", sc.To, mode)
		leg, err := runbook.Switchover(rctx, dd, runbook.Options{To: sc.To, Mode: mode, Targets: cfg.Switchover})
		res.Legs = append(res.Legs, leg)
		if t, ok := d.upDone[newStack]; ok && !res.UpDone {
			res.FirstUpDone, res.UpDone = t.Sub(start).Seconds(), true
		}
		if err != nil {
			w.log("drctl", "switchover stopped: %s", firstLine(err))
		} else {
			w.log("drctl", "switchover to %s finished", sc.To)
		}
		return err
	}
	if sc.InterruptAt > 0 {
		first := true
		w.interruptAt(start.Add(sc.InterruptAt), func() {
			if first && cancelRun != nil {
				cancelRun()
			}
			first = false
		})
	}
	err = run(sc.Mode, sc.InterruptAfterStep)
	switch {
	case err != nil && sc.EscalateAfter > 0:
		w.log("operator", "escalates: the old primary is down, re-runs in unplanned mode")
		err = run(config.Unplanned, 0)
	case err != nil && (sc.InterruptAfterStep > 0 || sc.InterruptAt > 0):
		w.sleep(sc.RerunAfter)
		err = run(sc.Mode, 0)
	}
	res.Err = err
	held()
	if sc.RejoinAfter > 0 && sc.RecoverAt > 0 && err == nil {
		// The runbook's next step once the old region is back: `pulumi up`
		// of its stack, which makes it the standby.
		at := start.Add(sc.RecoverAt + sc.RejoinAfter)
		if at.After(w.now) {
			w.advanceTo(at)
		}
		old := config.StackFor(config.Peer(sc.To))
		w.log("operator", "runs `pulumi up -s %s` now that %s is back", old, config.Peer(sc.To))
		if _, uerr := d.Up(ctx, old, nil); uerr != nil {
			w.log("pulumi", "up -s %s failed: %s", old, firstLine(uerr))
			res.Err = uerr
		}
		held()
	}
	end := w.now.Add(sc.Tail)
	if r := start.Add(sc.RecoverAt + sc.Tail); sc.RecoverAt > 0 && r.After(end) {
		end = r
	}
	for w.now.Before(end) {
		w.advanceTo(w.now.Add(time.Second))
		held()
	}
	res.End = w.now
	res.Timeline, res.Series = w.timeline, w.series
	res.WritePauses, res.CacheWindows = closeWindows(w.aurora.pauses, w.since()), closeWindows(w.cache.windows, w.since())
	res.Writer, res.Cache, res.Weights = w.aurora.writer, w.cache.primary, w.dns.weight
	res.RPO, res.RPOKnown, res.LostVotes = w.aurora.rpo, w.aurora.rpoKnown, w.aurora.lost
	return res, nil
}
