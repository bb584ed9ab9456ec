package fakeaws

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// WorldEnv, set to "1", makes the fake create the global resources the switchover engine works
// on in the AWS emulators the standard AWS environment points at (AWS_ENDPOINT_URL: ministack
// for RDS; AWS_ENDPOINT_URL_ELASTICACHE: the ElastiCache fake of this package, because
// ministack does not serve global datastores). Then the agmdr provider finds the global
// cluster, its members and the datastore the program declared, under the names and ARNs the
// program derived. Unset, the fake touches nothing outside its records.
const WorldEnv = "AGMDR_FAKE_AWS_WORLD"

// mirror creates, in the emulators, what the switchover engine reads of a resource of type typ,
// and returns outputs the emulator decided (ARNs, ids) to override the fake's own. Types the
// engine does not read are not mirrored.
func mirror(ctx context.Context, typ, region string, in resource.PropertyMap) (resource.PropertyMap, error) {
	if os.Getenv(WorldEnv) != "1" {
		return nil, nil
	}
	switch typ {
	case "aws:rds/globalCluster:GlobalCluster", "aws:rds/cluster:Cluster",
		"aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup":
	default:
		return nil, nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("fake aws world: %w", err)
	}
	out := resource.PropertyMap{}
	switch typ {
	case "aws:rds/globalCluster:GlobalCluster":
		res, err := rds.NewFromConfig(cfg).CreateGlobalCluster(ctx, &rds.CreateGlobalClusterInput{
			GlobalClusterIdentifier: aws.String(str(in, "globalClusterIdentifier")),
			Engine:                  aws.String(str(in, "engine")),
			DatabaseName:            optional(str(in, "databaseName")),
		})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: rds CreateGlobalCluster: %w", err)
		}
		out["arn"] = resource.NewProperty(aws.ToString(res.GlobalCluster.GlobalClusterArn))
	case "aws:rds/cluster:Cluster":
		res, err := rds.NewFromConfig(cfg).CreateDBCluster(ctx, &rds.CreateDBClusterInput{
			DBClusterIdentifier:     aws.String(str(in, "clusterIdentifier")),
			Engine:                  aws.String(str(in, "engine")),
			GlobalClusterIdentifier: optional(str(in, "globalClusterIdentifier")),
			MasterUsername:          optional(str(in, "masterUsername")),
			MasterUserPassword:      optional(str(in, "masterPassword")),
		})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: rds CreateDBCluster: %w", err)
		}
		out["arn"] = resource.NewProperty(aws.ToString(res.DBCluster.DBClusterArn))
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		_, err := elasticache.NewFromConfig(cfg).CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
			ReplicationGroupId:          aws.String(str(in, "replicationGroupId")),
			ReplicationGroupDescription: aws.String(str(in, "description")),
			GlobalReplicationGroupId:    optional(str(in, "globalReplicationGroupId")),
		})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: elasticache CreateReplicationGroup: %w", err)
		}
	case "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup":
		res, err := elasticache.NewFromConfig(cfg).CreateGlobalReplicationGroup(ctx, &elasticache.CreateGlobalReplicationGroupInput{
			GlobalReplicationGroupIdSuffix: aws.String(str(in, "globalReplicationGroupIdSuffix")),
			PrimaryReplicationGroupId:      aws.String(str(in, "primaryReplicationGroupId")),
		})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: elasticache CreateGlobalReplicationGroup: %w", err)
		}
		out["globalReplicationGroupId"] = resource.NewProperty(aws.ToString(res.GlobalReplicationGroup.GlobalReplicationGroupId))
	}
	return out, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
