package adopt

import (
	"fmt"
	"strings"

	agmconfig "github.com/agm-dr/agm-dr/config"
)

// Step is one step of the adoption as shown before it runs: what is called, what shareholders
// would notice (with the AWS source), and whether drctl runs it.
type Step struct {
	Name   string
	Action string
	Impact string
	Source string
	ByHand bool // the operator runs it (see docs/adopt.md); drctl does not yet
}

// Steps is the adoption of e into the two-stack design, in order.
func Steps(e Existing, t Target) []Step {
	return []Step{
		{
			Name:   "check",
			Action: "Describe* calls on the VPC, cluster, replication group, service, queues and buckets; the peer region's engine and class catalogue",
			Impact: "none: read-only",
			Source: "drctl adopt --check",
		},
		{
			Name:   "global cluster",
			Action: fmt.Sprintf("CreateGlobalCluster %s with SourceDBClusterIdentifier = %s", t.GlobalClusterID, e.ClusterID),
			Impact: "none expected: the cluster becomes the primary of the new global database and keeps its writer, endpoints and data; AWS documents no restart for it (rehearse it in the dev profile and measure)",
			Source: "RDS API reference, CreateGlobalCluster: \"you can specify an existing Aurora cluster during the create operation, and this cluster becomes the primary cluster of the global database\"",
		},
		{
			Name:   "global datastore",
			Action: fmt.Sprintf("CreateGlobalReplicationGroup *-%s with PrimaryReplicationGroupId = %s", t.CacheGlobalSuffix, e.ReplicationGroup),
			Impact: "none expected: the group becomes the primary of the new datastore and keeps serving reads and writes at its endpoints (rehearse and measure)",
			Source: "ElastiCache User Guide, \"Using global datastores (console)\": create the primary \"either by using an existing cluster or creating a new cluster\"; API CreateGlobalReplicationGroup",
		},
		{
			Name:   "bucket versioning",
			Action: "PutBucketVersioning Enabled on " + strings.Join(e.Buckets, ", "),
			Impact: "reads unaffected; for about 15 minutes after versioning is first enabled, objects written meanwhile may return intermittent 404 NoSuchKey: run it outside a broadcast's publishing window",
			Source: "S3 API reference, PutBucketVersioning: \"We recommend that you wait for 15 minutes after enabling versioning before issuing write operations (PUT or DELETE)\"",
		},
		{
			Name:   "import into " + agmconfig.StackFor(t.HomeRegion),
			Action: "write agm-dr:adopted into Pulumi." + agmconfig.StackFor(t.HomeRegion) + ".yaml; preview (refused on a replace or delete of a data resource); pulumi up: the existing resources imported (the import resource option), then updated in place",
			Impact: "the imports change nothing; the in-place updates after them do: the ECS service rolls to the program's task definition (a rolling deployment at 100% minimum healthy, keeping its own target groups and security groups); the cluster and group get the program's security group beside their own; the queues move to the program's KMS key after the running tasks' role is granted its use through SQS, so tasks still on the old task definition keep sending votes; see docs/adopt.md",
			Source: "Pulumi docs, \"Importing resources\": an import adopts the resource into state without changing it; ECS Developer Guide, \"Rolling update\" deployments",
		},
		{
			Name:   "osaka bring-up",
			Action: "pulumi up -s osaka: secondary cluster, secondary group, buckets, the rest of the region",
			Impact: "none expected: the secondaries copy the data by storage-level and datastore replication while the primaries keep serving",
			Source: "Aurora User Guide, \"Adding an AWS Region to an Amazon Aurora global database\"; ElastiCache User Guide, \"Adding a Region to a global datastore\"",
			ByHand: true,
		},
		{
			Name:   "tokyo second up",
			Action: "pulumi up -s tokyo: bucket replication to Osaka, switchover resources, alarms",
			Impact: "none: in-place additions",
			Source: "S3 User Guide, \"Replicating objects\": replication applies to objects written after the rule is added",
			ByHand: true,
		},
	}
}
