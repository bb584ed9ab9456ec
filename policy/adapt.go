package policy

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/agm-dr/agm-dr/capture"
)

// FromCapture adapts the resources a run under mocks registered. Every option is visible there.
func FromCapture(rs []capture.Resource) []Resource {
	out := make([]Resource, 0, len(rs))
	for _, r := range rs {
		out = append(out, Resource{
			Type: r.Type, Name: r.Name, URN: r.URN, Parent: r.Parent, Inputs: r.Inputs,
			Protect: r.Protect, RetainOnDelete: r.RetainOnDelete,
			IgnoreChanges: r.IgnoreChanges, DependsOn: r.DependsOn,
		})
	}
	return out
}

// FromAnalyzer adapts a resource as the policy pack receives it. The analyzer protocol carries
// protect and ignoreChanges but not retainOnDelete, so RetainUnknown is set.
func FromAnalyzer(r policyx.AnalyzerResource) Resource {
	deps := r.Dependencies
	if deps == nil { // per-resource validation gets no dependencies; use the per-input ones
		for _, us := range r.PropertyDependencies {
			deps = append(deps, us...)
		}
	}
	return Resource{
		Type:          r.Type,
		Name:          r.Name,
		URN:           r.URN,
		Parent:        r.Parent,
		Inputs:        resource.ToResourcePropertyMap(r.Properties),
		Protect:       r.Options.Protect,
		RetainUnknown: true,
		IgnoreChanges: r.Options.IgnoreChanges,
		DependsOn:     deps,
		PropertyDeps:  r.PropertyDependencies,
	}
}

// FromAnalyzerStack adapts every resource of a stack validation.
func FromAnalyzerStack(rs []policyx.AnalyzerResource) []Resource {
	out := make([]Resource, 0, len(rs))
	for _, r := range rs {
		out = append(out, FromAnalyzer(r))
	}
	return out
}
