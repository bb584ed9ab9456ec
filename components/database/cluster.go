package database

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/network"
)

const serverlessClass = "db.serverless"

// placement is where the cluster lives: its subnet group and security group; and what it is
// configured and watched with: its cluster parameter group and enhanced monitoring role.
type placement struct {
	subnetGroup       pulumi.StringOutput
	securityGroupID   pulumi.StringOutput
	parameterGroup    pulumi.StringOutput
	monitoringRoleArn pulumi.StringOutput // empty unless enhanced monitoring is on
}

func newPlacement(ctx *pulumi.Context, name string, a *Args, parent pulumi.Resource) (*placement, error) {
	subnetGroup, err := newSubnetGroup(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}
	// No egress rules: the cluster only answers. Ingress only from the app tasks' group.
	sg, err := network.NewClientOnlyGroup(ctx, name+"-sg", network.ClientOnlyGroupArgs{
		Name:            a.ClusterID + "-db",
		Description:     "Aurora " + a.ClusterID + ": PostgreSQL from app tasks only",
		RuleDescription: "PostgreSQL from app tasks",
		VpcID:           a.VpcID,
		Port:            Port,
		ClientGroupID:   a.ClientSecurityGroupID,
		PeerCidrs:       a.PeerCidrs,
	}, pulumi.Parent(parent))
	if err != nil {
		return nil, err
	}
	return &placement{subnetGroup: subnetGroup, securityGroupID: sg.ID().ToStringOutput()}, nil
}

// newSubnetGroup is the cluster's subnet group: the program's own in the isolated subnets, or an
// adopted cluster's existing one (a cluster cannot move to another subnet group in place).
func newSubnetGroup(ctx *pulumi.Context, name string, a *Args, parent pulumi.Resource) (pulumi.StringOutput, error) {
	if a.Adopted != nil {
		return pulumi.String(a.Adopted.SubnetGroup).ToStringOutput(), nil
	}
	sng, err := rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Name:        pulumi.String(a.ClusterID),
		Description: pulumi.String("Isolated subnets of " + a.ClusterID),
		SubnetIds:   a.SubnetIDs,
	}, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return sng.Name, nil
}

// Changes never applied to a member cluster, with why:
//   - globalClusterIdentifier, replicationSourceIdentifier: applying a diff detaches or
//     promotes the cluster (docs/architecture.md, data-loss guards); membership is changed only by the switchover engine.
//   - engineVersion: the global cluster owns the version and upgrades every member; a member
//     diff during an upgrade fights it.
var memberIgnores = []string{"globalClusterIdentifier", "replicationSourceIdentifier", "engineVersion"}

// Home-only ignores. After a switchover the home cluster is a secondary, where AWS refuses a
// master password change, and masterUsername/databaseName force replacement of the cluster.
// So they are fixed at creation; rotate the password against the current writer instead.
var homeIgnores = []string{"masterUsername", "masterPassword", "databaseName"}

func newCluster(ctx *pulumi.Context, name string, a *Args, globalID pulumi.StringOutput, net *placement, parent pulumi.Resource) (*rds.Cluster, error) {
	kmsKey := a.KmsKeyArn.ToStringOutput().ToStringPtrOutput()
	if a.Adopted != nil {
		kmsKey = pulumi.String(a.Adopted.KmsKeyArn).ToStringOutput().ToStringPtrOutput()
	}
	ca := &rds.ClusterArgs{
		ClusterIdentifier:       pulumi.String(a.ClusterID),
		GlobalClusterIdentifier: globalID.ToStringPtrOutput(),
		Engine:                  pulumi.String(Engine),
		EngineVersion:           pulumi.String(a.EngineVersion),
		Port:                    pulumi.Int(Port),
		DbSubnetGroupName:       net.subnetGroup.ToStringPtrOutput(),
		VpcSecurityGroupIds:     securityGroups(a, net),

		StorageEncrypted:                 pulumi.Bool(true),
		KmsKeyId:                         kmsKey,
		DeletionProtection:               pulumi.Bool(true),
		BackupRetentionPeriod:            pulumi.Int(a.BackupRetentionDays),
		DeleteAutomatedBackups:           pulumi.Bool(false),
		CopyTagsToSnapshot:               pulumi.Bool(true),
		SkipFinalSnapshot:                pulumi.Bool(false),
		FinalSnapshotIdentifier:          pulumi.String(a.ClusterID + "-final"),
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		EnabledCloudwatchLogsExports:     pulumi.StringArray{pulumi.String("postgresql")},
		DbClusterParameterGroupName:      net.parameterGroup.ToStringPtrOutput(),
	}
	if a.Serverless {
		ca.Serverlessv2ScalingConfiguration = &rds.ClusterServerlessv2ScalingConfigurationArgs{
			MinCapacity: pulumi.Float64(ServerlessMinACU),
			MaxCapacity: pulumi.Float64(ServerlessMaxACU),
		}
	}
	ignores := memberIgnores
	if a.IsHome {
		// Only the primary member carries credentials and the initial database.
		ca.MasterUsername = pulumi.String(a.MasterUsername)
		ca.MasterPassword = pulumi.ToSecret(a.MasterPassword).(pulumi.StringOutput).ToStringPtrOutput()
		ca.DatabaseName = pulumi.String(a.DatabaseName)
		ignores = append(append([]string{}, memberIgnores...), homeIgnores...)
	}
	return rds.NewCluster(ctx, name+"-cluster", ca, append(dataGuards(parent, ignores...), a.imported(a.ClusterID)...)...)
}

// securityGroups are the program's group, and an adopted cluster's own groups beside it: the
// running app keeps its access while the import moves it to the program's task group.
func securityGroups(a *Args, net *placement) pulumi.StringArray {
	sgs := pulumi.StringArray{net.securityGroupID}
	if a.Adopted != nil {
		for _, id := range a.Adopted.SecurityGroupIDs {
			sgs = append(sgs, pulumi.String(id))
		}
	}
	return sgs
}

// newInstances adds the cluster's DB instances. Instances hold no data (storage is the
// cluster's), so they are not protected and can be resized or replaced.
func newInstances(ctx *pulumi.Context, name string, a *Args, cluster *rds.Cluster, net *placement, parent pulumi.Resource) error {
	class := a.InstanceClass
	if a.Serverless {
		class = serverlessClass
	}
	for i := 1; i <= a.Instances; i++ {
		id := fmt.Sprintf("%s-%d", a.ClusterID, i)
		var opts []pulumi.ResourceOption
		if existing, ok := a.instanceID(i); ok {
			id, opts = existing, a.imported(existing)
		}
		ia := &rds.ClusterInstanceArgs{
			Identifier:         pulumi.String(id),
			ClusterIdentifier:  cluster.ClusterIdentifier,
			Engine:             pulumi.String(Engine),
			InstanceClass:      pulumi.String(class),
			DbSubnetGroupName:  net.subnetGroup.ToStringPtrOutput(),
			PubliclyAccessible: pulumi.Bool(false),
			// Both regions must run the same engine version for a switchover; versions move
			// only through the global cluster's engineVersion, never by per-region upgrades.
			AutoMinorVersionUpgrade: pulumi.Bool(false),
			PromotionTier:           pulumi.Int(i - 1),
		}
		if a.EnhancedMonitoring {
			ia.MonitoringInterval = pulumi.Int(MonitoringIntervalSeconds)
			ia.MonitoringRoleArn = net.monitoringRoleArn.ToStringPtrOutput()
		}
		if a.EnhancedMonitoring || !a.Serverless {
			ia.PerformanceInsightsEnabled = pulumi.Bool(true)
			ia.PerformanceInsightsKmsKeyId = a.KmsKeyArn.ToStringOutput().ToStringPtrOutput()
			ia.PerformanceInsightsRetentionPeriod = pulumi.Int(7)
		}
		if _, err := rds.NewClusterInstance(ctx, fmt.Sprintf("%s-instance-%d", name, i), ia, append(opts, pulumi.Parent(parent))...); err != nil {
			return err
		}
	}
	return nil
}
