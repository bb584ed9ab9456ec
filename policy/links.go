package policy

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// urnKey turns a URN into the type::name key rules use to name resources.
func urnKey(u string) string {
	urn := resource.URN(u)
	if !urn.IsValid() {
		return ""
	}
	return string(urn.Type()) + "::" + urn.Name()
}

// depsOf returns the URNs the input prop depends on. Without per-input dependencies (the mock
// monitor records only their union) it returns every dependency of the resource.
func (r Resource) depsOf(prop string) []string {
	if r.PropertyDeps != nil {
		return r.PropertyDeps[prop]
	}
	return r.DependsOn
}

// refers reports whether r's input prop points at target: through a dependency on target, or
// by holding one of target's literal names (a bucket name, an id given as a plain string).
func (r Resource) refers(prop string, target Resource, names ...string) bool {
	for _, u := range r.depsOf(prop) {
		if urnKey(u) == target.Key() {
			return true
		}
	}
	if v, st := str(r.Inputs, prop); st == known && v != "" {
		for _, n := range names {
			if n != "" && v == n {
				return true
			}
		}
	}
	return false
}

// referring returns the resources of type t whose input prop points at target.
func referring(rs []Resource, t, prop string, target Resource, names ...string) []Resource {
	var out []Resource
	for _, r := range ofType(rs, t) {
		if r.refers(prop, target, names...) {
			out = append(out, r)
		}
	}
	return out
}

// dependsOnKey reports whether any of r's prop dependencies is the resource with key k.
func (r Resource) dependsOnKey(prop, k string) bool {
	for _, u := range r.depsOf(prop) {
		if urnKey(u) == k {
			return true
		}
	}
	return false
}
