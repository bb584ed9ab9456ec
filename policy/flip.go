package policy

import (
	"fmt"
	"sort"
)

// DataTypes are the resources whose inputs the flip of primaryRegion must never change: their
// inputs depend on homeRegion at most (docs/architecture.md).
var DataTypes = map[string]bool{
	TypeGlobalCluster: true, TypeCluster: true, TypeClusterInstance: true,
	"aws:rds/subnetGroup:SubnetGroup": true,
	TypeReplicationGroup:              true, TypeGlobalReplicationGroup: true,
	TypeBucketV2: true, TypeBucketLegacy: true, TypeReplication: true, TypeVersioning: true, TypeEncryption: true,
	TypeKmsKey: true, "aws:kms/alias:Alias": true,
	TypeQueue: true,
}

// Flip checks AGM-DR-004: a and b are the same stack run with either region primary; allowed
// lists, per type, the inputs the flip may change.
func Flip(stack string, a, b []Resource, allowed map[string][]string) []Violation {
	byKey := func(rs []Resource) map[string]Resource {
		m := map[string]Resource{}
		for _, r := range rs {
			m[r.Key()] = r
		}
		return m
	}
	am, bm := byKey(a), byKey(b)
	var out []Violation
	v := func(key, format string, args ...any) {
		out = append(out, Violation{Rule: flipRule.ID, Resource: stack + ": " + key, Message: fmt.Sprintf(format, args...)})
	}
	for k := range am {
		if _, ok := bm[k]; !ok {
			v(k, "registered with one primary and not the other: the flip would delete it")
		}
	}
	for k, rb := range bm {
		ra, ok := am[k]
		if !ok {
			v(k, "registered only after the flip: the flip would create it")
			continue
		}
		if ra.Protect != rb.Protect || ra.RetainOnDelete != rb.RetainOnDelete {
			v(k, "the flip changes its protect/retainOnDelete options")
		}
		for _, p := range changedInputs(ra, rb) {
			switch {
			case DataTypes[rb.Type]:
				v(k, "the flip changes input %s of a data resource", p)
			case !contains(allowed[rb.Type], p):
				v(k, "the flip changes input %s, which the flip contract does not allow", p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func changedInputs(a, b Resource) []string {
	var out []string
	seen := map[string]bool{}
	for k, va := range a.Inputs {
		seen[string(k)] = true
		if vb, ok := b.Inputs[k]; !ok || !va.DeepEquals(vb) {
			out = append(out, string(k))
		}
	}
	for k := range b.Inputs {
		if !seen[string(k)] {
			out = append(out, string(k))
		}
	}
	sort.Strings(out)
	return out
}
