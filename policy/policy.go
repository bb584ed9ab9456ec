// Package policy holds the security and reliability rules every resource of the agm-dr program
// must satisfy. The same rule functions run in two places: the test suite, over the resources
// captured from stacks.Program under mocks (tests/policy_test.go), and the Pulumi policy pack
// in policypack/, over the resources the engine sends during `pulumi preview`.
//
// A Rule looks at one resource at a time; a StackRule needs several (a bucket and its public
// access block, a VPC and its flow log). Rules read the pulumi-aws v6 input names as they are
// registered (camelCase). A value that is unknown during a preview is never a violation: it is
// checked again when known, and always under mocks, where every value is known.
package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Resource is one registered resource as the rules see it.
type Resource struct {
	Type   string
	Name   string
	URN    string
	Parent string
	Inputs resource.PropertyMap

	Protect        bool
	RetainOnDelete bool
	// RetainUnknown is true when RetainOnDelete is not visible (the policy pack: the analyzer
	// protocol does not carry it), so rules must not judge it.
	RetainUnknown bool
	IgnoreChanges []string

	// DependsOn lists the URNs this resource depends on (explicit and through its inputs);
	// PropertyDeps, when known, says which input depends on which URNs.
	DependsOn    []string
	PropertyDeps map[string][]string
}

// Rule checks one resource of the listed types and returns its violations as messages.
type Rule struct {
	ID            string
	Description   string
	Checkov       []string // Checkov check ids (CKV_AWS_*, CKV2_AWS_*) covering the same ground
	SecurityHub   []string // AWS Security Hub control ids (FSBP unless noted in docs/policies.md)
	ResourceTypes []string
	Check         func(Resource) []string
	// Advisory rules report without failing: a known, documented exception to a best practice
	// (the pack runs them at the advisory enforcement level, the tests log them).
	Advisory bool
}

// StackRule checks the resources of one stack together.
type StackRule struct {
	ID          string
	Description string
	Checkov     []string
	SecurityHub []string
	Check       func([]Resource) []Violation
}

// Violation is one broken rule on one resource.
type Violation struct {
	Rule     string
	Resource string // type::name, or the stack for cross-stack checks
	Message  string
	Advisory bool // from an advisory rule: reported, not failing
}

func (v Violation) String() string { return v.Rule + ": " + v.Resource + ": " + v.Message }

// Key names a resource in messages: type::name.
func (r Resource) Key() string { return r.Type + "::" + r.Name }

func (r Resource) violation(rule, format string, args ...any) Violation {
	return Violation{Rule: rule, Resource: r.Key(), Message: fmt.Sprintf(format, args...)}
}

// Rules are the per-resource rules, in table order.
var Rules = concat(rdsRules, cacheRules, sqsRules, ecsRules, albRules, kmsRules, logRules, s3ResourceRules, extraRules, guardRules, protectionRules)

// StackRules are the rules that need several resources of one stack.
var StackRules = concat(s3StackRules, networkStackRules, sqsStackRules, drStackRules, protectionStackRules)

// CrossStack lists the checks that compare runs (two roles, two stacks) or read files; the
// policy pack cannot run them, the test suite does (tests/policy_test.go).
var CrossStack = []StackRule{flipRule, sameImageRule, projectOnlyRule, vaultLockRule}

func concat[T any](xs ...[]T) []T {
	var out []T
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}

// Applies reports whether the rule checks resources of type t.
func (r Rule) Applies(t string) bool {
	for _, x := range r.ResourceTypes {
		if x == t {
			return true
		}
	}
	return false
}

// Evaluate runs every Rule and StackRule over one stack's resources.
func Evaluate(rs []Resource) []Violation {
	var out []Violation
	for _, rule := range Rules {
		for _, r := range rs {
			if !rule.Applies(r.Type) {
				continue
			}
			for _, msg := range rule.Check(r) {
				out = append(out, Violation{Rule: rule.ID, Resource: r.Key(), Message: msg, Advisory: rule.Advisory})
			}
		}
	}
	for _, rule := range StackRules {
		out = append(out, rule.Check(rs)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// IDs lists every rule id (resource, stack and cross-stack), for the docs and their test.
func IDs() []string {
	var ids []string
	for _, r := range Rules {
		ids = append(ids, r.ID)
	}
	for _, r := range append(append([]StackRule{}, StackRules...), CrossStack...) {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

// Split separates the violations that fail a run from the advisory ones.
func Split(vs []Violation) (mandatory, advisory []Violation) {
	for _, v := range vs {
		if v.Advisory {
			advisory = append(advisory, v)
		} else {
			mandatory = append(mandatory, v)
		}
	}
	return mandatory, advisory
}

// Format renders violations one per line, as "rule id: resource: message".
func Format(vs []Violation) string {
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = v.String()
	}
	return strings.Join(lines, "\n")
}

// ofType returns the resources of any of the given types.
func ofType(rs []Resource, types ...string) []Resource {
	var out []Resource
	for _, r := range rs {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
				break
			}
		}
	}
	return out
}
