package runbook

import (
	"context"
	"fmt"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// StackStatus is one stack as deployed (from the state backend) and as running (from AWS in
// its region). Errors hold what could not be read: a region that is down shows up there.
type StackStatus struct {
	Stack, Region string
	Role          string // from the stack outputs
	PrimaryRegion string // the primaryRegion the stack was last deployed with
	AppImage      string
	LastUpdate    Update
	Writer        string // region of the Aurora writer, as seen from this region
	CachePrimary  string // region of the ElastiCache primary, as seen from this region
	Lag           time.Duration
	LagKnown      bool
	Service       Service
	Queue, DLQ    Queue
	Errors        []string
}

// StatusReport is both stacks and what disagrees between them.
type StatusReport struct {
	Configured string // primaryRegion in Pulumi.yaml
	Stacks     []StackStatus
	Warnings   []string
}

// ReadStatus reads both stacks and their regions. Nothing fails the whole report: what cannot
// be read is listed in that stack's Errors, so status works while a region is down.
func ReadStatus(ctx context.Context, d ReadDeps) StatusReport {
	var rep StatusReport
	if cfg, err := d.Config(config.TokyoStack); err == nil {
		rep.Configured = cfg.PrimaryRegion
	} else {
		rep.Warnings = append(rep.Warnings, "configuration invalid: "+err.Error())
	}
	for _, stack := range config.Stacks() {
		rep.Stacks = append(rep.Stacks, readStack(ctx, d, stack))
	}
	rep.Warnings = append(rep.Warnings, disagreements(rep)...)
	return rep
}

func readStack(ctx context.Context, d ReadDeps, stack string) StackStatus {
	s := StackStatus{Stack: stack, Region: config.RegionFor(stack)}
	fail := func(format string, args ...any) { s.Errors = append(s.Errors, fmt.Sprintf(format, args...)) }
	outs, err := d.Stacks.Outputs(ctx, stack)
	if err != nil {
		// The history comes from the same backend: asking it too would only repeat the cause.
		fail("outputs: %s", firstLine(err))
		return s
	}
	s.Role, s.PrimaryRegion, s.AppImage = str(outs, OutRole), str(outs, OutPrimaryRegion), str(outs, OutAppImage)
	if s.LastUpdate, err = d.Stacks.LastUpdate(ctx, stack); err != nil {
		fail("history: %v", err)
	}
	if outs == nil {
		return s
	}
	aws, err := d.AWS(ctx, s.Region)
	if err != nil {
		fail("aws: %v", err)
		return s
	}
	if id := str(outs, OutAuroraGlobalCluster); id != "" {
		if s.Writer, err = aws.GlobalWriter(ctx, id); err != nil {
			fail("%v", err)
		}
	}
	if id := str(outs, OutCacheGlobalID); id != "" {
		if s.CachePrimary, err = aws.CachePrimary(ctx, id); err != nil {
			fail("%v", err)
		}
	}
	if id := str(outs, OutAuroraCluster); id != "" {
		if s.Lag, s.LagKnown, err = aws.ReplicationLag(ctx, id); err != nil {
			fail("%v", err)
		}
	}
	if c, svc := str(outs, OutClusterName), str(outs, OutServiceName); c != "" && svc != "" {
		if s.Service, err = aws.Service(ctx, c, svc); err != nil {
			fail("%v", err)
		}
	}
	for _, q := range []struct {
		key string
		to  *Queue
	}{{OutQueueURL, &s.Queue}, {OutDeadLetterQueueURL, &s.DLQ}} {
		if url := str(outs, q.key); url != "" {
			if *q.to, err = aws.Queue(ctx, url); err != nil {
				fail("%v", err)
			}
		}
	}
	return s
}

// disagreements are what an operator must look at before anything else.
func disagreements(rep StatusReport) []string {
	var w []string
	if len(rep.Stacks) != 2 {
		return w
	}
	a, b := rep.Stacks[0], rep.Stacks[1]
	if a.AppImage != "" && b.AppImage != "" && a.AppImage != b.AppImage {
		w = append(w, fmt.Sprintf("the stacks deploy different application versions: %s runs %s, %s runs %s",
			a.Stack, a.AppImage, b.Stack, b.AppImage))
	}
	if a.PrimaryRegion != "" && b.PrimaryRegion != "" && a.PrimaryRegion != b.PrimaryRegion {
		w = append(w, fmt.Sprintf("the stacks disagree on the primary: %s was deployed with %s, %s with %s (an interrupted switchover? re-run `drctl switchover --to %s`)",
			a.Stack, a.PrimaryRegion, b.Stack, b.PrimaryRegion, rep.Configured))
	}
	for _, s := range rep.Stacks {
		if rep.Configured != "" && s.PrimaryRegion != "" && s.PrimaryRegion != rep.Configured {
			w = append(w, fmt.Sprintf("Pulumi.yaml sets primaryRegion %s but stack %s was last deployed with %s: run `pulumi up -s %s` (or `drctl switchover --to %s`)",
				rep.Configured, s.Stack, s.PrimaryRegion, s.Stack, rep.Configured))
		}
		if s.Writer != "" && rep.Configured != "" && s.Writer != rep.Configured {
			w = append(w, fmt.Sprintf("the Aurora writer is in %s but the configured primary is %s", s.Writer, rep.Configured))
		}
		if s.CachePrimary != "" && rep.Configured != "" && s.CachePrimary != rep.Configured {
			w = append(w, fmt.Sprintf("the ElastiCache primary is in %s but the configured primary is %s", s.CachePrimary, rep.Configured))
		}
	}
	return dedupe(w)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
