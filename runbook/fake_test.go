package runbook_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
)

// world is a fake of both stacks, the project file and AWS: `up` of a stack deploys the
// project's current primaryRegion, and the stack of the primary region takes the writer, as
// the real program and switchover provider do. Every call is recorded with its stack/region.
type world struct {
	mu       sync.Mutex
	primary  string
	mode     config.Mode
	deployed map[string]string // stack → primaryRegion it was last deployed with
	writer   string            // region of the Aurora writer
	calls    []string
	// upHook, when set, runs at the start of Up and may return an error to fail it.
	upHook func(ctx context.Context, stack string) error
	// stuck makes `up` leave the writer where it is (a provider that did not switch).
	stuck bool
	clock time.Time
	// sleeping is agm-dr:sleeping in the fake Pulumi.yaml (drctl dev sleep|wake).
	sleeping bool
}

func newWorld() *world {
	return &world{
		primary: config.Tokyo, mode: config.Planned, writer: config.Tokyo,
		deployed: map[string]string{config.TokyoStack: config.Tokyo, config.OsakaStack: config.Tokyo},
		clock:    time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC),
	}
}

func (w *world) record(format string, args ...any) {
	w.calls = append(w.calls, fmt.Sprintf(format, args...))
}

// now advances the fake clock one second per reading, so every step has a duration.
func (w *world) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.clock = w.clock.Add(time.Second)
	return w.clock
}

func (w *world) deps() runbook.Deps {
	return runbook.Deps{Stacks: w, Project: w, Now: w.now}
}

// touched lists the recorded calls that mention s (a stack or a region).
func (w *world) touched(s string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, c := range w.calls {
		if strings.Contains(c, s) {
			out = append(out, c)
		}
	}
	return out
}

func (w *world) Up(ctx context.Context, stack string, progress func(runbook.Line)) (runbook.UpResult, error) {
	w.mu.Lock()
	w.record("up %s", stack)
	hook := w.upHook
	w.mu.Unlock()
	if hook != nil {
		if err := hook(ctx, stack); err != nil {
			return runbook.UpResult{}, err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	progress(runbook.Line{At: w.clock, Text: "updating " + stack})
	changed := w.deployed[stack] != w.primary
	w.deployed[stack] = w.primary
	if config.RegionFor(stack) == w.primary && !w.stuck {
		w.writer = w.primary
	}
	res := runbook.UpResult{Changes: map[string]int{"same": 40}}
	if changed {
		res.Changes["update"] = 5
		res.Ops = []report.Op{{Resource: "aurora-writer", Type: "agmdr:index:AuroraWriter", Op: "update", Start: w.clock, End: w.clock.Add(time.Second), Seconds: 1}}
	}
	return res, nil
}

func (w *world) Preview(_ context.Context, stack string) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.record("preview %s", stack)
	if w.deployed[stack] != w.primary {
		return 5, nil
	}
	return 0, nil
}

func (w *world) Outputs(_ context.Context, stack string) (map[string]any, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.record("outputs %s", stack)
	region := config.RegionFor(stack)
	role := "standby"
	if w.deployed[stack] == region {
		role = "primary"
	}
	return map[string]any{
		runbook.OutRole: role, runbook.OutPrimaryRegion: w.deployed[stack], runbook.OutAppImage: "2026.06.1",
		runbook.OutSwitchoverWriter: w.writer, runbook.OutSwitchoverCache: w.writer,
		runbook.OutAuroraGlobalCluster: "agm-dr-global", runbook.OutAuroraCluster: "agm-dr-" + region,
		runbook.OutCacheGlobalID: "ldgnf-agm-dr-sessions", runbook.OutClusterName: "agm-" + region,
		runbook.OutServiceName: "app", runbook.OutQueueURL: "https://sqs." + region + "/q",
		runbook.OutDeadLetterQueueURL: "https://sqs." + region + "/dlq", runbook.OutLastSwitchoverSecond: 42.0,
		runbook.OutPeeringID: "pcx-0" + stack,
	}, nil
}

func (w *world) LastUpdate(_ context.Context, stack string) (runbook.Update, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.record("history %s", stack)
	return runbook.Update{Kind: "update", Result: "succeeded", Start: w.clock, End: w.clock}, nil
}

func (w *world) Primary(context.Context) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.primary, nil
}

func (w *world) SetPrimary(_ context.Context, region string, mode config.Mode) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.record("set primary %s %s", region, mode)
	changed := w.primary != region || w.mode != mode
	w.primary, w.mode = region, mode
	return changed, nil
}

// region is a fake AWS reader of one region of the world.
type region struct {
	w    *world
	name string
	lag  time.Duration
	// queue depths returned one after the other (the last one sticks)
	depths  []int
	running int
}

func (r *region) GlobalWriter(_ context.Context, id string) (string, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.record("aws %s writer", r.name)
	return r.w.writer, nil
}

func (r *region) CachePrimary(_ context.Context, id string) (string, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.record("aws %s cache", r.name)
	return r.w.writer, nil
}

func (r *region) ReplicationLag(_ context.Context, cluster string) (time.Duration, bool, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.record("aws %s lag %s", r.name, cluster)
	return r.lag, true, nil
}

func (r *region) Service(_ context.Context, cluster, svc string) (runbook.Service, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.record("aws %s ecs %s", r.name, cluster)
	return runbook.Service{Status: "ACTIVE", Running: r.running, Desired: 2}, nil
}

func (r *region) Queue(_ context.Context, url string) (runbook.Queue, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.record("aws %s sqs %s", r.name, url)
	d := 0
	if len(r.depths) > 0 {
		d = r.depths[0]
		if len(r.depths) > 1 {
			r.depths = r.depths[1:]
		}
	}
	return runbook.Queue{Visible: d}, nil
}
