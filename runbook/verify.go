package runbook

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/agm-dr/agm-dr/report"
)

// verify reads the new primary's outputs (from the state backend, not from AWS) and checks the
// deployment ran with the new primaryRegion and that the switchover resources report the writer
// and cache primary in region. Outputs a program does not export are noted, not failed.
func verify(ctx context.Context, st Stacks, s *report.Step, stack, region string) error {
	outs, err := st.Outputs(ctx, stack)
	if err != nil {
		return fmt.Errorf("reading the outputs of stack %s: %w", stack, err)
	}
	var notes []string
	if p := str(outs, OutPrimaryRegion); p != "" && p != region {
		return fmt.Errorf("stack %s was deployed with primaryRegion %s, not %s: the project config did not reach it", stack, p, region)
	}
	for _, c := range []struct{ key, what string }{
		{OutSwitchoverWriter, "Aurora writer"},
		{OutSwitchoverCache, "ElastiCache primary"},
	} {
		v := str(outs, c.key)
		switch {
		case v == "":
			notes = append(notes, c.what+" not exported")
		case !inRegion(v, region):
			return fmt.Errorf("the %s is %s after the update, not in %s: the switchover did not complete; "+
				"see the provider's messages above", c.what, v, region)
		default:
			notes = append(notes, c.what+" in "+region)
		}
	}
	if sec, ok := num(outs, OutLastSwitchoverSecond); ok && sec > 0 {
		notes = append(notes, fmt.Sprintf("provider timed the writer switchover at %s", report.Human(sec)))
	}
	s.Detail = strings.Join(notes, "; ")
	return nil
}

// inRegion reports whether a role output (a region code or an ARN) names region.
func inRegion(v, region string) bool {
	return v == region || strings.Contains(v, ":"+region+":") || strings.HasSuffix(v, region)
}

// changes summarises `pulumi up` operation counts: "2 update, 41 same".
func changes(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
	}
	return strings.Join(parts, ", ")
}
