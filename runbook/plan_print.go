package runbook

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// PlannedStep is one step of the runbook with its expected duration.
type PlannedStep struct {
	Name     string
	Min, Max time.Duration
	Parts    []Estimate // what happens inside the step
	Skipped  string     // why the step does not run, if it does not
	InRTO    bool       // clients wait for this step
}

// Estimate is an expected duration with its source.
type Estimate struct {
	What     string
	Min, Max time.Duration
	Parallel bool // runs alongside the previous part
}

// Typical durations (AWS documentation and observed drills); the drill report measures the
// real ones. Each wait of the switchover provider can add up to one poll interval.
const (
	estRefreshMin, estRefreshMax   = 30 * time.Second, 2 * time.Minute // every resource (~140 per stack)
	estRoleReadMin, estRoleReadMax = 1 * time.Second, 5 * time.Second  // the switchover resources only
	estScaleMin, estScaleMax       = 10 * time.Second, 30 * time.Second
	estTasksMin, estTasksMax       = 1 * time.Minute, 3 * time.Minute // new Fargate tasks running and healthy
	estAuroraMin, estAuroraMax     = 1 * time.Minute, 2 * time.Minute
	estCacheMin, estCacheMax       = 1 * time.Minute, 3 * time.Minute
	estInsyncMin, estInsyncMax     = 30 * time.Second, 60 * time.Second // Route 53 INSYNC; then the configured client TTL wait
	estAlarmsMin, estAlarmsMax     = 5 * time.Second, 20 * time.Second
)

func plannedSteps(p Plan) []PlannedStep {
	newStack, oldStack := config.StackFor(p.To), config.StackFor(config.Peer(p.To))
	poll := time.Duration(p.Targets.PollSeconds) * time.Second
	call := "SwitchoverGlobalCluster (RPO 0)"
	if p.Mode == config.Unplanned {
		call = "FailoverGlobalCluster, data loss allowed"
	}
	capacity := Estimate{What: "capacity gate: task floor to max(primaryTasks, active season window, the old primary's desired count), wait until that many targets are healthy",
		Min: estTasksMin, Max: estTasksMax + poll}
	if p.Mode == config.Unplanned {
		capacity = Estimate{What: "capacity gate: task floor to max(primaryTasks, active season window), no wait (unplanned)",
			Min: estScaleMin, Max: estScaleMax}
	}
	ttl := time.Duration(p.Targets.ClientTTLSeconds) * time.Second
	up := PlannedStep{Name: "pulumi up " + newStack + " (new primary)", InRTO: true, Parts: []Estimate{
		{What: "refresh the switchover resources only: the real capacity floor, Aurora writer, cache primary and records", Min: estRoleReadMin, Max: estRoleReadMax},
		capacity,
		{What: "Aurora writer: preflight of Aurora and the cache together, then " + call, Min: estAuroraMin, Max: estAuroraMax + poll},
		{What: "ElastiCache global datastore primary failover, after the writer", Min: estCacheMin, Max: estCacheMax + poll},
		{What: fmt.Sprintf("traffic: one Route 53 change of both regions' records until INSYNC, then %d s (clientTtlSeconds, the alias TTL) so no client still goes to the old region", p.Targets.ClientTTLSeconds),
			Min: estInsyncMin + ttl, Max: estInsyncMax + ttl},
		{What: "alarm routing and dashboard", Min: estAlarmsMin, Max: estAlarmsMax, Parallel: true},
	}}
	up.Min, up.Max = sum(up.Parts)
	old := PlannedStep{Name: "pulumi up " + oldStack + " (old primary → standby)", Parts: []Estimate{
		{What: "refresh the switchover resources only", Min: estRoleReadMin, Max: estRoleReadMax},
		{What: "task floor to max(standbyTasks, active season window), alarm routing, dashboard; records and roles only read", Min: estScaleMin, Max: estScaleMax},
	}}
	old.Min, old.Max = sum(old.Parts)
	if p.Mode == config.Unplanned {
		old.Skipped = "unplanned: the old primary region is not touched; run `pulumi up -s " + oldStack + "` once it is back (it gets no traffic back)"
	}
	after := PlannedStep{Name: "refresh every resource of " + newStack + " and " + oldStack + " (drift; traffic has moved)",
		Min: 2 * estRefreshMin, Max: 2 * estRefreshMax}
	if p.Mode == config.Unplanned {
		after = PlannedStep{Name: "refresh every resource of " + newStack + " (drift; traffic has moved)", Min: estRefreshMin, Max: estRefreshMax}
	}
	return []PlannedStep{
		{Name: "set primaryRegion: " + p.To + " in Pulumi.yaml (comments kept)", Max: time.Second, InRTO: true},
		up,
		{Name: "verify " + newStack + " holds the writer (stack outputs)", Min: time.Second, Max: 5 * time.Second, InRTO: true},
		old,
		after,
	}
}

// sum adds the parts, parallel ones counting only when longer than the part they run beside.
func sum(parts []Estimate) (lo, hi time.Duration) {
	var prevLo, prevHi time.Duration
	for _, e := range parts {
		if e.Parallel {
			lo += max(0, e.Min-prevLo)
			hi += max(0, e.Max-prevHi)
			prevLo, prevHi = max(prevLo, e.Min), max(prevHi, e.Max)
			continue
		}
		lo, hi = lo+e.Min, hi+e.Max
		prevLo, prevHi = e.Min, e.Max
	}
	return lo, hi
}

// Print writes the plan for people and for PR review: per stack, resource by resource and input
// by input; then the ordered steps with their expected durations.
func (p Plan) Print(w io.Writer) {
	pf := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	pf("Switchover plan: %s (%s) → %s (%s), mode %s\n", p.From, config.StackFor(p.From), p.To, config.StackFor(p.To), p.Mode)
	pf("Computed offline: both stacks' programs ran under Pulumi's mock monitor with the current config and with primaryRegion: %s.\n", p.To)
	if p.From == p.To {
		pf("\n%s is already the primary: nothing changes. `drctl switchover --to %s` would only finish an interrupted switchover.\n", p.To, p.To)
	}
	for i, s := range p.Stacks {
		pf("\n%d. stack %s (%s): %s → %s — %d resources, %d input change(s)\n", i+1, s.Stack, s.Region, s.RoleNow, s.RoleAfter, s.Resources, len(s.Changes))
		last := ""
		for _, c := range s.Changes {
			if res := c.Type + " " + c.Name; c.Kind != "update" || res != last {
				mark := map[string]string{"update": "~", "add": "+", "delete": "-"}[c.Kind]
				pf("   %s %s %s\n", mark, c.Type, c.Name)
				last = res
			}
			if c.Kind == "update" {
				flag := ""
				switch {
				case !Allowed(c, p.Mode != p.Targets.Mode):
					flag = "   <-- NOT ALLOWED by the flip contract"
				case c.Ignored:
					flag = "   (ignored: ignoreChanges, `pulumi up` does not send it; the Capacity gate sets it)"
				}
				pf("       %s: %s => %s%s\n", c.Property, c.Before, c.After, flag)
			}
		}
	}
	if len(p.Violations) == 0 {
		pf("\nFlip contract: OK — no resource added, deleted or replaced; only allowed inputs change.\n")
	} else {
		pf("\nFlip contract: VIOLATED by %d change(s):\n", len(p.Violations))
		for _, c := range p.Violations {
			pf("   %s\n", c)
		}
	}
	printCost(w, p.Cost)
	pf("\nSteps (`drctl switchover --to %s --mode %s`), with expected durations — estimates, the drill report measures the real ones:\n", p.To, p.Mode)
	var rtoLo, rtoHi, allLo, allHi time.Duration
	for i, s := range p.Steps {
		if s.Skipped != "" {
			pf("  %d. %s: skipped (%s)\n", i+1, s.Name, s.Skipped)
			continue
		}
		pf("  %d. %s: %s\n", i+1, s.Name, span(s.Min, s.Max))
		for _, e := range s.Parts {
			par := ""
			if e.Parallel {
				par = " (in parallel)"
			}
			pf("       - %s: %s%s\n", e.What, span(e.Min, e.Max), par)
		}
		allLo, allHi = allLo+s.Min, allHi+s.Max
		if s.InRTO {
			rtoLo, rtoHi = rtoLo+s.Min, rtoHi+s.Max
		}
	}
	pf("  Expected RTO (steps 1–3): %s against the target of %d min; whole run: %s.\n", span(rtoLo, rtoHi), p.Targets.RtoTargetMinutes, span(allLo, allHi))
	pf("  Before step 1 drctl compiles the program once (seconds when the Go build cache is warm, minutes when cold; `drctl check` does it too), and every up of the run uses that binary.\n")
	pf("  Each wait is bounded by timeoutSeconds (%d s) and polls every %d s; a planned switchover is refused while replication lag exceeds %d s.\n",
		p.Targets.TimeoutSeconds, p.Targets.PollSeconds, p.Targets.RpoBudgetSeconds)
}

// printCost shows how the monthly cost estimate moves, when it does.
func printCost(w io.Writer, changes []CostChange) {
	if len(changes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nMonthly cost (offline estimate, see `drctl cost`):\n")
	var before, after float64
	for _, c := range changes {
		fmt.Fprintf(w, "   %-6s %s => %s (%s)\n", c.Stack, usd(c.Before), usd(c.After), signed(c.After-c.Before))
		before, after = before+c.Before, after+c.After
	}
	fmt.Fprintf(w, "   total  %s => %s (%s)\n", usd(before), usd(after), signed(after-before))
}

func usd(x float64) string { return fmt.Sprintf("$%.2f", x) }

func signed(x float64) string {
	if x < 0.005 && x > -0.005 {
		return "no change"
	}
	if x > 0 {
		return "+" + usd(x)
	}
	return "-" + usd(-x)
}

func span(lo, hi time.Duration) string {
	secs := func(d time.Duration) string { return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds())) }
	mins := func(d time.Duration) string {
		half := d.Round(30 * time.Second).Minutes()
		return strings.TrimSuffix(fmt.Sprintf("%.1f", half), ".0")
	}
	switch {
	case lo == hi || lo == 0:
		if hi < time.Minute {
			return "~" + secs(hi)
		}
		return "~" + mins(hi) + " min"
	case hi < time.Minute:
		return strings.TrimSuffix(secs(lo), " s") + "–" + secs(hi)
	case lo < time.Minute:
		return secs(lo) + "–" + mins(hi) + " min"
	}
	return mins(lo) + "–" + mins(hi) + " min"
}

// ChangeCount is the number of changes over both stacks.
func (p Plan) ChangeCount() int {
	n := 0
	for _, s := range p.Stacks {
		n += len(s.Changes)
	}
	return n
}
