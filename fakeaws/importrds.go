package fakeaws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// importCluster reads an Aurora cluster by identifier. Its global cluster membership comes from
// the global clusters' member lists, as the provider reads it; availabilityZones, which a
// program omits without a diff on AWS, is an output only.
func importCluster(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	client := rds.NewFromConfig(cfg)
	res, err := client.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(id)})
	if err != nil || len(res.DBClusters) == 0 {
		return nil, err
	}
	c := res.DBClusters[0]
	in := fields{}
	in.str("clusterIdentifier", c.DBClusterIdentifier)
	in.str("engine", c.Engine)
	in.str("engineVersion", c.EngineVersion)
	in.boolean("storageEncrypted", c.StorageEncrypted)
	in.str("kmsKeyId", c.KmsKeyId)
	in.str("dbSubnetGroupName", c.DBSubnetGroup)
	in.str("masterUsername", c.MasterUsername)
	in.str("databaseName", c.DatabaseName)
	in.int("port", c.Port)
	var sgs []string
	for _, sg := range c.VpcSecurityGroups {
		sgs = append(sgs, aws.ToString(sg.VpcSecurityGroupId))
	}
	in.strs("vpcSecurityGroupIds", sgs)
	in.boolean("deletionProtection", c.DeletionProtection)
	in.int("backupRetentionPeriod", c.BackupRetentionPeriod)
	globals, err := client.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{})
	if err != nil {
		return nil, err
	}
	for _, g := range globals.GlobalClusters {
		for _, m := range g.GlobalClusterMembers {
			if aws.ToString(m.DBClusterArn) == aws.ToString(c.DBClusterArn) {
				in.str("globalClusterIdentifier", g.GlobalClusterIdentifier)
			}
		}
	}
	out := fields{}
	out.str("arn", c.DBClusterArn)
	out.strs("availabilityZones", c.AvailabilityZones)
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap(out)}, nil
}

// importInstance reads an Aurora cluster instance by identifier.
func importInstance(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	res, err := rds.NewFromConfig(cfg).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
	if err != nil || len(res.DBInstances) == 0 {
		return nil, err
	}
	d := res.DBInstances[0]
	in := fields{}
	in.str("identifier", d.DBInstanceIdentifier)
	in.str("clusterIdentifier", d.DBClusterIdentifier)
	in.str("engine", d.Engine)
	in.str("instanceClass", d.DBInstanceClass)
	if d.DBSubnetGroup != nil {
		in.str("dbSubnetGroupName", d.DBSubnetGroup.DBSubnetGroupName)
	}
	in.boolean("publiclyAccessible", d.PubliclyAccessible)
	in.boolean("autoMinorVersionUpgrade", d.AutoMinorVersionUpgrade)
	in.int("promotionTier", d.PromotionTier)
	out := fields{}
	out.str("arn", d.DBInstanceArn)
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap(out)}, nil
}

// importGlobalCluster reads a global cluster by identifier, with its members as outputs.
func importGlobalCluster(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	res, err := rds.NewFromConfig(cfg).DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(id)})
	if err != nil || len(res.GlobalClusters) == 0 {
		return nil, err
	}
	g := res.GlobalClusters[0]
	in := fields{}
	in.str("globalClusterIdentifier", g.GlobalClusterIdentifier)
	in.str("engine", g.Engine)
	in.str("engineVersion", g.EngineVersion)
	in.boolean("storageEncrypted", g.StorageEncrypted)
	in.boolean("deletionProtection", g.DeletionProtection)
	in.str("databaseName", g.DatabaseName)
	out := fields{}
	out.str("arn", g.GlobalClusterArn)
	members := []resource.PropertyValue{}
	for _, m := range g.GlobalClusterMembers {
		members = append(members, resource.NewProperty(resource.PropertyMap{
			"dbClusterArn": resource.NewProperty(aws.ToString(m.DBClusterArn)),
			"isWriter":     resource.NewProperty(aws.ToBool(m.IsWriter)),
		}))
	}
	out["globalClusterMembers"] = resource.NewProperty(members)
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap(out)}, nil
}
