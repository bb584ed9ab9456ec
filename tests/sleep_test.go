package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/policy"
	"github.com/agm-dr/agm-dr/stacks"
)

// dev is the dev profile, awake or asleep, with the given primary.
func dev(sleeping bool, primaryRegion string) map[string]string {
	s := "false"
	if sleeping {
		s = "true"
	}
	return map[string]string{
		config.KeyProfile: string(config.Dev), config.KeySleeping: s, config.KeyPrimaryRegion: primaryRegion,
		config.KeyCapacity: `{"primaryTasks":1,"standbyTasks":1,"maxTasks":2}`,
		config.KeySeason:   `{"timezone":"Asia/Tokyo","windows":[]}`,
	}
}

// TestSleepAndWakeChangeNoDataResource: from the two captured resource sets (dev awake, dev
// asleep) of each stack, sleep and wake add and delete only non-data resources and change no
// input of a data resource. They do change something (NAT, tasks), so the test is not vacuous.
func TestSleepAndWakeChangeNoDataResource(t *testing.T) {
	for _, stack := range config.Stacks() {
		t.Run(stack, func(t *testing.T) {
			awake := mustRun(t, stack, dev(false, config.Tokyo))
			asleep := mustRun(t, stack, dev(true, config.Tokyo))
			for name, pair := range map[string][2]*capture.Result{"sleep": {awake, asleep}, "wake": {asleep, awake}} {
				changes := capture.Diff(pair[0], pair[1])
				require.NotEmpty(t, changes, "%s must change something", name)
				kinds := map[string]int{}
				for _, c := range changes {
					kinds[c.Kind]++
					assert.False(t, policy.DataTypes[c.Type], "%s changes a data resource: %s", name, c)
				}
				assert.NotZero(t, kinds["add"]+kinds["delete"], "%s adds or deletes the NAT gateway and endpoints", name)
			}
			assert.Empty(t, asleep.Find("aws:ec2/natGateway:NatGateway"))
			assert.NotEmpty(t, awake.Find("aws:ec2/natGateway:NatGateway"))
			target := only(t, asleep, "aws:appautoscaling/target:Target")
			assert.Zero(t, target.Inputs["maxCapacity"].NumberValue(), "no task may run asleep")
			// Asleep the gate follows no load: a standby put to sleep first can still report its
			// warm desired count, which would hold the primary's floor above 0.
			gate := only(t, asleep, "agmdr:index:Capacity")
			assert.Zero(t, gate.Inputs["roleFloor"].NumberValue())
			assert.Empty(t, gate.Inputs["peerRegion"].StringValue(), "asleep: no load floor")
			assert.Equal(t, config.Peer(config.RegionFor(stack)), only(t, awake, "agmdr:index:Capacity").Inputs["peerRegion"].StringValue())
		})
	}
}

// TestFlipContractHoldsAsleepAndAwake: in both sleeping states of dev, the flip of
// primaryRegion adds, deletes and replaces nothing and changes only allowed inputs.
func TestFlipContractHoldsAsleepAndAwake(t *testing.T) {
	for _, sleeping := range []bool{false, true} {
		for _, stack := range config.Stacks() {
			a := mustRun(t, stack, dev(sleeping, config.Tokyo))
			b := mustRun(t, stack, dev(sleeping, config.Osaka))
			changes := capture.Diff(a, b)
			require.NotEmpty(t, changes, "sleeping=%v %s: the flip must move the writer", sleeping, stack)
			for _, c := range changes {
				require.Equal(t, "update", c.Kind, "sleeping=%v %s: flip must not add or delete: %s", sleeping, stack, c)
				assert.False(t, policy.DataTypes[c.Type], "sleeping=%v %s: flip changes a data resource: %s", sleeping, stack, c)
				assert.Contains(t, stacks.FlipAllowed[c.Type], c.Property, "sleeping=%v %s: %s", sleeping, stack, c)
			}
		}
	}
}

func TestProductionSleepIsRefusedAndRegistersNothing(t *testing.T) {
	res, err := run(t, config.TokyoStack, map[string]string{config.KeySleeping: "true"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), config.KeySleeping)
	assert.Contains(t, err.Error(), "refused for profile production")
	assert.Empty(t, res.Find("aws:rds/cluster:Cluster"))
}

// TestPolicySleepingDevIsClean: the guardrail rules hold for the sleeping dev environment too,
// so `pulumi up --policy-pack` does not refuse a sleep or a wake.
func TestPolicySleepingDevIsClean(t *testing.T) {
	for _, stack := range config.Stacks() {
		for _, primary := range config.Regions() {
			res := mustRun(t, stack, dev(true, primary))
			vs, _ := policy.Split(policy.Evaluate(resources(res)))
			assert.Empty(t, vs, "policy violations in %s asleep, primary %s:\n%s", stack, primary, policy.Format(vs))
		}
	}
}
