package fakeaws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// importReplicationGroup reads a replication group by id, and its engine version, subnet group
// and security groups from its first member cluster, as the provider does. Its datastore
// membership (globalReplicationGroupId) is an output only: a program omits it without a diff.
func importReplicationGroup(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	client := elasticache.NewFromConfig(cfg)
	res, err := client.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	if err != nil || len(res.ReplicationGroups) == 0 {
		return nil, err
	}
	g := res.ReplicationGroups[0]
	in, out := fields{}, fields{}
	in.str("replicationGroupId", g.ReplicationGroupId)
	in.str("description", g.Description)
	in.str("engine", g.Engine)
	in.str("nodeType", g.CacheNodeType)
	in.int("numCacheClusters", aws.Int32(int32(len(g.MemberClusters))))
	in.boolean("atRestEncryptionEnabled", g.AtRestEncryptionEnabled)
	in.boolean("transitEncryptionEnabled", g.TransitEncryptionEnabled)
	in.str("kmsKeyId", g.KmsKeyId)
	in.boolean("automaticFailoverEnabled", aws.Bool(g.AutomaticFailover == ectypes.AutomaticFailoverStatusEnabled))
	in.boolean("multiAzEnabled", aws.Bool(g.MultiAZ == ectypes.MultiAZStatusEnabled))
	in.int("snapshotRetentionLimit", g.SnapshotRetentionLimit)
	if len(g.NodeGroups) > 0 && g.NodeGroups[0].PrimaryEndpoint != nil {
		in.int("port", g.NodeGroups[0].PrimaryEndpoint.Port)
		out.str("primaryEndpointAddress", g.NodeGroups[0].PrimaryEndpoint.Address)
	}
	if len(g.MemberClusters) > 0 {
		cc, err := client.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(g.MemberClusters[0])})
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", g.MemberClusters[0], err)
		}
		if len(cc.CacheClusters) > 0 {
			c := cc.CacheClusters[0]
			in.str("engineVersion", c.EngineVersion)
			in.str("subnetGroupName", c.CacheSubnetGroupName)
			var sgs []string
			for _, sg := range c.SecurityGroups {
				sgs = append(sgs, aws.ToString(sg.SecurityGroupId))
			}
			in.strs("securityGroupIds", sgs)
		}
	}
	out.str("arn", g.ARN)
	if info := g.GlobalReplicationGroupInfo; info != nil {
		out.str("globalReplicationGroupId", info.GlobalReplicationGroupId)
	}
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap(out)}, nil
}

// importDatastore reads a global datastore by its full (region-prefixed) id: the suffix is the
// id without the prefix, the primary its current PRIMARY member.
func importDatastore(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	res, err := elasticache.NewFromConfig(cfg).DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(id), ShowMemberInfo: aws.Bool(true)})
	if err != nil || len(res.GlobalReplicationGroups) == 0 {
		return nil, err
	}
	_, suffix, _ := strings.Cut(id, "-")
	in := fields{"globalReplicationGroupIdSuffix": resource.NewProperty(suffix)}
	for _, m := range res.GlobalReplicationGroups[0].Members {
		if aws.ToString(m.Role) == "PRIMARY" {
			in.str("primaryReplicationGroupId", m.ReplicationGroupId)
		}
	}
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap{
		"globalReplicationGroupId": resource.NewProperty(id),
		"arn":                      resource.NewProperty(fmt.Sprintf("arn:aws:elasticache::%s:globalreplicationgroup:%s", Account, id)),
	}}, nil
}
