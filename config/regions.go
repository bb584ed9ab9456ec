// Package config parses and validates the agm-dr configuration once, into a typed struct, and
// holds the few constants (regions, stacks, roles) that every other package shares.
package config

import "sort"

// The two regions of the service, and the stack that owns each.
const (
	Tokyo = "ap-northeast-1"
	Osaka = "ap-northeast-3"

	TokyoStack = "tokyo"
	OsakaStack = "osaka"
)

// Namespace is the config namespace (the Pulumi project name).
const Namespace = "agm-dr"

// Role is what a region does right now.
type Role string

const (
	RolePrimary Role = "primary" // serves writes and traffic
	RoleStandby Role = "standby" // warm, replicating, ready to take over
)

// Profile selects sizing: production or a cheap drill environment.
type Profile string

const (
	Production Profile = "production"
	Dev        Profile = "dev"
)

// Mode is how a switchover moves the writer.
type Mode string

const (
	// Planned uses SwitchoverGlobalCluster: both regions healthy, no data loss.
	Planned Mode = "planned"
	// Unplanned uses FailoverGlobalCluster with AllowDataLoss: the old primary region is down.
	Unplanned Mode = "unplanned"
)

// stackRegion maps each stack name to its region.
var stackRegion = map[string]string{TokyoStack: Tokyo, OsakaStack: Osaka}

// Regions lists the two regions in a stable order.
func Regions() []string { return []string{Tokyo, Osaka} }

// StackFor returns the stack that owns region, or "" for an unknown region.
func StackFor(region string) string {
	for s, r := range stackRegion {
		if r == region {
			return s
		}
	}
	return ""
}

// RegionFor returns the region of a stack, or "" for an unknown stack.
func RegionFor(stack string) string { return stackRegion[stack] }

// Stacks lists the stack names in a stable order.
func Stacks() []string {
	s := make([]string, 0, len(stackRegion))
	for k := range stackRegion {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// Peer returns the other region of the pair.
func Peer(region string) string {
	if region == Tokyo {
		return Osaka
	}
	return Tokyo
}

func isRegion(r string) bool { return r == Tokyo || r == Osaka }
