package network_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/network"
)

const kmsArn = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555"

var tokyoAZs = []string{"ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"}

func validArgs() *network.Args {
	return &network.Args{
		Cidr:             "10.10.0.0/16",
		AZs:              tokyoAZs,
		KmsKeyArn:        pulumi.String(kmsArn),
		LogRetentionDays: 90,
	}
}

func run(t *testing.T, args *network.Args) *capture.Result {
	t.Helper()
	res, err := capture.Run(func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "net", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
	require.NoError(t, err)
	return res
}

func get(t *testing.T, res *capture.Result, typ, name string) capture.Resource {
	t.Helper()
	r, ok := res.Get(typ, name)
	require.True(t, ok, "%s %s was not created", typ, name)
	return r
}

func str(r capture.Resource, key string) string {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

func strs(r capture.Resource, key string) []string {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		out = append(out, e.StringValue())
	}
	return out
}

const (
	subnetT = "aws:ec2/subnet:Subnet"
	routeT  = "aws:ec2/route:Route"
	natT    = "aws:ec2/natGateway:NatGateway"
	sgT     = "aws:ec2/securityGroup:SecurityGroup"
	ruleT   = "aws:ec2/securityGroupRule:SecurityGroupRule"
	vpceT   = "aws:ec2/vpcEndpoint:VpcEndpoint"
)

func TestSubnetsHaveExpectedCidrsInTheirAZs(t *testing.T) {
	cases := []struct {
		cidr string
		want map[string][3]string // tier -> CIDR per AZ
	}{
		{"10.10.0.0/16", map[string][3]string{
			"public":   {"10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"},
			"private":  {"10.10.48.0/20", "10.10.64.0/20", "10.10.80.0/20"},
			"isolated": {"10.10.96.0/20", "10.10.112.0/20", "10.10.128.0/20"},
		}},
		{"10.20.0.0/23", map[string][3]string{
			"public":   {"10.20.0.0/27", "10.20.0.32/27", "10.20.0.64/27"},
			"private":  {"10.20.0.96/27", "10.20.0.128/27", "10.20.0.160/27"},
			"isolated": {"10.20.0.192/27", "10.20.0.224/27", "10.20.1.0/27"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.cidr, func(t *testing.T) {
			args := validArgs()
			args.Cidr = tc.cidr
			res := run(t, args)
			assert.Equal(t, tc.cidr, str(get(t, res, "aws:ec2/vpc:Vpc", "net-vpc"), "cidrBlock"))
			require.Len(t, res.Find(subnetT), 9)
			for tier, cidrs := range tc.want {
				for i, az := range tokyoAZs {
					s := get(t, res, subnetT, fmt.Sprintf("net-%s-%s", tier, az))
					assert.Equal(t, cidrs[i], str(s, "cidrBlock"), "%s subnet in %s", tier, az)
					assert.Equal(t, az, str(s, "availabilityZone"))
					assert.Equal(t, "net-vpc-id", str(s, "vpcId"))
				}
			}
			vpc := netip.MustParsePrefix(tc.cidr)
			subnets := res.Find(subnetT)
			for i, a := range subnets {
				pa := netip.MustParsePrefix(str(a, "cidrBlock"))
				assert.True(t, vpc.Contains(pa.Addr()) && pa.Bits() > vpc.Bits(), "%s outside the VPC", a.Name)
				for _, b := range subnets[i+1:] {
					assert.False(t, pa.Overlaps(netip.MustParsePrefix(str(b, "cidrBlock"))), "%s overlaps %s", a.Name, b.Name)
				}
			}
		})
	}
}

func TestPublicSubnetsDoNotMapPublicIPs(t *testing.T) {
	res := run(t, validArgs())
	for _, s := range res.Find(subnetT) {
		v := s.Inputs["mapPublicIpOnLaunch"]
		assert.True(t, v.IsBool() && !v.BoolValue(), "%s maps public IPs on launch", s.Name)
	}
}

func TestIsolatedRouteTablesHaveNoInternetRoute(t *testing.T) {
	res := run(t, validArgs())
	isolatedRT := "net-isolated-rt-id"
	for _, az := range tokyoAZs {
		assoc := get(t, res, "aws:ec2/routeTableAssociation:RouteTableAssociation", "net-isolated-"+az+"-rta")
		assert.Equal(t, isolatedRT, str(assoc, "routeTableId"))
		assert.Equal(t, "net-isolated-"+az+"-id", str(assoc, "subnetId"))
	}
	rt := get(t, res, "aws:ec2/routeTable:RouteTable", "net-isolated-rt")
	assert.Empty(t, rt.Inputs["routes"].V, "isolated route table has inline routes")

	routes := res.Find(routeT)
	require.Len(t, routes, 4, "one public and three private default routes")
	for _, r := range routes {
		assert.NotEqual(t, isolatedRT, str(r, "routeTableId"), "route %s goes out of the isolated tier", r.Name)
	}
	// The other tiers do reach out, so the check above is not vacuous.
	assert.Equal(t, "net-igw-id", str(get(t, res, routeT, "net-public-default"), "gatewayId"))
}

func TestNatGatewayCountFollowsProfile(t *testing.T) {
	cases := []struct {
		name      string
		singleNat bool
		nats      int
		routeTo   [3]string // NAT each private AZ routes through
	}{
		{"dev single NAT", true, 1, [3]string{"net-nat-ap-northeast-1a-id", "net-nat-ap-northeast-1a-id", "net-nat-ap-northeast-1a-id"}},
		{"production NAT per AZ", false, 3, [3]string{"net-nat-ap-northeast-1a-id", "net-nat-ap-northeast-1c-id", "net-nat-ap-northeast-1d-id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs()
			args.SingleNat = tc.singleNat
			res := run(t, args)
			nats := res.Find(natT)
			assert.Len(t, nats, tc.nats)
			assert.Len(t, res.Find("aws:ec2/eip:Eip"), tc.nats)
			for _, n := range nats {
				assert.Contains(t, str(n, "subnetId"), "net-public-", "%s is not in a public subnet", n.Name)
			}
			for i, az := range tokyoAZs {
				r := get(t, res, routeT, "net-private-default-"+az)
				assert.Equal(t, "0.0.0.0/0", str(r, "destinationCidrBlock"))
				assert.Equal(t, tc.routeTo[i], str(r, "natGatewayId"), "private route in %s", az)
				assert.Equal(t, "net-private-rt-"+az+"-id", str(r, "routeTableId"))
			}
		})
	}
}

func TestFlowLogsCaptureAllTrafficToEncryptedGroup(t *testing.T) {
	res := run(t, validArgs())
	fl := get(t, res, "aws:ec2/flowLog:FlowLog", "net-flow-log")
	assert.Equal(t, "ALL", str(fl, "trafficType"))
	assert.Equal(t, "net-vpc-id", str(fl, "vpcId"))
	groupArn := "arn:aws:mock:ap-northeast-1:123456789012:net-flow-logs"
	assert.Equal(t, groupArn, str(fl, "logDestination"))

	lg := get(t, res, "aws:cloudwatch/logGroup:LogGroup", "net-flow-logs")
	assert.Equal(t, kmsArn, str(lg, "kmsKeyId"))
	assert.Equal(t, 90.0, lg.Inputs["retentionInDays"].NumberValue())

	var doc struct{ Statement []struct{ Resource []string } }
	pol := get(t, res, "aws:iam/rolePolicy:RolePolicy", "net-flow-logs")
	require.NoError(t, json.Unmarshal([]byte(str(pol, "policy")), &doc))
	for _, s := range doc.Statement {
		assert.ElementsMatch(t, []string{groupArn, groupArn + ":*"}, s.Resource, "flow-log role reaches beyond its log group")
	}
}

func TestChildrenAreParentedToTheComponent(t *testing.T) {
	res := run(t, validArgs())
	get(t, res, "agm-dr:network:Network", "net")
	for _, r := range res.Resources {
		if r.Custom {
			assert.Equal(t, "urn:pulumi:tokyo::agm-dr::agm-dr:network:Network::net", r.Parent, "%s %s", r.Type, r.Name)
		}
	}
}

func TestBadArgsGiveError(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(a *network.Args) *network.Args
		want   string
	}{
		{"nil args", func(*network.Args) *network.Args { return nil }, "args are required"},
		{"not a CIDR", func(a *network.Args) *network.Args { a.Cidr = "10.10.0.0"; return a }, "Cidr"},
		{"host bits set", func(a *network.Args) *network.Args { a.Cidr = "10.10.1.0/16"; return a }, "host bits"},
		{"too large", func(a *network.Args) *network.Args { a.Cidr = "10.0.0.0/8"; return a }, "/16 to /23"},
		{"too small", func(a *network.Args) *network.Args { a.Cidr = "10.10.0.0/24"; return a }, "/16 to /23"},
		{"IPv6", func(a *network.Args) *network.Args { a.Cidr = "fd00::/56"; return a }, "not IPv4"},
		{"two AZs", func(a *network.Args) *network.Args { a.AZs = tokyoAZs[:2]; return a }, "exactly 3"},
		{"four AZs", func(a *network.Args) *network.Args {
			a.AZs = append([]string{"ap-northeast-1b"}, tokyoAZs...)
			return a
		}, "exactly 3"},
		{"duplicate AZ", func(a *network.Args) *network.Args {
			a.AZs = []string{"ap-northeast-1a", "ap-northeast-1a", "ap-northeast-1c"}
			return a
		}, "twice"},
		{"AZs of two regions", func(a *network.Args) *network.Args {
			a.AZs = []string{"ap-northeast-1a", "ap-northeast-3b", "ap-northeast-1c"}
			return a
		}, "one region"},
		{"not an AZ", func(a *network.Args) *network.Args { a.AZs = []string{"a", "b", "c"}; return a }, "availability zone"},
		{"no KMS key", func(a *network.Args) *network.Args { a.KmsKeyArn = nil; return a }, "KmsKeyArn"},
		{"bad retention", func(a *network.Args) *network.Args { a.LogRetentionDays = 0; return a }, "LogRetentionDays"},
		{"peer overlaps", func(a *network.Args) *network.Args {
			a.Peer = &network.Peer{Region: "ap-northeast-3", Cidr: "10.10.128.0/17"}
			return a
		}, "overlaps"},
		{"peer not a CIDR", func(a *network.Args) *network.Args {
			a.Peer = &network.Peer{Region: "ap-northeast-3", Cidr: "10.20.0.0"}
			return a
		}, "Peer: Cidr"},
		{"peer in this region", func(a *network.Args) *network.Args {
			a.Peer = &network.Peer{Region: "ap-northeast-1", Cidr: "10.20.0.0/16"}
			return a
		}, "other region"},
		{"peer requests and accepts", func(a *network.Args) *network.Args {
			a.Peer = &network.Peer{Region: "ap-northeast-3", Cidr: "10.20.0.0/16", VpcID: "vpc-1", PeeringID: "pcx-1"}
			return a
		}, "not both"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := capture.Run(func(ctx *pulumi.Context) error {
				_, err := network.New(ctx, "net", tc.mutate(validArgs()))
				return err
			}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestPeeringSides: the requesting side creates the connection, the accepting side accepts the
// one the peer requested, and either routes the peer's CIDR (only it) from the private and the
// isolated route tables through it; before the other side exists there is no connection and no
// route, but the tasks' egress to the peer's data-store ports is already there.
func TestPeeringSides(t *testing.T) {
	const peerCidr = "10.20.0.0/16"
	const (
		pcxT = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
		accT = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"
	)
	cases := []struct {
		name            string
		peer            network.Peer
		pcx, acc, route int
		via             string
	}{
		{"peer not deployed yet", network.Peer{}, 0, 0, 0, ""},
		{"requester", network.Peer{VpcID: "vpc-0peer"}, 1, 0, 4, "net-peering-id"},
		{"accepter", network.Peer{PeeringID: "pcx-0peer"}, 0, 1, 4, "net-peering-accepter-id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := validArgs()
			p := tc.peer
			p.Region, p.Cidr = "ap-northeast-3", peerCidr
			a.Peer = &p
			res := run(t, a)
			require.Len(t, res.Find(pcxT), tc.pcx)
			require.Len(t, res.Find(accT), tc.acc)
			if tc.pcx == 1 {
				r := res.Find(pcxT)[0]
				assert.Equal(t, "vpc-0peer", str(r, "peerVpcId"))
				assert.Equal(t, "ap-northeast-3", str(r, "peerRegion"))
			}
			if tc.acc == 1 {
				r := res.Find(accT)[0]
				assert.Equal(t, "pcx-0peer", str(r, "vpcPeeringConnectionId"))
				assert.True(t, r.Inputs["autoAccept"].BoolValue())
			}
			tables := map[string]bool{}
			for _, r := range res.Find(routeT) {
				if str(r, "vpcPeeringConnectionId") == "" {
					continue
				}
				assert.Equal(t, peerCidr, str(r, "destinationCidrBlock"), "route %s: only the peer's CIDR goes across", r.Name)
				assert.Equal(t, tc.via, str(r, "vpcPeeringConnectionId"))
				tables[str(r, "routeTableId")] = true
			}
			assert.Len(t, tables, tc.route, "the three private route tables and the isolated one")
			if tc.route > 0 {
				assert.True(t, tables["net-isolated-rt-id"], "the data stores answer the peer's tasks")
			}
			ports := map[float64]bool{}
			for _, r := range res.Find("aws:ec2/securityGroupRule:SecurityGroupRule") {
				if str(r, "type") == "egress" && slices.Equal(strs(r, "cidrBlocks"), []string{peerCidr}) {
					ports[r.Inputs["fromPort"].NumberValue()] = true
				}
			}
			assert.Equal(t, map[float64]bool{5432: true, 6379: true}, ports)
		})
	}
}
