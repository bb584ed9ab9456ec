package adopt

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	agmconfig "github.com/agm-dr/agm-dr/config"
)

// Read reads, after the conversion, what the home stack needs to take the existing resources
// over (agm-dr:adopted): their ids, and what AWS cannot change on them in place (the cluster's
// subnet group and key, the group's subnet group) or what the running app relies on (their
// security groups, the engine version). It changes nothing. e names exactly two queues, the
// vote queue and then its dead-letter queue, and one bucket, as the program has.
func Read(ctx context.Context, c Clients, e Existing, t Target) (agmconfig.Adopted, error) {
	a := agmconfig.Adopted{VpcID: e.VpcID, Cluster: e.ClusterID, ReplicationGroup: e.ReplicationGroup,
		ECSCluster: e.ECSCluster, ECSService: e.ECSService, MasterPasswordSecret: e.MasterPasswordSecret}
	if e.MasterPasswordSecret == "" {
		return a, inputErrorf("the import needs --master-password-secret: the secret that holds the cluster's live master password (the app's DB_PASSWORD is filled from it)")
	}
	if len(e.Queues) != 2 || len(e.Buckets) != 1 {
		return a, inputErrorf("the import takes exactly two --queue (the vote queue, then its dead-letter queue) and one --bucket, as the program has; got %d and %d", len(e.Queues), len(e.Buckets))
	}
	a.Bucket = e.Buckets[0]

	igw, err := c.EC2.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{
		Filters: []ec2types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{e.VpcID}}}})
	if err != nil {
		return a, fmt.Errorf("internet gateway of %s: %w", e.VpcID, err)
	}
	if len(igw.InternetGateways) > 0 {
		a.InternetGatewayID = aws.ToString(igw.InternetGateways[0].InternetGatewayId)
	}

	cl, err := describeCluster(ctx, c, e.ClusterID, t.HomeRegion)
	if err != nil {
		return a, err
	}
	a.EngineVersion, a.ClusterKmsKeyArn = aws.ToString(cl.EngineVersion), aws.ToString(cl.KmsKeyId)
	a.DBSubnetGroup = aws.ToString(cl.DBSubnetGroup)
	for _, sg := range cl.VpcSecurityGroups {
		a.ClusterSecurityGroups = append(a.ClusterSecurityGroups, aws.ToString(sg.VpcSecurityGroupId))
	}
	// The writer first: the program's first instance is the one with promotion tier 0.
	for _, m := range cl.DBClusterMembers {
		if aws.ToBool(m.IsClusterWriter) {
			a.ClusterInstances = append([]string{aws.ToString(m.DBInstanceIdentifier)}, a.ClusterInstances...)
		} else {
			a.ClusterInstances = append(a.ClusterInstances, aws.ToString(m.DBInstanceIdentifier))
		}
	}

	groups, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(e.ReplicationGroup)})
	if notFound(err) || (err == nil && len(groups.ReplicationGroups) == 0) {
		return a, inputErrorf("replication group %s does not exist in %s", e.ReplicationGroup, t.HomeRegion)
	}
	if err != nil {
		return a, fmt.Errorf("replication group %s: %w", e.ReplicationGroup, err)
	}
	g := groups.ReplicationGroups[0]
	a.CacheEngine = aws.ToString(g.Engine)
	if info := g.GlobalReplicationGroupInfo; info != nil && ourDatastore(aws.ToString(info.GlobalReplicationGroupId), t) {
		a.CacheGlobalID = aws.ToString(info.GlobalReplicationGroupId)
	}
	if a.CacheGlobalID == "" {
		return a, fmt.Errorf("replication group %s is not in the datastore *-%s yet: run the conversion first (drctl adopt --yes)", e.ReplicationGroup, t.CacheGlobalSuffix)
	}
	if len(g.MemberClusters) > 0 {
		cc, err := c.ElastiCache.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(g.MemberClusters[0])})
		if err != nil {
			return a, fmt.Errorf("replication group %s: node %s: %w", e.ReplicationGroup, g.MemberClusters[0], err)
		}
		for _, n := range cc.CacheClusters {
			a.CacheSubnetGroup = aws.ToString(n.CacheSubnetGroupName)
			for _, sg := range n.SecurityGroups {
				if id := aws.ToString(sg.SecurityGroupId); !slices.Contains(a.CacheSecurityGroups, id) {
					a.CacheSecurityGroups = append(a.CacheSecurityGroups, id)
				}
			}
		}
	}

	svc, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(e.ECSCluster), Services: []string{e.ECSService}})
	if notFound(err) || (err == nil && len(svc.Services) == 0) {
		return a, inputErrorf("ecs service %s/%s does not exist in %s", e.ECSCluster, e.ECSService, t.HomeRegion)
	}
	if err != nil {
		return a, fmt.Errorf("ecs service %s/%s: %w", e.ECSCluster, e.ECSService, err)
	}
	for _, lb := range svc.Services[0].LoadBalancers {
		if tg := aws.ToString(lb.TargetGroupArn); tg != "" && !slices.Contains(a.ECSTargetGroups, tg) {
			a.ECSTargetGroups = append(a.ECSTargetGroups, tg)
		}
	}
	if n := svc.Services[0].NetworkConfiguration; n != nil && n.AwsvpcConfiguration != nil {
		a.ECSSecurityGroups = n.AwsvpcConfiguration.SecurityGroups
	}
	if td := aws.ToString(svc.Services[0].TaskDefinition); td != "" {
		def, err := c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(td)})
		if err != nil {
			return a, fmt.Errorf("ecs service %s/%s: task definition %s: %w", e.ECSCluster, e.ECSService, td, err)
		}
		if role := aws.ToString(def.TaskDefinition.TaskRoleArn); role != "" {
			a.ECSTaskRole = role[strings.LastIndex(role, "/")+1:] // arn:aws:iam::<account>:role[/path]/<name>
		}
	}

	urls := make([]string, 2)
	for i, q := range e.Queues {
		out, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(q)})
		if err != nil {
			return a, inputErrorf("queue %s: %v", q, err)
		}
		urls[i] = aws.ToString(out.QueueUrl)
	}
	a.QueueURL, a.DeadLetterQueueURL = urls[0], urls[1]
	return a, nil
}

// checkSecret finds the secret of the cluster's live password, when given, without reading its
// value (DescribeSecret).
func checkSecret(ctx context.Context, c Clients, e Existing, t Target, r *Report) error {
	if e.MasterPasswordSecret == "" {
		return nil
	}
	out, err := c.Secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(e.MasterPasswordSecret)})
	if notFound(err) {
		return inputErrorf("secret %s does not exist in %s", e.MasterPasswordSecret, t.HomeRegion)
	}
	if err != nil {
		return fmt.Errorf("secret %s: %w", e.MasterPasswordSecret, err)
	}
	r.fact("secret %s: %s (the cluster's master password; its value is read only when the stack deploys)", e.MasterPasswordSecret, aws.ToString(out.ARN))
	return nil
}
