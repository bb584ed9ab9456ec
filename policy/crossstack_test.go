package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func ruleIDs(vs []Violation) []string {
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.Rule)
	}
	return ids
}

func TestFlip(t *testing.T) {
	allowed := map[string][]string{TypeECSService: {"desiredCount"}}
	withCount := func(n int) []Resource { return set(good(), TypeECSService, "service", "desiredCount", n) }
	assert.Empty(t, Flip("tokyo", withCount(6), withCount(2), allowed), "an allowed input may change")

	cases := map[string][]Resource{
		"data input changes": set(withCount(2), TypeCluster, "cluster", "backupRetentionPeriod", 7),
		"input not allowed":  set(withCount(2), TypeECSService, "service", "networkConfiguration", map[string]any{}),
		"resource added":     append(withCount(2), mk(TypeQueue, "extra", map[string]any{})),
		"resource deleted":   drop(withCount(2), TypeFlowLog, "flow-log"),
		"options change":     func() []Resource { rs := withCount(2); rs[find(rs, TypeKmsKey, "key")].Protect = false; return rs }(),
	}
	for name, b := range cases {
		vs := Flip("tokyo", withCount(6), b, allowed)
		assert.NotEmpty(t, vs, name)
		assert.Subset(t, []string{"AGM-DR-004"}, ruleIDs(vs), name)
	}
}

func TestSameImage(t *testing.T) {
	stack := func(name, region, image string) StackResources {
		defs := containersWith(func(c map[string]any) { c["image"] = image })
		return StackResources{Stack: name, Region: region, Resources: set(good(), TypeTaskDefinition, "task", "containerDefinitions", defs)}
	}
	tokyo := stack("tokyo", "ap-northeast-1", "1.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app:2026.06.1")
	osaka := stack("osaka", "ap-northeast-3", "1.dkr.ecr.ap-northeast-3.amazonaws.com/agm-dr/app:2026.06.1")
	assert.Empty(t, SameImage(tokyo, osaka))

	drifted := stack("osaka", "ap-northeast-3", "1.dkr.ecr.ap-northeast-3.amazonaws.com/agm-dr/app:2026.06.2")
	assert.Contains(t, Format(SameImage(tokyo, drifted)), "different images")

	crossRegion := stack("osaka", "ap-northeast-3", "1.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app:2026.06.1")
	assert.Contains(t, Format(SameImage(tokyo, crossRegion)), "own ECR")
}

func TestProjectOnly(t *testing.T) {
	assert.Empty(t, ProjectOnly("tokyo", []string{"aws:region"}, "agm-dr:primaryRegion"))
	vs := ProjectOnly("tokyo", []string{"aws:region", "agm-dr:primaryRegion"}, "agm-dr:primaryRegion")
	assert.Equal(t, []string{"AGM-DR-006"}, ruleIDs(vs))
	assert.True(t, strings.Contains(vs[0].String(), "Pulumi.tokyo.yaml"))
}
