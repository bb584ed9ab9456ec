package fakeaws

import (
	"fmt"
	"sort"
	"strings"
)

// Source of every entry in ForceNew: the resource schema of the Terraform AWS provider, which
// pulumi-aws v6 bridges (a ForceNew attribute there is a replacement in Pulumi), repo
// hashicorp/terraform-provider-aws, the file named per entry. Pulumi property names are the
// camelCase of the Terraform attribute. "(read)" marks entries whose ForceNew attributes were
// read line by line for this table; the others are taken from the same files by the same rule
// and should be re-read when an entry is doubted. The in-place list holds the properties the
// program sets that carry no ForceNew there.
type forceNew struct {
	props   []string // ForceNew: a change replaces the resource
	updates []string // set by the program and changed in place (no ForceNew in the schema)
	source  string
}

// Replaces reports whether a change of the top-level input prop of a resource of type typ makes
// AWS replace the resource.
func Replaces(typ, prop string) bool {
	return inList(ForceNew[typ].props, prop)
}

// Source is where the replacement facts of typ come from ("" when typ has none).
func Source(typ string) string {
	if f, ok := ForceNew[typ]; ok {
		return "hashicorp/terraform-provider-aws " + f.source
	}
	return ""
}

// Uncovered checks that table says, for every type in props and each of its properties, whether
// a change replaces or updates in place, with a source. It returns one line per gap, each saying
// the exact entry to add to ForceNew in fakeaws/forcenew.go.
func Uncovered(table map[string]forceNew, props map[string][]string) []string {
	var out []string
	for typ, ps := range props {
		f, ok := table[typ]
		if !ok {
			out = append(out, fmt.Sprintf("fakeaws/forcenew.go: add an entry for %s: its ForceNew properties, the in-place ones the program sets (%s) and the terraform-provider-aws schema file it comes from",
				typ, strings.Join(ps, ", ")))
			continue
		}
		if f.source == "" {
			out = append(out, fmt.Sprintf("fakeaws/forcenew.go: %s has no source", typ))
		}
		for _, p := range ps {
			if !inList(f.props, p) && !inList(f.updates, p) {
				out = append(out, fmt.Sprintf("fakeaws/forcenew.go: %s sets %q, which the entry for %s does not cover: add it to props if %s marks it ForceNew, else to updates",
					typ, p, typ, f.source))
			}
		}
	}
	sort.Strings(out)
	return out
}

func inList(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// topLevel is the top-level property of a property path ("tags.Name" → "tags", "a[0]" → "a").
func topLevel(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}
