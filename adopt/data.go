package adopt

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/blang/semver"

	agmconfig "github.com/agm-dr/agm-dr/config"
)

// Engine is the Aurora engine the program runs.
const Engine = "aurora-postgresql"

func describeCluster(ctx context.Context, c Clients, id, region string) (rdstypes.DBCluster, error) {
	out, err := c.RDS.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(id)})
	if notFound(err) || (err == nil && len(out.DBClusters) == 0) {
		return rdstypes.DBCluster{}, inputErrorf("aurora cluster %s does not exist in %s", id, region)
	}
	if err != nil {
		return rdstypes.DBCluster{}, fmt.Errorf("aurora cluster %s: %w", id, err)
	}
	return out.DBClusters[0], nil
}

// otherGlobal refuses a cluster that is already a member of a global cluster other than the
// program's: AWS allows a cluster in one global cluster only (CreateGlobalCluster,
// SourceDBClusterIdentifier), so adopting it would mean detaching it from the other one.
func otherGlobal(id, global string, t Target) error {
	if global == "" || global == t.GlobalClusterID {
		return nil
	}
	return inputErrorf("aurora cluster %s is already a member of global cluster %s; adopt makes it the primary of %s and will not take it from another global cluster (remove it there first, or set agm-dr:namePrefix so the program's global cluster is %s)",
		id, global, t.GlobalClusterID, global)
}

func checkCluster(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	cl, err := describeCluster(ctx, c, e.ClusterID, t.HomeRegion)
	if err != nil {
		return err
	}
	name := "aurora cluster " + e.ClusterID
	if err := otherGlobal(e.ClusterID, aws.ToString(cl.GlobalClusterIdentifier), t); err != nil {
		return err
	}
	engine, version := aws.ToString(cl.Engine), aws.ToString(cl.EngineVersion)
	r.fact("%s: %s %s, encrypted %t, global cluster %q", name, engine, version, aws.ToBool(cl.StorageEncrypted), aws.ToString(cl.GlobalClusterIdentifier))
	if engine != Engine {
		r.block(name, fmt.Sprintf("engine %s: the program runs %s", engine, Engine),
			"migrate to Aurora PostgreSQL first", "components/database: the program's engine")
		return nil // the version and class checks below are for aurora-postgresql
	}
	if !aws.ToBool(cl.StorageEncrypted) {
		r.block(name, "storage is not encrypted at rest, and encryption cannot be turned on for an existing cluster",
			"restore a snapshot into a new encrypted cluster (a planned cutover with a write pause), then adopt that cluster",
			"Aurora User Guide, \"Limitations of Amazon Aurora encrypted DB clusters\": you can't convert an unencrypted DB cluster to an encrypted one")
	}
	if err := checkEngineVersion(ctx, c, name, version, t, r); err != nil {
		return err
	}
	return checkClasses(ctx, c, e.ClusterID, version, t, r)
}

// checkEngineVersion asks the peer region whether it offers the version and whether the version
// supports global databases (DescribeDBEngineVersions, SupportsGlobalDatabases).
func checkEngineVersion(ctx context.Context, c Clients, name, version string, t Target, r *Report) error {
	out, err := c.PeerRDS.DescribeDBEngineVersions(ctx, &rds.DescribeDBEngineVersionsInput{
		Engine: aws.String(Engine), EngineVersion: aws.String(version)})
	if err != nil {
		return fmt.Errorf("%s: engine versions in %s: %w", name, t.PeerRegion, err)
	}
	const src = "Aurora User Guide, \"Supported Regions and DB engines for Aurora global databases\"; RDS API DescribeDBEngineVersions (SupportsGlobalDatabases), asked in %s"
	switch {
	case len(out.DBEngineVersions) == 0:
		r.block(name, fmt.Sprintf("%s %s is not offered in %s, so no secondary cluster can join there", Engine, version, t.PeerRegion),
			"upgrade the cluster (in place, in a maintenance window) to a version offered in both regions", fmt.Sprintf(src, t.PeerRegion))
	case !aws.ToBool(out.DBEngineVersions[0].SupportsGlobalDatabases):
		r.block(name, fmt.Sprintf("%s %s does not support global databases", Engine, version),
			"upgrade the cluster to a version that supports global databases", fmt.Sprintf(src, t.PeerRegion))
	}
	return nil
}

// checkClasses compares the writer and readers' classes with agm-dr:classes and asks the peer
// region whether it offers them (DescribeOrderableDBInstanceOptions, the check AWS documents).
func checkClasses(ctx context.Context, c Clients, id, version string, t Target, r *Report) error {
	name := "aurora cluster " + id
	out, err := c.RDS.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{
		Filters: []rdstypes.Filter{{Name: aws.String("db-cluster-id"), Values: []string{id}}}})
	if err != nil {
		return fmt.Errorf("%s: instances: %w", name, err)
	}
	classes := []string{t.DBInstanceClass}
	for _, in := range out.DBInstances {
		class := aws.ToString(in.DBInstanceClass)
		r.fact("  instance %s: %s", aws.ToString(in.DBInstanceIdentifier), class)
		if class != t.DBInstanceClass {
			r.block("aurora instance "+aws.ToString(in.DBInstanceIdentifier),
				fmt.Sprintf("class %s differs from agm-dr:classes %s: importing it would change the class, which restarts the instance", class, t.DBInstanceClass),
				fmt.Sprintf("set agm-dr:classes.<profile>.dbInstanceClass to %s (if the program accepts it) or change the class in a maintenance window first", class),
				"Aurora User Guide, \"Modifying a DB instance in a DB cluster\": a DB instance class change causes an outage")
		}
		if !slices.Contains(classes, class) {
			classes = append(classes, class)
		}
	}
	for _, class := range classes {
		if class == agmconfig.ServerlessDBClass {
			continue // Serverless v2 has no orderable class per region in the same sense
		}
		o, err := c.PeerRDS.DescribeOrderableDBInstanceOptions(ctx, &rds.DescribeOrderableDBInstanceOptionsInput{
			Engine: aws.String(Engine), EngineVersion: aws.String(version), DBInstanceClass: aws.String(class)})
		if err != nil {
			return fmt.Errorf("%s: orderable classes in %s: %w", name, t.PeerRegion, err)
		}
		if len(o.OrderableDBInstanceOptions) == 0 {
			r.block(name, fmt.Sprintf("instance class %s is not offered in %s", class, t.PeerRegion),
				"choose a class offered in both regions for agm-dr:classes and change the cluster to it",
				fmt.Sprintf("Aurora User Guide, \"Determining DB instance class support in AWS Regions\": describe-orderable-db-instance-options, asked in %s", t.PeerRegion))
		}
	}
	return nil
}

// Minimum engine versions of a global datastore member (ElastiCache User Guide, "Replication
// across AWS Regions using global datastores", prerequisites: Valkey 7.2 or later, Redis OSS
// 5.0.6 or later).
var minCacheVersion = map[string]semver.Version{
	"valkey": semver.MustParse("7.2.0"),
	"redis":  semver.MustParse("5.0.6"),
}

func checkCache(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	name := "replication group " + e.ReplicationGroup
	out, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(e.ReplicationGroup)})
	if notFound(err) || (err == nil && len(out.ReplicationGroups) == 0) {
		return inputErrorf("%s does not exist in %s", name, t.HomeRegion)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	g := out.ReplicationGroups[0]
	if info := g.GlobalReplicationGroupInfo; info != nil && aws.ToString(info.GlobalReplicationGroupId) != "" {
		id := aws.ToString(info.GlobalReplicationGroupId)
		if !ourDatastore(id, t) || aws.ToString(info.GlobalReplicationGroupMemberRole) != "PRIMARY" {
			return inputErrorf("%s is already the %s member of global datastore %s; adopt makes it the primary of a datastore named *-%s and will not take it from another",
				name, strings.ToLower(aws.ToString(info.GlobalReplicationGroupMemberRole)), id, t.CacheGlobalSuffix)
		}
	}
	engine, version := aws.ToString(g.Engine), ""
	if len(g.MemberClusters) > 0 {
		cc, err := c.ElastiCache.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(g.MemberClusters[0])})
		if err != nil {
			return fmt.Errorf("%s: member %s: %w", name, g.MemberClusters[0], err)
		}
		if len(cc.CacheClusters) > 0 {
			version = aws.ToString(cc.CacheClusters[0].EngineVersion)
			if engine == "" {
				engine = aws.ToString(cc.CacheClusters[0].Engine)
			}
		}
	}
	node := aws.ToString(g.CacheNodeType)
	r.fact("%s: %s %s on %s, transit encryption %t, at-rest encryption %t", name, engine, version, node,
		aws.ToBool(g.TransitEncryptionEnabled), aws.ToBool(g.AtRestEncryptionEnabled))
	const gds = "ElastiCache User Guide, \"Replication across AWS Regions using global datastores\" (prerequisites and limitations)"
	if min, ok := minCacheVersion[engine]; !ok {
		r.block(name, fmt.Sprintf("engine %q: a global datastore needs valkey or redis", engine), "migrate to Valkey", gds)
	} else if v, err := semver.ParseTolerant(version); err != nil || v.LT(min) {
		r.block(name, fmt.Sprintf("%s %s: a global datastore needs %s %s or later", engine, version, engine, min),
			"upgrade the engine in place first (ModifyReplicationGroup EngineVersion, online with automatic failover)", gds)
	}
	switch {
	case !slices.Contains(agmconfig.CacheNodeTypes, node):
		r.block(name, fmt.Sprintf("node type %s is not one a global datastore accepts (or the program allows)", node),
			"scale the group online to an accepted type, e.g. "+t.CacheNodeType, gds+"; config/classes.go")
	case node != t.CacheNodeType:
		r.block(name, fmt.Sprintf("node type %s differs from agm-dr:classes %s: importing it would scale the group", node, t.CacheNodeType),
			fmt.Sprintf("set agm-dr:classes.<profile>.cacheNodeType to %s", node), "config/classes.go: both regions run the configured node type")
	}
	if !aws.ToBool(g.TransitEncryptionEnabled) {
		r.block(name, "transit encryption (TLS) is off; the program's groups and the Osaka secondary require it",
			"turn it on online first: ModifyReplicationGroup TransitEncryptionEnabled with TransitEncryptionMode preferred, clients move to TLS, then required",
			"ElastiCache User Guide, \"Enabling in-transit encryption on an existing cluster\"; "+gds)
	}
	if !aws.ToBool(g.AtRestEncryptionEnabled) {
		r.block(name, "encryption at rest is off, and it cannot be turned on for an existing group",
			"create an encrypted group from a backup and move clients to it, then adopt that group",
			"ElastiCache API reference, ReplicationGroup.AtRestEncryptionEnabled: cannot be modified after the replication group is created")
	}
	return nil
}

// ourDatastore reports whether a global datastore id is the program's: AWS prefixes the suffix
// with a per-region code (CreateGlobalReplicationGroup, GlobalReplicationGroupIdSuffix).
func ourDatastore(id string, t Target) bool {
	return strings.HasSuffix(id, "-"+t.CacheGlobalSuffix)
}
