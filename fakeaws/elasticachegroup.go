package fakeaws

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// cacheGroup is what a CreateReplicationGroup call set, as the ElastiCache fake keeps it: what a
// team set when it built the group by hand, and what the program's create passes through.
type cacheGroup struct {
	region, engine, version, nodeType, key, subnetGroup, description string
	securityGroups                                                   []string
	numClusters, port, snapshotRetention                             int
	transit, atRest, failover, multiAZ                               bool
}

// newCacheGroup reads a CreateReplicationGroup request, with AWS's defaults for what it leaves
// out (API_CreateReplicationGroup: Engine "the default is redis"; Port 6379 for Redis OSS and
// Valkey; NumCacheClusters one primary when no node groups are given; AutomaticFailoverEnabled
// and MultiAZEnabled false; SnapshotRetentionLimit 0).
func newCacheGroup(region string, f url.Values) *cacheGroup {
	g := &cacheGroup{region: region, engine: f.Get("Engine"), version: f.Get("EngineVersion"), nodeType: f.Get("CacheNodeType"),
		key: f.Get("KmsKeyId"), subnetGroup: f.Get("CacheSubnetGroupName"), description: f.Get("ReplicationGroupDescription"),
		numClusters: atoi(f.Get("NumCacheClusters"), 1), port: atoi(f.Get("Port"), 6379),
		snapshotRetention: atoi(f.Get("SnapshotRetentionLimit"), 0),
		transit:           f.Get("TransitEncryptionEnabled") == "true", atRest: f.Get("AtRestEncryptionEnabled") == "true",
		failover: f.Get("AutomaticFailoverEnabled") == "true", multiAZ: f.Get("MultiAZEnabled") == "true"}
	if g.engine == "" {
		g.engine = "redis"
	}
	// The SDK sends the list as SecurityGroupIds.SecurityGroupId.N (its locationName), the API
	// reference's examples as SecurityGroupIds.member.N: take either.
	for _, item := range []string{"SecurityGroupId", "member"} {
		for i := 1; f.Get(fmt.Sprintf("SecurityGroupIds.%s.%d", item, i)) != ""; i++ {
			g.securityGroups = append(g.securityGroups, f.Get(fmt.Sprintf("SecurityGroupIds.%s.%d", item, i)))
		}
	}
	return g
}

func atoi(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func enabled(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

// reported is what AWS reports for group id: a member of a global datastore reports the
// datastore's engine (AWS API_ReplicationGroup Engine; a secondary inherits it), and a
// secondary the primary's engine version and node type when it set none (it cannot: the
// provider refuses them next to globalReplicationGroupId). What AWS reports as KmsKeyId for a
// secondary is not documented: the fake reports the primary member's key there, a stand-in that
// differs from the secondary's own input, so a program that relies on the read-back of a
// secondary's key fails here rather than on AWS. info is the GlobalReplicationGroupInfo element.
func (e *ElastiCache) reported(id string) (g cacheGroup, info string) {
	g = *e.groups[id]
	for _, d := range e.global {
		if !contains(d.members, id) {
			continue
		}
		role := "SECONDARY"
		if d.primary == id {
			role = "PRIMARY"
		}
		g.engine = d.engine
		if p := e.groups[d.primary]; role == "SECONDARY" {
			g.key = p.key
			if g.version == "" {
				g.version = p.version
			}
			if g.nodeType == "" {
				g.nodeType = p.nodeType
			}
		}
		info = fmt.Sprintf("<GlobalReplicationGroupInfo><GlobalReplicationGroupId>%s</GlobalReplicationGroupId><GlobalReplicationGroupMemberRole>%s</GlobalReplicationGroupMemberRole></GlobalReplicationGroupInfo>",
			esc(d.id), role)
	}
	return g, info
}

// describeGroup reports a replication group as DescribeReplicationGroups does (API_ReplicationGroup):
// member clusters <id>-001…, one node group with its primary endpoint, the flags as AWS words them.
func (e *ElastiCache) describeGroup(id string) string {
	g, info := e.reported(id)
	var b strings.Builder
	fmt.Fprintf(&b, "<ReplicationGroup><ReplicationGroupId>%s</ReplicationGroupId><Description>%s</Description><Status>available</Status><Engine>%s</Engine>",
		esc(id), esc(g.description), esc(g.engine))
	b.WriteString("<MemberClusters>")
	for i := 1; i <= g.numClusters; i++ {
		fmt.Fprintf(&b, "<ClusterId>%s-%03d</ClusterId>", esc(id), i)
	}
	b.WriteString("</MemberClusters>")
	fmt.Fprintf(&b, "<NodeGroups><NodeGroup><NodeGroupId>0001</NodeGroupId><Status>available</Status><PrimaryEndpoint><Address>%s</Address><Port>%d</Port></PrimaryEndpoint></NodeGroup></NodeGroups>",
		esc(cacheEndpoint(id, g.region)), g.port)
	fmt.Fprintf(&b, "<AutomaticFailover>%s</AutomaticFailover><MultiAZ>%s</MultiAZ><SnapshotRetentionLimit>%d</SnapshotRetentionLimit>",
		enabled(g.failover), enabled(g.multiAZ), g.snapshotRetention)
	fmt.Fprintf(&b, "<TransitEncryptionEnabled>%t</TransitEncryptionEnabled><AtRestEncryptionEnabled>%t</AtRestEncryptionEnabled>", g.transit, g.atRest)
	fmt.Fprintf(&b, "<ARN>arn:aws:elasticache:%s:%s:replicationgroup:%s</ARN>", esc(g.region), Account, esc(id))
	if g.nodeType != "" {
		b.WriteString("<CacheNodeType>" + esc(g.nodeType) + "</CacheNodeType>")
	}
	if g.key != "" {
		b.WriteString("<KmsKeyId>" + esc(g.key) + "</KmsKeyId>")
	}
	return b.String() + info + "</ReplicationGroup>"
}

// cacheEndpoint is a replication group's primary endpoint address, in the format of the fake's
// computed outputs (computed.go).
func cacheEndpoint(id, region string) string {
	return fmt.Sprintf("master.%s.%s.%s.cache.amazonaws.com", id, short(id)[:6], short(region)[:4])
}

// describeCacheCluster reports a member cluster (<group>-NNN) as DescribeCacheClusters does
// (API_CacheCluster): the group's engine, version, node type, subnet group and security groups,
// which the provider reads from the first member (and adopt's checks read the version from).
func (e *ElastiCache) describeCacheCluster(member string) (string, bool) {
	i := strings.LastIndex(member, "-")
	if i < 0 {
		return "", false
	}
	id := member[:i]
	n, err := strconv.Atoi(member[i+1:])
	if _, ok := e.groups[id]; !ok || err != nil || n < 1 || n > e.groups[id].numClusters {
		return "", false
	}
	g, _ := e.reported(id)
	var b strings.Builder
	fmt.Fprintf(&b, "<CacheCluster><CacheClusterId>%s</CacheClusterId><CacheClusterStatus>available</CacheClusterStatus><NumCacheNodes>1</NumCacheNodes><ReplicationGroupId>%s</ReplicationGroupId><Engine>%s</Engine>",
		esc(member), esc(id), esc(g.engine))
	for k, v := range map[string]string{"EngineVersion": g.version, "CacheNodeType": g.nodeType, "CacheSubnetGroupName": g.subnetGroup} {
		if v != "" {
			fmt.Fprintf(&b, "<%s>%s</%s>", k, esc(v), k)
		}
	}
	fmt.Fprintf(&b, "<TransitEncryptionEnabled>%t</TransitEncryptionEnabled><AtRestEncryptionEnabled>%t</AtRestEncryptionEnabled>", g.transit, g.atRest)
	b.WriteString("<SecurityGroups>")
	for _, sg := range g.securityGroups {
		fmt.Fprintf(&b, "<member><SecurityGroupId>%s</SecurityGroupId><Status>active</Status></member>", esc(sg))
	}
	return b.String() + "</SecurityGroups></CacheCluster>", true
}
