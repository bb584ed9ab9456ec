package adopt

import (
	"fmt"
	"sort"
	"strings"
)

// PlanStep is one step of an engine plan (a preview's resource pre-event): the resource's URN,
// its type and the operation (Pulumi's step ops: same, create, update, import, replace, ...).
type PlanStep struct {
	URN, Type, Op string
}

// refusedOps take the old resource away: a replacement in any of its phases, or a delete.
var refusedOps = map[string]bool{
	"replace": true, "create-replacement": true, "delete-replaced": true, "import-replacement": true,
	"discard-replaced": true, "delete": true,
}

// RefuseDataChanges refuses the plan of an adoption step when it replaces or deletes a data
// resource (isData tells them by type) or deletes any resource: an adoption plan holds only
// imports, in-place updates, and creates of what the running service did not have.
func RefuseDataChanges(steps []PlanStep, isData func(typ string) bool) error {
	var bad []string
	for _, s := range steps {
		if !refusedOps[s.Op] {
			continue
		}
		if s.Op == "delete" || isData(s.Type) {
			bad = append(bad, fmt.Sprintf("%s %s", s.Op, s.URN))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("the plan would replace or delete %d resource(s) an adoption must keep; nothing was changed:\n  %s",
		len(bad), strings.Join(bad, "\n  "))
}

// CountOps counts a plan's steps by operation, for a plan-style summary.
func CountOps(steps []PlanStep) map[string]int {
	n := map[string]int{}
	for _, s := range steps {
		n[s.Op]++
	}
	return n
}
