package fakeaws

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// readWorld is what the emulators report now for a resource the world holds, as a refresh
// reads it: a replication group's engine, key and datastore membership, a global datastore's
// current primary. Nil when the world is off or the type is not one the world holds.
func readWorld(ctx context.Context, typ, id, region string, state resource.PropertyMap) (resource.PropertyMap, error) {
	if os.Getenv(WorldEnv) != "1" || os.Getenv("AWS_ENDPOINT_URL_ELASTICACHE") == "" {
		return nil, nil
	}
	switch typ {
	case typeReplicationGroup, "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup":
	default:
		return nil, nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("fake aws world: %w", err)
	}
	client := elasticache.NewFromConfig(cfg)
	if typ == typeReplicationGroup {
		return describeGroup(ctx, client, str(state, "replicationGroupId"), true)
	}
	gid := str(state, "globalReplicationGroupId")
	if gid == "" {
		gid = id
	}
	res, err := client.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(gid), ShowMemberInfo: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("fake aws world: elasticache DescribeGlobalReplicationGroups: %w", err)
	}
	out := resource.PropertyMap{}
	for _, g := range res.GlobalReplicationGroups {
		for _, m := range g.Members {
			if aws.ToString(m.Role) == "PRIMARY" {
				out["primaryReplicationGroupId"] = resource.NewProperty(aws.ToString(m.ReplicationGroupId))
			}
		}
	}
	return out, nil
}

// describeGroup reads a replication group's engine, key and (with membership) its global
// datastore id, as the provider's Read sets them.
func describeGroup(ctx context.Context, client *elasticache.Client, id string, membership bool) (resource.PropertyMap, error) {
	res, err := client.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("fake aws world: elasticache DescribeReplicationGroups: %w", err)
	}
	out := resource.PropertyMap{}
	for _, g := range res.ReplicationGroups {
		if v := aws.ToString(g.Engine); v != "" {
			out["engine"] = resource.NewProperty(v)
		}
		if v := aws.ToString(g.KmsKeyId); v != "" {
			out["kmsKeyId"] = resource.NewProperty(v)
		}
		if info := g.GlobalReplicationGroupInfo; membership && info != nil && aws.ToString(info.GlobalReplicationGroupId) != "" {
			out["globalReplicationGroupId"] = resource.NewProperty(aws.ToString(info.GlobalReplicationGroupId))
		}
	}
	return out, nil
}
