package fakeaws

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/stacks"
)

// registered is every custom aws resource type the program registers, in every profile and
// both primaries, with the top-level inputs it sets.
func registered(t *testing.T) map[string][]string {
	t.Helper()
	seen := map[string]map[string]bool{}
	for _, o := range []map[string]string{
		nil,
		{config.KeyProfile: "dev", config.KeySleeping: "false"},
		{config.KeyProfile: "dev", config.KeySleeping: "true"},
		{config.KeyPrimaryRegion: config.Osaka},
	} {
		res, err := runbook.Capture(stacks.Program, "..", o)
		require.NoError(t, err)
		for _, r := range res {
			for _, x := range r.Resources {
				if !x.Custom || !strings.HasPrefix(x.Type, "aws:") {
					continue
				}
				if seen[x.Type] == nil {
					seen[x.Type] = map[string]bool{}
				}
				for k := range x.Inputs {
					seen[x.Type][string(k)] = true
				}
			}
		}
	}
	out := map[string][]string{}
	for typ, ps := range seen {
		out[typ] = []string{}
		for p := range ps {
			out[typ] = append(out[typ], p)
		}
		sort.Strings(out[typ])
	}
	return out
}

// TestForceNewTableCoversTheProgram: every type the program registers has an entry with its
// source, and every property it sets is classified as replacing or updating in place. A new
// type or property fails here with the entry to add.
func TestForceNewTableCoversTheProgram(t *testing.T) {
	props := registered(t)
	require.NotEmpty(t, props)
	assert.Empty(t, Uncovered(ForceNew, props), "the replace table must cover everything the program sets")

	t.Run("a ForceNew property taken off the table fails", func(t *testing.T) {
		broken := map[string]forceNew{}
		for k, v := range ForceNew {
			broken[k] = v
		}
		const typ = "aws:ec2/natGateway:NatGateway"
		e := broken[typ]
		e.props = []string{"subnetId"} // allocationId taken off
		broken[typ] = e
		gaps := Uncovered(broken, props)
		require.Len(t, gaps, 1)
		assert.Contains(t, gaps[0], typ)
		assert.Contains(t, gaps[0], `"allocationId"`)
		assert.Contains(t, gaps[0], "fakeaws/forcenew.go")
	})
	t.Run("a type without an entry fails and names it", func(t *testing.T) {
		gaps := Uncovered(ForceNew, map[string][]string{"aws:shield/protection:Protection": {"name", "resourceArn"}})
		require.Len(t, gaps, 1)
		assert.Contains(t, gaps[0], "add an entry for aws:shield/protection:Protection")
		assert.Contains(t, gaps[0], "name, resourceArn")
	})
}

// Facts the table once had wrong, or missed, each from the provider's schema.
func TestForceNewFacts(t *testing.T) {
	cases := []struct {
		typ, prop string
		replaces  bool
	}{
		{"aws:ec2/natGateway:NatGateway", "allocationId", true},
		{"aws:ec2/natGateway:NatGateway", "subnetId", true},
		{"aws:ec2/vpcEndpoint:VpcEndpoint", "vpcId", true},
		{"aws:ec2/vpcEndpoint:VpcEndpoint", "serviceName", true},
		{"aws:ec2/vpcEndpoint:VpcEndpoint", "vpcEndpointType", true},
		{"aws:ec2/route:Route", "routeTableId", true},
		{"aws:ec2/route:Route", "destinationCidrBlock", true},
		{"aws:ec2/route:Route", "natGatewayId", false},
		{"aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter", "vpcPeeringConnectionId", true},
		{"aws:backup/selection:Selection", "iamRoleArn", true},
		{"aws:backup/selection:Selection", "name", true},
		{"aws:backup/selection:Selection", "planId", true},
		{"aws:backup/selection:Selection", "resources", true},
		{"aws:wafv2/webAclAssociation:WebAclAssociation", "resourceArn", true},
		{"aws:wafv2/webAclAssociation:WebAclAssociation", "webAclArn", true},
		{"aws:ecr/repository:Repository", "encryptionConfigurations", true},
		{"aws:route53/record:Record", "type", false},
		{"aws:route53/record:Record", "setIdentifier", false},
		{"aws:ecs/service:Service", "platformVersion", false},
		{"aws:ec2/vpc:Vpc", "instanceTenancy", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.replaces, Replaces(c.typ, c.prop), "%s.%s (%s)", c.typ, c.prop, Source(c.typ))
	}
	for typ, f := range ForceNew {
		for _, p := range f.props {
			assert.NotContains(t, f.updates, p, "%s.%s is listed as both ForceNew and in place", typ, p)
		}
	}
}
