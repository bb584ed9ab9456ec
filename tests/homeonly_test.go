package tests

import (
	"strings"

	"github.com/agm-dr/agm-dr/capture"
)

// homeOnlyComponents exist only in the stack that created the hosted zone (DNSSEC signing and
// query logging of a zone belong to its creator); everything else is the same in both stacks.
var homeOnlyComponents = []string{"agm-dr:dns:ZoneProtection"}

func homeOnly(r capture.Resource) bool {
	for _, t := range homeOnlyComponents {
		if r.Type == t || strings.Contains(r.Parent, t+"::") || strings.Contains(r.Parent, t+"$") {
			return true
		}
	}
	return false
}
