package provider

import (
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover"
)

// Input checks shared by both resources, beyond what each field allows alone.

// region refuses a region outside the service's two: AWS would answer for an unknown region
// with a misleading "cluster is not a member" instead of naming the typo.
func (f *failures) region(region string) {
	f.add("region", region != "" && !slices.Contains(config.Regions(), region),
		"region %q is not one of the service's regions (%s)", region, strings.Join(config.Regions(), ", "))
}

// pollWithinTimeout compares the values the engine will use (0 takes the default), so
// pollSeconds above timeoutSeconds is refused whichever of them is left at its default.
func (f *failures) pollWithinTimeout(timeout, poll int) {
	if timeout < 0 || poll < 0 {
		return // reported by common
	}
	t, pl := seconds(timeout), seconds(poll)
	if timeout == 0 {
		t = switchover.DefaultTimeout
	}
	if poll == 0 {
		pl = switchover.DefaultPoll
	}
	f.add("pollSeconds", pl > t, "pollSeconds (%s) must not exceed timeoutSeconds (%s)", pl, t)
}

// identity marks a changed input that is part of the resource ID ("<global id>/<region>") as a
// replacement: updating it in place would leave the ID naming another global resource or
// region than the state describes.
func (d diffs) identity(name string, changed bool) {
	if changed {
		d[name] = p.PropertyDiff{Kind: p.UpdateReplace, InputDiff: true}
	}
}
