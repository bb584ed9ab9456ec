package fakeaws

import (
	"context"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Check fills the provider's defaults (Defaults) and refuses what the provider refuses
// (Conflicts), as the bridged provider's Check does.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	p.rec.add(Record{Op: "check", Type: req.Type, URN: req.Urn, Region: p.region})
	olds, err := unmarshal(req.Olds)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	checked, failures := checkInputs(req.Type, olds, news)
	res := &pulumirpc.CheckResponse{}
	for _, f := range failures {
		prop, reason, _ := strings.Cut(f, ": ")
		res.Failures = append(res.Failures, &pulumirpc.CheckFailure{Property: strings.Trim(prop, `"`), Reason: reason})
	}
	if res.Inputs, err = marshal(checked); err != nil {
		return nil, err
	}
	return res, nil
}

// Diff compares the new inputs with the state (what AWS last reported, see state.go), top-level
// property by property, as the bridge diffs state against config. A property the program no
// longer sends is a deletion when it was an input before. ignoreChanges paths are left out as
// the bridge leaves them out (by their top-level property). A change of a ForceNew property
// (ForceNew) or a value-dependent one (replacesOnValue) is a replacement.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	state, err := unmarshal(req.Olds)
	if err != nil {
		return nil, err
	}
	oldIn, err := unmarshal(req.OldInputs)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	ignore := map[string]bool{}
	for _, path := range req.IgnoreChanges {
		ignore[topLevel(path)] = true
	}
	keys := map[resource.PropertyKey]bool{}
	for k := range news {
		keys[k] = true
	}
	for k := range oldIn {
		keys[k] = true
	}
	res := &pulumirpc.DiffResponse{DetailedDiff: map[string]*pulumirpc.PropertyDiff{}, HasDetailedDiff: true}
	var changed, replaces []string
	for k := range keys {
		name := string(k)
		if ignore[name] || k == "__defaults" {
			continue
		}
		o, hadOld := state[k]
		if !hadOld {
			o, hadOld = oldIn[k]
		}
		n, hasNew := news[k]
		hadOld, hasNew = hadOld && !o.IsNull(), hasNew && !n.IsNull()
		if !hadOld && !hasNew || hadOld && hasNew && equalState(o, n) && !n.ContainsUnknowns() {
			continue
		}
		if !hasNew {
			if _, wasInput := oldIn[k]; !wasInput {
				continue // an output only: nothing the program asks for
			}
		}
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case !hadOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if Replaces(req.Type, name) || replacesOnValue(req.Type, name, o, n) {
			kind++ // ADD → ADD_REPLACE, DELETE → DELETE_REPLACE, UPDATE → UPDATE_REPLACE
			replaces = append(replaces, name)
		}
		changed = append(changed, name)
		res.DetailedDiff[name] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	sort.Strings(changed)
	sort.Strings(replaces)
	res.Diffs, res.Replaces = changed, replaces
	res.Changes = pulumirpc.DiffResponse_DIFF_NONE
	if len(changed) > 0 {
		res.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	p.rec.add(Record{Op: "diff", Type: req.Type, URN: req.Urn, ID: req.Id, Region: p.region, Changed: changed, Replaces: replaces})
	return res, nil
}

// equalState compares a state value with an input, a secret equal to its plain value (the
// state may hold a secret the program sends in the clear, or the other way round).
func equalState(a, b resource.PropertyValue) bool {
	if a.IsSecret() {
		a = a.SecretValue().Element
	}
	if b.IsSecret() {
		b = b.SecretValue().Element
	}
	return a.DeepEquals(b)
}
