package runbook

import (
	"context"
	"fmt"
	"strings"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
)

// Run performs the switchovers in order (one for `drctl switchover`, there and back for a
// drill) and returns their report. It stops at the first failed leg; the report then holds
// every step so far and says where it stopped.
func Run(ctx context.Context, d Deps, kind string, legs []Options) (report.Report, error) {
	rep := report.Report{Kind: kind, Title: title(kind, legs), Started: d.now()}
	var err error
	for i, o := range legs {
		if len(legs) > 1 {
			d.say("", "leg %d of %d: switchover to %s (%s), %s", i+1, len(legs), o.To, config.StackFor(o.To), o.Mode)
		}
		var leg report.Leg
		leg, err = Switchover(ctx, d, o)
		rep.Legs = append(rep.Legs, leg)
		if err != nil {
			if len(legs) > 1 {
				err = fmt.Errorf("leg %d (to %s): %w", i+1, o.To, err)
			}
			break
		}
	}
	rep.Close(d.now(), err)
	rep.Notes = notes(rep)
	return rep, err
}

// Drill is a timed switchover to `to` and, with back, the switch back to the current primary.
func Drill(ctx context.Context, d Deps, to string, mode config.Mode, back bool, targets config.Switchover) (report.Report, error) {
	legs := []Options{{To: to, Mode: mode, Targets: targets}}
	if back {
		// The switch back is always planned: after a drill both regions are healthy.
		legs = append(legs, Options{To: config.Peer(to), Mode: config.Planned, Targets: targets})
	}
	return Run(ctx, d, "drill", legs)
}

func title(kind string, legs []Options) string {
	if len(legs) == 0 {
		return strings.ToUpper(kind[:1]) + kind[1:]
	}
	path := []string{config.StackFor(config.Peer(legs[0].To))}
	for _, l := range legs {
		path = append(path, config.StackFor(l.To))
	}
	return fmt.Sprintf("%s%s: %s (%s)", strings.ToUpper(kind[:1]), kind[1:], strings.Join(path, " → "), legs[0].Mode)
}

func notes(r report.Report) []string {
	n := []string{
		"Durations are measured by drctl around each step; resource operations come from the Pulumi engine's events.",
		"RTO ends when the new primary's stack has finished its update and confirmed the writer; DNS clients follow within the record TTL.",
	}
	if r.Result != report.OK {
		n = append(n, "The run did not finish: re-running the same command resumes it (primaryRegion is already set, `pulumi up` converges).")
	}
	return n
}
