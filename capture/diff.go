package capture

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Change is one difference between two runs: a resource added or removed, or one top-level
// input that changed.
type Change struct {
	Type     string
	Name     string
	Kind     string // "add", "delete" or "update"
	Property string // for updates: the changed top-level input
	Before   string
	After    string
	// Ignored: the program covers the input with ignoreChanges, so `pulumi up` neither
	// compares nor sends it; the change shows in the program, not in AWS.
	Ignored bool
}

func (c Change) String() string {
	switch c.Kind {
	case "update":
		return fmt.Sprintf("~ %s %s: %s: %s => %s", c.Type, c.Name, c.Property, c.Before, c.After)
	case "add":
		return fmt.Sprintf("+ %s %s", c.Type, c.Name)
	}
	return fmt.Sprintf("- %s %s", c.Type, c.Name)
}

// Diff lists what changes from run a to run b, resource by resource and input by input, in a
// stable order.
func Diff(a, b *Result) []Change {
	before := index(a)
	after := index(b)
	var out []Change
	for k, r := range before {
		if _, ok := after[k]; !ok {
			out = append(out, Change{Type: r.Type, Name: r.Name, Kind: "delete"})
		}
	}
	for k, r := range after {
		old, ok := before[k]
		if !ok {
			out = append(out, Change{Type: r.Type, Name: r.Name, Kind: "add"})
			continue
		}
		for _, key := range changedKeys(old.Inputs, r.Inputs) {
			before, after := showPair(old.Inputs[key], r.Inputs[key])
			out = append(out, Change{
				Type: r.Type, Name: r.Name, Kind: "update", Property: string(key),
				Before: before, After: after, Ignored: Ignored(r, string(key)),
			})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type+out[i].Name != out[j].Type+out[j].Name {
			return out[i].Type+out[i].Name < out[j].Type+out[j].Name
		}
		return out[i].Property < out[j].Property
	})
	return out
}

func index(r *Result) map[string]Resource {
	m := make(map[string]Resource, len(r.Resources))
	for _, x := range r.Resources {
		m[x.Key()] = x
	}
	return m
}

func changedKeys(a, b resource.PropertyMap) []resource.PropertyKey {
	seen := map[resource.PropertyKey]bool{}
	var out []resource.PropertyKey
	for _, m := range []resource.PropertyMap{a, b} {
		for k := range m {
			if seen[k] {
				continue
			}
			seen[k] = true
			if !a[k].DeepEquals(b[k]) {
				out = append(out, k)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// maxShown bounds how much of a value a change line shows.
const maxShown = 120

// showPair renders both sides of a change. Long values are cut around their first difference,
// so a changed number deep inside a JSON document is still visible.
func showPair(a, b resource.PropertyValue) (string, string) {
	sa, sb := show(a), show(b)
	if len(sa) <= maxShown && len(sb) <= maxShown {
		return sa, sb
	}
	i := 0
	for i < len(sa) && i < len(sb) && sa[i] == sb[i] {
		i++
	}
	start := max(0, i-maxShown/3)
	return window(sa, start), window(sb, start)
}

func window(s string, start int) string {
	end := min(len(s), start+maxShown)
	out := s[min(start, len(s)):end]
	if start > 0 {
		out = "..." + out
	}
	if end < len(s) {
		out += "..."
	}
	return out
}

func show(v resource.PropertyValue) string {
	if v.IsNull() {
		return "<none>"
	}
	if v.IsSecret() {
		return "[secret]"
	}
	return fmt.Sprint(v.Mappable())
}
