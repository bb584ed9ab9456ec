package runbook

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

// Workspace implements Stacks with the Pulumi Automation API (it drives the `pulumi` CLI).
// Stacks are opened on first use, so a stack that is never needed is never touched.
type Workspace struct {
	open func(ctx context.Context, stack string) (auto.Stack, error)
	// prepare runs before each operation on a stack (inline workspaces write the
	// project-level config into the stack's config there).
	prepare func(ctx context.Context, s auto.Stack) error

	// refreshAll: `up --refresh` of every resource (NewLocal); otherwise only the switchover
	// resources are refreshed before an up (NewLocalWith, see LocalOptions.RefreshAll).
	refreshAll bool

	mu     sync.Mutex
	stacks map[string]auto.Stack
}

// NewLocal runs the project in dir (Pulumi.yaml and its stack files) for real: the stacks must
// already exist in the current backend (PULUMI_BACKEND_URL or `pulumi login`). It never creates
// a stack: a wrong backend must fail, not deploy a new copy of a region.
func NewLocal(dir string, env map[string]string) *Workspace {
	return &Workspace{refreshAll: true, open: func(ctx context.Context, stack string) (auto.Stack, error) {
		s, err := auto.SelectStackLocalSource(ctx, stack, dir, auto.EnvVars(env))
		if err != nil {
			return auto.Stack{}, fmt.Errorf("selecting stack %s in %s (is PULUMI_BACKEND_URL / `pulumi login` the project's backend?): %w", stack, dir, err)
		}
		return s, nil
	}}
}

func (w *Workspace) stack(ctx context.Context, name string) (auto.Stack, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stacks == nil {
		w.stacks = map[string]auto.Stack{}
	}
	s, ok := w.stacks[name]
	if !ok {
		var err error
		if s, err = w.open(ctx, name); err != nil {
			return auto.Stack{}, err
		}
		w.stacks[name] = s
	}
	if w.prepare != nil {
		if err := w.prepare(ctx, s); err != nil {
			return auto.Stack{}, fmt.Errorf("stack %s: %w", name, err)
		}
	}
	return s, nil
}

// Up implements Stacks. It refreshes first (`up --refresh`), so roles changed by hand or by
// an interrupted run are read from AWS before the diff, and streams the engine's progress
// lines and resource events.
func (w *Workspace) Up(ctx context.Context, name string, progress func(Line)) (UpResult, error) {
	s, err := w.stack(ctx, name)
	if err != nil {
		return UpResult{}, err
	}
	out := newLineWriter(name, progress)
	errOut := newLineWriter(name, progress)
	evs := make(chan events.EngineEvent)
	timer := newOpTimer(time.Now)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range evs {
			timer.observe(e)
		}
	}()
	opts := []optup.Option{optup.Color("never"),
		optup.ProgressStreams(out), optup.ErrorProgressStreams(errOut), optup.EventStreams(evs)}
	if w.refreshAll {
		opts = append(opts, optup.Refresh())
	} else if err := w.refreshSwitchover(ctx, s, out, errOut); err != nil {
		close(evs)
		out.Flush()
		errOut.Flush()
		return UpResult{}, err
	}
	_, err = s.Up(ctx, opts...)
	// The events channel is closed when the CLI's event stream ends; if the CLI failed before
	// opening it, it is never closed, so do not wait for it for long (the reader goroutine then
	// stays parked, which is harmless for a one-shot command).
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	out.Flush()
	errOut.Flush()
	res := timer.result()
	if err != nil {
		return res, cliError(err, errOut.last, out.last)
	}
	return res, nil
}

// refreshSwitchover refreshes only the stack's switchover resources (type agmdr:*), so the
// diff sees the real Aurora writer and cache primary.
func (w *Workspace) refreshSwitchover(ctx context.Context, s auto.Stack, out, errOut *lineWriter) error {
	dep, err := s.Export(ctx)
	if err != nil {
		return fmt.Errorf("reading the state of %s: %w", s.Name(), err)
	}
	urns, err := switchoverURNs(dep.Deployment)
	if err != nil || len(urns) == 0 {
		return err
	}
	if _, err := s.Refresh(ctx, optrefresh.Target(urns), optrefresh.Color("never"),
		optrefresh.ProgressStreams(out), optrefresh.ErrorProgressStreams(errOut)); err != nil {
		return cliError(err, errOut.last, out.last)
	}
	return nil
}

// switchoverURNs lists the URNs of the agmdr resources in an exported deployment.
func switchoverURNs(raw json.RawMessage) ([]string, error) {
	return urnsOf(raw, func(typ string, _ bool) bool { return strings.HasPrefix(typ, "agmdr:") })
}

// refreshableURNs lists the URNs of the custom resources a refresh reads, except Route 53's:
// reading them (GetHealthCheck, ListResourceRecordSets, GetHostedZone) is Route 53's control
// plane in us-east-1, which an unplanned failover must not need. The Traffic resource reads
// the records itself and tolerates a refused read.
func refreshableURNs(raw json.RawMessage) ([]string, error) {
	return urnsOf(raw, func(typ string, custom bool) bool {
		return custom && !strings.HasPrefix(typ, "pulumi:") && !strings.HasPrefix(typ, "aws:route53/")
	})
}

func urnsOf(raw json.RawMessage, keep func(typ string, custom bool) bool) ([]string, error) {
	var d struct {
		Resources []struct {
			URN    string `json:"urn"`
			Type   string `json:"type"`
			Custom bool   `json:"custom"`
		} `json:"resources"`
	}
	if len(raw) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("reading the deployment: %w", err)
	}
	var urns []string
	for _, r := range d.Resources {
		if keep(r.Type, r.Custom) {
			urns = append(urns, r.URN)
		}
	}
	return urns, nil
}

// Refresh refreshes every resource of the stack but Route 53's (refreshableURNs): what the
// switchover skipped before its ups (drift of the aws resources), done after traffic has moved.
func (w *Workspace) Refresh(ctx context.Context, name string, progress func(Line)) error {
	s, err := w.stack(ctx, name)
	if err != nil {
		return err
	}
	dep, err := s.Export(ctx)
	if err != nil {
		return fmt.Errorf("reading the state of %s: %w", name, err)
	}
	urns, err := refreshableURNs(dep.Deployment)
	if err != nil || len(urns) == 0 {
		return err
	}
	out := newLineWriter(name, progress)
	_, err = s.Refresh(ctx, optrefresh.Target(urns), optrefresh.Color("never"), optrefresh.ProgressStreams(out))
	out.Flush()
	if err != nil {
		return cliError(err, out.last)
	}
	return nil
}

// Preview implements Stacks: the number of resources an up would create, update, replace or
// delete.
func (w *Workspace) Preview(ctx context.Context, name string) (int, error) {
	s, err := w.stack(ctx, name)
	if err != nil {
		return 0, err
	}
	out := newLineWriter(name, nil)
	res, err := s.Preview(ctx, optpreview.Color("never"), optpreview.ProgressStreams(out))
	if err != nil {
		out.Flush()
		return 0, cliError(err, out.last)
	}
	n := 0
	for op, c := range res.ChangeSummary {
		if op != "same" && op != "read" {
			n += c
		}
	}
	return n, nil
}

// Outputs implements Stacks.
func (w *Workspace) Outputs(ctx context.Context, name string) (map[string]any, error) {
	s, err := w.stack(ctx, name)
	if err != nil {
		return nil, err
	}
	outs, err := s.Outputs(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]any, len(outs))
	for k, v := range outs {
		m[k] = v.Value
	}
	return m, nil
}

// LastUpdate implements Stacks.
func (w *Workspace) LastUpdate(ctx context.Context, name string) (Update, error) {
	s, err := w.stack(ctx, name)
	if err != nil {
		return Update{}, err
	}
	h, err := s.History(ctx, 1, 1)
	if err != nil || len(h) == 0 {
		return Update{}, err
	}
	u := Update{Kind: h[0].Kind, Result: h[0].Result, Start: parseTime(h[0].StartTime)}
	if h[0].EndTime != nil {
		u.End = parseTime(*h[0].EndTime)
	}
	return u, nil
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// cliError shortens an Automation API error (which embeds the whole CLI output, already
// streamed live) to its first line, the lock hint when the stack is locked, and the last lines
// of output, where the engine prints the reason.
func cliError(err error, groups ...[]string) error {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	if auto.IsConcurrentUpdateError(err) {
		msg += ": the stack is locked by another update"
	}
	var lines []string
	for _, g := range groups {
		lines = append(lines, g...)
	}
	if len(lines) > 0 {
		msg += "\n  last output:\n    " + strings.Join(lines, "\n    ")
	}
	return &cliErr{msg: msg, err: err}
}

type cliErr struct {
	msg string
	err error
}

func (e *cliErr) Error() string { return e.msg }
func (e *cliErr) Unwrap() error { return e.err }
