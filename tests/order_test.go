package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

// The switchover's order is the program's dependency graph, so the engine cannot run a step
// before the one it needs: capacity, then the Aurora writer (whose preflight covers the cache),
// then the cache primary, then traffic. A refused or failed step stops every later one.
func TestSwitchoverStepsRunInOrder(t *testing.T) {
	edges := []struct{ step, needs string }{
		{"agmdr:index:AuroraWriter::aurora-writer", "agmdr:index:Capacity::capacity"},
		{"agmdr:index:CachePrimary::cache-primary", "agmdr:index:AuroraWriter::aurora-writer"},
		{"agmdr:index:CachePrimary::cache-primary", "agmdr:index:Capacity::capacity"},
		{"agmdr:index:Traffic::traffic-route", "agmdr:index:CachePrimary::cache-primary"},
		{"agmdr:index:Traffic::traffic-route", "agmdr:index:AuroraWriter::aurora-writer"},
		{"agmdr:index:Traffic::traffic-route", "agmdr:index:Capacity::capacity"},
		{"agmdr:index:Capacity::capacity", "aws:ecs/service:Service::app-service"},
	}
	for _, stack := range config.Stacks() {
		for _, p := range []string{config.Tokyo, config.Osaka} {
			t.Run(fmt.Sprintf("%s with primary %s", stack, p), func(t *testing.T) {
				res := mustRun(t, stack, primary(p))
				byKey := map[string]capture.Resource{}
				for _, r := range res.Resources {
					byKey[r.Key()] = r
				}
				for _, e := range edges {
					r, ok := byKey[e.step]
					require.True(t, ok, "%s not registered", e.step)
					_, ok = byKey[e.needs]
					require.True(t, ok, "%s not registered", e.needs)
					assert.True(t, slices.ContainsFunc(r.DependsOn, func(u string) bool { return isURNOf(u, e.needs) }),
						"%s must wait for %s; it depends on %s", e.step, e.needs, strings.Join(r.DependsOn, ", "))
				}
			})
		}
	}
}

// The writer's preflight checks the cache datastore, so neither moves unless both can.
func TestWriterPreflightCoversTheCache(t *testing.T) {
	for _, stack := range config.Stacks() {
		res := mustRun(t, stack, nil)
		w := only(t, res, "agmdr:index:AuroraWriter")
		c := only(t, res, "agmdr:index:CachePrimary")
		assert.Equal(t, c.Inputs["globalReplicationGroupId"], w.Inputs["cacheGlobalReplicationGroupId"], stack)
		assert.Equal(t, c.Inputs["replicationGroupId"], w.Inputs["cacheReplicationGroupId"], stack)
	}
}

// The season floor survives a flip: the program hands the gate the windows (static), never a
// floor computed from today's date, and the autoscaling target leaves its floor to the gate.
func TestCapacityGateGetsTheSeasonNotTheDate(t *testing.T) {
	for _, stack := range config.Stacks() {
		res := mustRun(t, stack, nil)
		g := only(t, res, "agmdr:index:Capacity")
		ws := g.Inputs["windows"].ArrayValue()
		require.NotEmpty(t, ws, "%s: the repo's config has an AGM-season window", stack)
		w := ws[0].ObjectValue()
		assert.Equal(t, "june-agm-peak", w["name"].StringValue())
		assert.Equal(t, float64(20), w["minTasks"].NumberValue())
		assert.Equal(t, "Asia/Tokyo", g.Inputs["timezone"].StringValue())
		target := only(t, res, "aws:appautoscaling/target:Target")
		assert.Contains(t, target.IgnoreChanges, "minCapacity", "%s: a Pulumi update of the target would drop the season floor", stack)
	}
}

// isURNOf: urn:pulumi:<stack>::<project>::<parent types$>type::name names the resource key.
func isURNOf(urn, key string) bool {
	typ, name, _ := strings.Cut(key, "::")
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return false
	}
	types := strings.Split(parts[2], "$")
	return types[len(types)-1] == typ && parts[3] == name
}

// Both stacks declare the same routing from primaryRegion, so they can never fight: only the
// stack whose region is primaryRegion writes Route 53, the other only reads.
func TestBothStacksDeclareTheSameTraffic(t *testing.T) {
	for _, p := range []string{config.Tokyo, config.Osaka} {
		var decl []string
		for _, stack := range config.Stacks() {
			res := mustRun(t, stack, primary(p))
			for _, r := range res.Find("aws:route53/record:Record") {
				assert.NotEqual(t, "A", r.Inputs["type"].StringValue(), "%s: no stack may own a weighted A record of its own (%s)", stack, r.Name)
			}
			tr := only(t, res, "agmdr:index:Traffic")
			assert.Equal(t, config.RegionFor(stack), tr.Inputs["region"].StringValue())
			decl = append(decl, fmt.Sprint(tr.Inputs["primaryRegion"].StringValue(), tr.Inputs["recordName"].StringValue()))
			assert.Equal(t, float64(config.AliasTTLSeconds), tr.Inputs["clientTtlSeconds"].NumberValue(),
				"%s: by default the traffic move waits out the 60 s alias TTL", stack)
		}
		require.Len(t, decl, 2)
		assert.Equal(t, decl[0], decl[1], "primary %s: both stacks must declare the same traffic", p)
		assert.Contains(t, decl[0], p)
	}
}
