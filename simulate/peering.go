package simulate

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// The world lets a region's tasks write to the other region's data stores only where the
// captured programs build the whole path, so deleting any piece of it from the program shows
// up as failed writes:
//
//   - one VPC peering connection, requested by one stack towards the other stack's VPC and
//     region, and accepted by the other stack (a cross-region request cannot accept itself);
//   - the tasks' security group lets them out to the peer's CIDR on the port;
//   - every route table of the tasks' subnets routes the peer's CIDR through the connection,
//     and every route table of the peer data store's subnets routes the answer back;
//   - the peer data store's security group admits this region's task subnets on the port;
//   - for sessions, the tasks know the peer's cache (CACHE_PEER_ENDPOINT is the peer stack's
//     cacheEndpoint); votes use the Aurora global writer endpoint (DB_WRITER_ENDPOINT), which
//     names the writer wherever it is.
//
// Sources: VPC peering routing and security groups,
// docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html and
// …/peering/vpc-peering-security-groups.html; the Global Datastore's secondary only reads,
// docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html.

const (
	typePeering   = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
	typeAccepter  = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"
	typeRoute     = "aws:ec2/route:Route"
	typeRTAssoc   = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	typeSG        = "aws:ec2/securityGroup:SecurityGroup"
	typeSGRule    = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeService   = "aws:ecs/service:Service"
	typeTaskDef   = "aws:ecs/taskDefinition:TaskDefinition"
	typeCacheRG   = "aws:elasticache/replicationGroup:ReplicationGroup"
	typeCacheNets = "aws:elasticache/subnetGroup:SubnetGroup"
	typeDBCluster = "aws:rds/cluster:Cluster"
	typeDBNets    = "aws:rds/subnetGroup:SubnetGroup"

	portCache = 6379
	portDB    = 5432
)

// paths is what each region's tasks can reach in the other region.
type paths struct {
	cache   map[string]bool // region → its tasks can write to the other region's cache
	db      map[string]bool // region → its tasks reach an Aurora writer in the other region
	missing []string        // what is missing, for the timeline and tests
}

// peeredPaths derives the paths from both stacks' captured programs.
func peeredPaths(cfg config.Config, caps map[string]*capture.Result) paths {
	p := paths{cache: map[string]bool{}, db: map[string]bool{}}
	conn, err := connection(caps)
	if err != nil {
		p.missing = append(p.missing, err.Error())
		return p
	}
	for _, stack := range config.Stacks() {
		from, to := caps[stack], caps[config.StackFor(config.Peer(config.RegionFor(stack)))]
		region := config.RegionFor(stack)
		peer := config.Peer(region)
		if from == nil || to == nil {
			p.missing = append(p.missing, "a stack's program was not captured")
			continue
		}
		base := hops{from: from, to: to, fromCidr: cfg.VpcCidrs[region], toCidr: cfg.VpcCidrs[peer], conn: conn}
		var gaps []string
		if gaps = base.reach(portCache, typeCacheRG, "securityGroupIds", typeCacheNets, "subnetGroupName"); len(gaps) == 0 {
			want := str(to.Outputs[runbook.OutCacheEndpoint])
			if got := env(from)["CACHE_PEER_ENDPOINT"]; want == "" || got != want {
				gaps = append(gaps, fmt.Sprintf("tasks have CACHE_PEER_ENDPOINT %q, the peer's cacheEndpoint is %q", got, want))
			}
		}
		p.cache[region] = len(gaps) == 0
		for _, g := range gaps {
			p.missing = append(p.missing, fmt.Sprintf("%s → %s sessions: %s", region, peer, g))
		}
		gaps = base.reach(portDB, typeDBCluster, "vpcSecurityGroupIds", typeDBNets, "dbSubnetGroupName")
		if env(from)["DB_WRITER_ENDPOINT"] == "" {
			gaps = append(gaps, "tasks have no DB_WRITER_ENDPOINT")
		}
		p.db[region] = len(gaps) == 0
		for _, g := range gaps {
			p.missing = append(p.missing, fmt.Sprintf("%s → %s votes: %s", region, peer, g))
		}
	}
	return p
}

// connection finds the one peering connection: requested in one stack towards the other's VPC
// and region, accepted in the other. It returns, per stack, the ids its routes may name (an
// accepter's id is the connection's id).
func connection(caps map[string]*capture.Result) (map[*capture.Result][]string, error) {
	var reqs []string
	for _, s := range config.Stacks() {
		if c := caps[s]; c != nil && len(c.Find(typePeering)) > 0 {
			reqs = append(reqs, s)
		}
	}
	if len(reqs) != 1 {
		return nil, fmt.Errorf("no VPC peering: %d stack(s) request a connection, one must", len(reqs))
	}
	req := caps[reqs[0]]
	accStack := config.StackFor(config.Peer(config.RegionFor(reqs[0])))
	acc := caps[accStack]
	pcx := req.Find(typePeering)[0]
	if acc == nil {
		return nil, fmt.Errorf("no VPC peering: stack %s was not captured", accStack)
	}
	if got, want := strIn(pcx, "peerVpcId"), str(acc.Outputs[runbook.OutVpcID]); got == "" || got != want {
		return nil, fmt.Errorf("no VPC peering: %s requests peerVpcId %q, stack %s's VPC is %q", reqs[0], got, accStack, want)
	}
	if got := strIn(pcx, "peerRegion"); got != config.RegionFor(accStack) {
		return nil, fmt.Errorf("no VPC peering: %s requests peerRegion %q, not %s", reqs[0], got, config.RegionFor(accStack))
	}
	id := capture.ID(pcx)
	ids := map[*capture.Result][]string{req: {id}}
	for _, a := range acc.Find(typeAccepter) {
		if strIn(a, "vpcPeeringConnectionId") == id && a.Inputs["autoAccept"].IsBool() && a.Inputs["autoAccept"].BoolValue() {
			ids[acc] = []string{id, capture.ID(a)}
		}
	}
	if ids[acc] == nil {
		return nil, fmt.Errorf("no VPC peering: stack %s does not accept connection %s (pending-acceptance)", accStack, id)
	}
	return ids, nil
}

// hops checks one direction: from's tasks to a data store of to.
type hops struct {
	from, to         *capture.Result
	fromCidr, toCidr string
	conn             map[*capture.Result][]string
}

// reach lists what is missing for from's tasks to open port on to's data store of type store.
func (h hops) reach(port int, store, sgKey, netsType, netsKey string) []string {
	var gaps []string
	svcs := h.from.Find(typeService)
	if len(svcs) == 0 {
		return []string{"no ECS service"}
	}
	netCfg := svcs[0].Inputs["networkConfiguration"]
	if !netCfg.IsObject() {
		return []string{"the ECS service has no network configuration"}
	}
	taskSGs, taskNets := strs(netCfg.ObjectValue()["securityGroups"]), strs(netCfg.ObjectValue()["subnets"])
	if !egress(h.from, taskSGs, h.toCidr, port) {
		gaps = append(gaps, fmt.Sprintf("the tasks' security group does not allow egress to %s on %d", h.toCidr, port))
	}
	gaps = append(gaps, routed(h.from, taskNets, h.toCidr, h.conn[h.from], "the tasks' subnets")...)
	stores := h.to.Find(store)
	if len(stores) == 0 {
		return append(gaps, "no "+store+" in the peer")
	}
	ds := stores[0]
	for _, cidr := range subnetCidrs(h.from, taskNets, h.fromCidr) {
		if !ingress(h.to, strs(ds.Inputs[resource.PropertyKey(sgKey)]), cidr, port) {
			gaps = append(gaps, fmt.Sprintf("the peer's %s security group does not admit %s (the tasks' subnet) on %d", ds.Name, cidr, port))
		}
	}
	var dsNets []string
	for _, n := range h.to.Find(netsType) {
		if strIn(n, "name") == strIn(ds, netsKey) {
			dsNets = strs(n.Inputs["subnetIds"])
		}
	}
	if len(dsNets) == 0 {
		gaps = append(gaps, "the peer's "+ds.Name+" has no subnets")
	}
	return append(gaps, routed(h.to, dsNets, h.fromCidr, h.conn[h.to], "the peer's "+ds.Name+" subnets")...)
}

// routed lists the route tables of subnets that do not send cidr through the connection.
func routed(c *capture.Result, subnets []string, cidr string, conn []string, what string) []string {
	tables := map[string]bool{}
	for _, a := range c.Find(typeRTAssoc) {
		if slices.Contains(subnets, strIn(a, "subnetId")) {
			tables[strIn(a, "routeTableId")] = true
		}
	}
	if len(tables) == 0 {
		return []string{what + " have no route table"}
	}
	for _, r := range c.Find(typeRoute) {
		if strIn(r, "destinationCidrBlock") == cidr && slices.Contains(conn, strIn(r, "vpcPeeringConnectionId")) {
			delete(tables, strIn(r, "routeTableId"))
		}
	}
	var out []string
	for _, t := range sortedKeys(tables) {
		out = append(out, fmt.Sprintf("route table %s (%s) has no route to %s through the peering", t, what, cidr))
	}
	return out
}

// egress: a rule (or inline egress) of one of sgs lets traffic out to cidr on port.
func egress(c *capture.Result, sgs []string, cidr string, port int) bool {
	return rule(c, sgs, "egress", cidr, port)
}

// ingress: a rule (or inline ingress) of one of sgs admits cidr on port.
func ingress(c *capture.Result, sgs []string, cidr string, port int) bool {
	return rule(c, sgs, "ingress", cidr, port)
}

func rule(c *capture.Result, sgs []string, dir, cidr string, port int) bool {
	covers := func(m resource.PropertyMap) bool {
		from, to := m["fromPort"], m["toPort"]
		return from.IsNumber() && to.IsNumber() && int(from.NumberValue()) <= port && port <= int(to.NumberValue()) &&
			slices.ContainsFunc(strs(m["cidrBlocks"]), func(block string) bool { return within(cidr, block) })
	}
	for _, r := range c.Find(typeSGRule) {
		if strIn(r, "type") == dir && slices.Contains(sgs, strIn(r, "securityGroupId")) && covers(r.Inputs) {
			return true
		}
	}
	for _, sg := range c.Find(typeSG) {
		if !slices.Contains(sgs, capture.ID(sg)) || !sg.Inputs[resource.PropertyKey(dir)].IsArray() {
			continue
		}
		for _, x := range sg.Inputs[resource.PropertyKey(dir)].ArrayValue() {
			if x.IsObject() && covers(x.ObjectValue()) {
				return true
			}
		}
	}
	return false
}

// within: every address of cidr is in block (both CIDRs; a bad one is never within).
func within(cidr, block string) bool {
	c, err1 := netip.ParsePrefix(cidr)
	b, err2 := netip.ParsePrefix(block)
	return err1 == nil && err2 == nil && b.Bits() <= c.Bits() && b.Contains(c.Addr())
}

// subnetCidrs are the CIDR blocks of the subnets ids names in c (the tasks' subnets): what the
// peer's data stores must admit. Without subnet resources in c: the whole VPC, fallback.
func subnetCidrs(c *capture.Result, ids []string, fallback string) []string {
	var out []string
	for _, sn := range c.Find("aws:ec2/subnet:Subnet") {
		if slices.Contains(ids, capture.ID(sn)) {
			out = append(out, strIn(sn, "cidrBlock"))
		}
	}
	if len(out) == 0 {
		return []string{fallback}
	}
	return out
}

// env is the app container's environment.
func env(c *capture.Result) map[string]string {
	out := map[string]string{}
	for _, td := range c.Find(typeTaskDef) {
		var defs []struct {
			Environment []struct{ Name, Value string } `json:"environment"`
		}
		if json.Unmarshal([]byte(strIn(td, "containerDefinitions")), &defs) != nil || len(defs) == 0 {
			continue
		}
		for _, e := range defs[0].Environment {
			out[e.Name] = e.Value
		}
	}
	return out
}

func strs(v resource.PropertyValue) []string {
	if !v.IsArray() {
		return nil
	}
	var out []string
	for _, x := range v.ArrayValue() {
		if x.IsString() {
			out = append(out, x.StringValue())
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
