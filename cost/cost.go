// Package cost estimates the monthly on-demand cost of what the program registers, offline:
// each registered resource is priced from one table (prices.go) of per-type, per-region prices,
// each with its source, the date it was read and the usage assumed. It needs no AWS account.
package cost

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agm-dr/agm-dr/capture"
)

// HoursPerMonth is the month every hourly price is multiplied by (AWS's own calculator uses 730).
const HoursPerMonth = 730.0

// Entry is what the table knows about one resource type: the charges it brings, or why it
// brings none.
type Entry struct {
	// Free says why the type costs nothing of its own; "" when Prices are given.
	Free string
	// ClassOf, when set, names the class of a resource (node type, instance class, endpoint
	// type) that decides which Prices apply; a class no Price covers is reported as missing.
	ClassOf func(r capture.Resource, s Scope) string
	Prices  []Price
}

// Price is one charge: USD per unit by region (on-demand), the units a resource uses in a month
// and, next to them, the assumption behind that usage and where the price comes from.
type Price struct {
	What      string             // e.g. "NAT gateway hours"
	Unit      string             // e.g. "hour", "GB", "million requests"
	Class     string             // applies only to resources of this class ("": all)
	USD       map[string]float64 // region → USD per unit
	Usage     Usage              // units per month for one resource
	Assume    string             // the usage assumption, in words
	Source    string             // where the price was read (URL)
	Date      string             // when it was read
	Estimated bool               // the price is an assumption, not confirmed from Source
}

// Usage is how many units of a Price one resource uses in a month.
type Usage func(r capture.Resource, s Scope) float64

// Scope is what a Usage may look at besides the resource: the rest of its stack's resources
// and the other stacks' (a secondary cache group inherits its node type from the home one).
type Scope struct {
	Stack  *capture.Result
	Others []*capture.Result
}

// Item is one priced charge of one resource.
type Item struct {
	Type, Name string
	What       string
	Quantity   float64
	Unit       string
	USD        float64 // per month
	Estimated  bool
}

// Estimate is the monthly cost of one stack.
type Estimate struct {
	Stack, Region string
	Items         []Item   // biggest first
	Missing       []string // registered types (or type classes) the table has no price for
}

// Total is the stack's monthly cost in USD.
func (e Estimate) Total() float64 {
	t := 0.0
	for _, i := range e.Items {
		t += i.USD
	}
	return t
}

// ForStack prices every custom resource a stack registered, biggest items first. others are the
// other stacks' results (for facts a member inherits from the home stack); they are not priced.
func ForStack(stack, region string, res *capture.Result, others ...*capture.Result) Estimate {
	e := Estimate{Stack: stack, Region: region}
	scope := Scope{Stack: res, Others: others}
	missing := map[string]bool{}
	for _, r := range res.Resources {
		if !r.Custom {
			continue // components cost nothing: their children are priced
		}
		entry, ok := Table[r.Type]
		if !ok {
			missing[r.Type] = true
			continue
		}
		class := ""
		if entry.ClassOf != nil {
			class = entry.ClassOf(r, scope)
		}
		matched := entry.Free != ""
		for _, p := range entry.Prices {
			if p.Class != "" && p.Class != class {
				continue
			}
			matched = true
			q := p.Usage(r, scope)
			if q == 0 {
				continue
			}
			e.Items = append(e.Items, Item{Type: r.Type, Name: r.Name, What: p.What, Quantity: q, Unit: p.Unit,
				USD: q * p.USD[region], Estimated: p.Estimated})
		}
		if !matched {
			missing[fmt.Sprintf("%s (class %q)", r.Type, class)] = true
		}
	}
	for m := range missing {
		e.Missing = append(e.Missing, m)
	}
	sort.Strings(e.Missing)
	sort.SliceStable(e.Items, func(i, j int) bool {
		if e.Items[i].USD != e.Items[j].USD {
			return e.Items[i].USD > e.Items[j].USD
		}
		return e.Items[i].Name+e.Items[i].What < e.Items[j].Name+e.Items[j].What
	})
	return e
}

// MissingError explains which types to add to the table, one line each.
func MissingError(missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("the price table (cost/prices.go) has no entry for:\n  %s\nadd a Price (USD per region, usage assumption, source and date) or a Free reason for each",
		strings.Join(missing, "\n  "))
}
