package cache

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newReplicationGroup creates this region's group: the primary member at home, a secondary
// attached to the global datastore in the peer.
//
// Settings by role (AWS CreateReplicationGroup with GlobalReplicationGroupId, and the
// provider's ConflictsWith on globalReplicationGroupId):
//   - home only: engine, engineVersion, nodeType, atRestEncryptionEnabled,
//     transitEncryptionEnabled. A secondary inherits them from the datastore; the provider
//     refuses them next to globalReplicationGroupId, so the peer's encryption is guaranteed by
//     the home group's settings, which the datastore enforces on every member.
//   - both: numCacheClusters, Multi-AZ and automatic failover (AWS copies the primary's
//     settings onto a secondary; we state the same values), kmsKeyId (this region's own key),
//     authToken, snapshots, subnet group, security group.
//
// authToken: AUTH tokens are held per replication group and are not part of what a secondary
// inherits, and the provider accepts authToken on a secondary. Both members get the same
// token, so the one secret (replicated to the peer region) authenticates against whichever
// region is primary after a failover. This is the documented choice; it was not verified
// against a live AWS account.
func newReplicationGroup(ctx *pulumi.Context, name string, a *Args, globalID, subnets, sgID pulumi.StringOutput, parent pulumi.Resource) (*elasticache.ReplicationGroup, error) {
	ra := &elasticache.ReplicationGroupArgs{
		ReplicationGroupId:       pulumi.String(a.ReplicationGroupID),
		Description:              pulumi.String("Sessions (" + a.ReplicationGroupID + ")"),
		NumCacheClusters:         pulumi.Int(a.Replicas),
		Port:                     pulumi.Int(Port),
		AutomaticFailoverEnabled: pulumi.Bool(true),
		MultiAzEnabled:           pulumi.Bool(true),
		KmsKeyId:                 a.KmsKeyArn.ToStringOutput().ToStringPtrOutput(),
		AuthToken:                pulumi.ToSecret(a.AuthToken).(pulumi.StringOutput).ToStringPtrOutput(),
		// ROTATE keeps the old token valid while clients move to a new one.
		AuthTokenUpdateStrategy: pulumi.String("ROTATE"),
		SnapshotRetentionLimit:  pulumi.Int(SnapshotRetentionDays),
		FinalSnapshotIdentifier: pulumi.String(a.ReplicationGroupID + "-final"),
		SubnetGroupName:         subnets.ToStringPtrOutput(),
		SecurityGroupIds:        pulumi.StringArray{sgID},
	}
	// globalReplicationGroupId forces replacement: never let a drift or a re-read id reach a plan.
	ignores := []string{"globalReplicationGroupId"}
	if a.IsHome {
		ra.Engine = pulumi.String(a.Engine)
		ra.EngineVersion = pulumi.String(a.EngineVersion)
		ra.NodeType = pulumi.String(a.NodeType)
		ra.AtRestEncryptionEnabled = pulumi.Bool(true)
		ra.TransitEncryptionEnabled = pulumi.Bool(true)
		// Once the group is in the datastore, the datastore owns the engine version.
		ignores = append(ignores, "engineVersion")
	} else {
		ra.GlobalReplicationGroupId = globalID.ToStringPtrOutput()
	}
	return elasticache.NewReplicationGroup(ctx, name+"-group", ra, dataGuards(parent, ignores...)...)
}
