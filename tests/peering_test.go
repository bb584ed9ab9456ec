package tests

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/network"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/stacks"
)

const (
	typePeering  = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
	typeAccepter = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"
	typeRoute    = "aws:ec2/route:Route"
	typeSG       = "aws:ec2/securityGroup:SecurityGroup"
	typeSGRule   = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeTaskDef  = "aws:ecs/taskDefinition:TaskDefinition"
)

// peerRoutes are the routes of res to cidr across a peering connection.
func peerRoutes(res *capture.Result, cidr string) []capture.Resource {
	var out []capture.Resource
	for _, r := range res.Find(typeRoute) {
		if r.Inputs["destinationCidrBlock"].StringValue() == cidr && r.Inputs.HasValue("vpcPeeringConnectionId") {
			out = append(out, r)
		}
	}
	return out
}

func vpcCidrs(t *testing.T) map[string]string {
	raw, err := capture.ProjectConfig(repoRoot, config.TokyoStack)
	require.NoError(t, err)
	c, err := config.Parse(config.TokyoStack, raw)
	require.NoError(t, err)
	return c.VpcCidrs
}

// TestPeeringFollowsTheBringUp walks README's bring-up (tokyo, osaka, tokyo): Osaka requests the
// connection to Tokyo's VPC on its first up, Tokyo accepts it on its second, and from then on
// both route the other's CIDR through it from the app (private) and data (isolated) subnets.
func TestPeeringFollowsTheBringUp(t *testing.T) {
	cidr := vpcCidrs(t)
	b := newBringUp()
	tokyo1, err := b.Up(config.TokyoStack)
	require.NoError(t, err)
	assert.Empty(t, tokyo1.Find(typePeering))
	assert.Empty(t, tokyo1.Find(typeAccepter), "nothing to accept before Osaka exists")
	assert.Empty(t, peerRoutes(tokyo1, cidr[config.Osaka]))
	assert.NotContains(t, envOf(t, tokyo1), "CACHE_PEER_ENDPOINT", "no peer cache before Osaka exists")

	osaka, err := b.Up(config.OsakaStack)
	require.NoError(t, err)
	pcx := only(t, osaka, typePeering)
	assert.Equal(t, tokyo1.Outputs[stacks.OutVpcID], pcx.Inputs["peerVpcId"].StringValue(), "Osaka peers with Tokyo's VPC")
	assert.Equal(t, config.Tokyo, pcx.Inputs["peerRegion"].StringValue())
	assert.False(t, pcx.Inputs.HasValue("autoAccept"), "a cross-region request cannot accept itself")
	assert.Len(t, peerRoutes(osaka, cidr[config.Tokyo]), 4, "3 private route tables and the isolated one")
	require.NotEmpty(t, osaka.Outputs[stacks.OutPeeringID])

	tokyo2, err := b.Up(config.TokyoStack)
	require.NoError(t, err)
	acc := only(t, tokyo2, typeAccepter)
	assert.Equal(t, osaka.Outputs[stacks.OutPeeringID], acc.Inputs["vpcPeeringConnectionId"].StringValue())
	for _, res := range []*capture.Result{osaka, tokyo2} {
		require.NotEmpty(t, res.Outputs[stacks.OutCacheEndpoint], "each stack exports its cluster's primary endpoint")
	}
	assert.True(t, acc.Inputs["autoAccept"].BoolValue())
	assert.Empty(t, tokyo2.Find(typePeering), "one connection, requested by Osaka")
	assert.Len(t, peerRoutes(tokyo2, cidr[config.Osaka]), 4)
	assert.Equal(t, osaka.Outputs[stacks.OutCacheEndpoint], envOf(t, tokyo2)["CACHE_PEER_ENDPOINT"])
	assert.Equal(t, tokyo2.Outputs[stacks.OutCacheEndpoint], envOf(t, osaka)["CACHE_PEER_ENDPOINT"])
}

// TestTasksReachThePeerDataStores: whatever the peering's progress, tasks may leave for the
// peer's PostgreSQL and Redis ports and the data stores admit the peer's task subnets on theirs, so the
// path works as soon as the connection is active; the tasks know the peer's cache once the peer
// has deployed.
func TestTasksReachThePeerDataStores(t *testing.T) {
	cidr := vpcCidrs(t)
	for _, stack := range config.Stacks() {
		t.Run(stack, func(t *testing.T) {
			res := mustRun(t, stack, nil)
			region := config.RegionFor(stack)
			peer := config.Peer(region)
			egress := map[float64]bool{}
			for _, r := range res.Find(typeSGRule) {
				if b := arrayOf(r.Inputs["cidrBlocks"]); r.Inputs["type"].StringValue() == "egress" && len(b) == 1 && b[0].StringValue() == cidr[peer] {
					egress[r.Inputs["fromPort"].NumberValue()] = true
				}
			}
			assert.Equal(t, map[float64]bool{5432: true, 6379: true}, egress)
			// The data stores admit the peer's app-task (private) subnets, not its whole VPC.
			peerTasks, err := network.PrivateSubnetCidrs(cidr[peer])
			require.NoError(t, err)
			require.Len(t, peerTasks, 3)
			admitted := map[float64][]string{}
			for _, sg := range res.Find(typeSG) {
				for _, in := range arrayOf(sg.Inputs["ingress"]) {
					for _, c := range arrayOf(in.ObjectValue()["cidrBlocks"]) {
						prefix, err := netip.ParsePrefix(c.StringValue())
						require.NoError(t, err)
						if vpc := netip.MustParsePrefix(cidr[peer]); prefix.Bits() >= vpc.Bits() && vpc.Contains(prefix.Addr()) {
							port := in.ObjectValue()["fromPort"].NumberValue()
							admitted[port] = append(admitted[port], c.StringValue())
						}
					}
				}
			}
			assert.Equal(t, map[float64][]string{5432: peerTasks, 6379: peerTasks}, admitted,
				"the database and the cache admit the peer's task subnets, and nothing else of the peer's VPC")
			assert.Equal(t, "master.peer-cache.example", envOf(t, res)["CACHE_PEER_ENDPOINT"])
		})
	}
}

// envOf is the app container's environment.
func envOf(t *testing.T, res *capture.Result) map[string]string {
	t.Helper()
	var defs []struct {
		Environment []struct{ Name, Value string } `json:"environment"`
	}
	require.NoError(t, json.Unmarshal([]byte(only(t, res, typeTaskDef).Inputs["containerDefinitions"].StringValue()), &defs))
	env := map[string]string{}
	for _, e := range defs[0].Environment {
		env[e.Name] = e.Value
	}
	return env
}

func arrayOf(v resource.PropertyValue) []resource.PropertyValue {
	if !v.IsArray() {
		return nil
	}
	return v.ArrayValue()
}
