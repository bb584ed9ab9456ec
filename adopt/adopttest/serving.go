package adopttest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// Serving is an existing Tokyo built for the real engine: everything through the AWS SDK at the
// endpoints the process environment names (ministack, and the fake aws plugin's ElastiCache fake
// at AWS_ENDPOINT_URL_ELASTICACHE), so the fake plugin finds it when the program imports it.
// It is what a team that built Tokyo by hand would have: its own subnet groups, security groups
// and KMS key, two Aurora instances, a Fargate service at its AGM-day count.
type Serving struct {
	Existing adopt.Existing
	Clients  adopt.Clients // the home region's, and Osaka's catalogue (a fake, see Osaka)
	KmsKey   string        // the cluster's key
	// TargetGroup is the load balancer target group that serves shareholders today (the team's
	// own load balancer, outside the program); WebSecurityGroup is the service's own group.
	TargetGroup string
}

// TaskRole is the running tasks' role, which the team made.
const TaskRole = "agm-web-task"

// LoadedTasks is the existing service's desired count: autoscaled above primaryTasks (6), as on
// an AGM day, so the switchover's new primary must follow it.
const LoadedTasks = 9

// BuildServing builds the existing Tokyo; names carry a per-run suffix (tests share one emulator).
func BuildServing(t testing.TB) *Serving {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run := fmt.Sprintf("%d%03d-%d", os.Getpid()%100000, time.Now().UnixMilli()%1000, seq.Add(1))
	c, err := adopt.NewClients(ctx, config.Tokyo, config.Osaka)
	require.NoError(t, err)
	c.PeerRDS = NewOsaka()
	s := &Serving{Clients: c, TargetGroup: "arn:aws:elasticloadbalancing:ap-northeast-1:000000000000:targetgroup/agm-web-" + run + "/0123456789abcdef", KmsKey: "arn:aws:kms:ap-northeast-1:000000000000:key/5e1f0c2a-7b3d-4e8a-9c61-" + fmt.Sprintf("%012d", seq.Add(1))}
	ec := c.EC2.(*ec2.Client)

	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(GoodTokyo.Cidr)})
	require.NoError(t, err, "emulator: create vpc")
	s.Existing.VpcID = aws.ToString(vpc.Vpc.VpcId)
	igw, err := ec.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	require.NoError(t, err, "emulator: create internet gateway")
	_, err = ec.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: vpc.Vpc.VpcId})
	require.NoError(t, err, "emulator: attach internet gateway")
	var subnets []string
	for i, az := range []string{"ap-northeast-1a", "ap-northeast-1c"} {
		sn, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, AvailabilityZone: aws.String(az),
			CidrBlock: aws.String(fmt.Sprintf("10.10.%d.0/24", 240+i))})
		require.NoError(t, err, "emulator: create subnet")
		subnets = append(subnets, aws.ToString(sn.Subnet.SubnetId))
	}
	sg := func(name string) string {
		g, err := ec.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name + "-" + run),
			Description: aws.String(name), VpcId: vpc.Vpc.VpcId, TagSpecifications: []ec2types.TagSpecification{}})
		require.NoError(t, err, "emulator: create security group")
		return aws.ToString(g.GroupId)
	}
	dbSG, cacheSG, webSG := sg("prod-db"), sg("prod-cache"), sg("prod-web")

	s.Existing.ClusterID = "shareholders-prod-" + run
	dbSubnets := "prod-db-private-" + run
	_, err = c.RDS.(*rds.Client).CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String(dbSubnets),
		DBSubnetGroupDescription: aws.String("prod db"), SubnetIds: subnets})
	require.NoError(t, switchovertest.Resent(err, "DBSubnetGroupAlreadyExists"), "emulator: create db subnet group")
	_, err = c.RDS.(*rds.Client).CreateDBCluster(ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(s.Existing.ClusterID), Engine: aws.String(adopt.Engine),
		EngineVersion: aws.String(GoodTokyo.Version), StorageEncrypted: aws.Bool(true), KmsKeyId: aws.String(s.KmsKey),
		DBSubnetGroupName: aws.String(dbSubnets), VpcSecurityGroupIds: []string{dbSG}, DatabaseName: aws.String("shareholders"),
		MasterUsername: aws.String("agmadmin"), MasterUserPassword: aws.String("test-only-password"),
	})
	require.NoError(t, switchovertest.Resent(err, "DBClusterAlreadyExistsFault"), "emulator: create cluster")
	s.Existing.MasterPasswordSecret = PasswordSecret(ctx, t, run)
	for _, role := range []string{"writer", "reader"} {
		_, err = c.RDS.(*rds.Client).CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
			DBInstanceIdentifier: aws.String(s.Existing.ClusterID + "-" + role),
			DBClusterIdentifier:  aws.String(s.Existing.ClusterID), Engine: aws.String(adopt.Engine),
			DBInstanceClass: aws.String(GoodTokyo.Class), DBSubnetGroupName: aws.String(dbSubnets),
		})
		require.NoError(t, switchovertest.Resent(err, "DBInstanceAlreadyExists"), "emulator: create instance")
	}

	s.Existing.ReplicationGroup = "agm-sessions-prod-" + run
	_, err = c.ElastiCache.(*elasticache.Client).CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(s.Existing.ReplicationGroup), ReplicationGroupDescription: aws.String("sessions"),
		Engine: aws.String(GoodTokyo.CacheEngine), EngineVersion: aws.String(GoodTokyo.CacheVer), CacheNodeType: aws.String(GoodTokyo.Node),
		NumCacheClusters: aws.Int32(2), Port: aws.Int32(6379), AutomaticFailoverEnabled: aws.Bool(true), MultiAZEnabled: aws.Bool(true),
		TransitEncryptionEnabled: aws.Bool(true), AtRestEncryptionEnabled: aws.Bool(true),
		CacheSubnetGroupName: aws.String("prod-cache-private-" + run), SecurityGroupIds: []string{cacheSG},
	})
	require.NoError(t, err, "elasticache fake: create replication group")

	s.Existing.ECSCluster, s.Existing.ECSService = "agm-prod-"+run, "agm-web"
	_, err = c.ECS.(*ecs.Client).CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(s.Existing.ECSCluster)})
	require.NoError(t, err, "emulator: create ecs cluster")
	td, err := c.ECS.(*ecs.Client).RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("agm-web-" + run),
		TaskRoleArn: aws.String("arn:aws:iam::000000000000:role/" + TaskRole), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("512"), Memory: aws.String("1024"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("agm-web:42"),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}}}}})
	require.NoError(t, err, "emulator: register task definition")
	_, err = c.ECS.(*ecs.Client).CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String(s.Existing.ECSCluster),
		ServiceName: aws.String(s.Existing.ECSService), DesiredCount: aws.Int32(LoadedTasks), TaskDefinition: td.TaskDefinition.TaskDefinitionArn,
		LaunchType:           ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: subnets, SecurityGroups: []string{webSG}}},
		LoadBalancers:        []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(s.TargetGroup), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}}})
	require.NoError(t, err, "emulator: create ecs service")

	s.Existing.Queues, s.Existing.Buckets = queuesAndBucket(ctx, t, c, run)
	return s
}

// PasswordSecret keeps the cluster's master password in Secrets Manager, as RDS-managed secrets
// hold it, and returns its name.
func PasswordSecret(ctx context.Context, t testing.TB, run string) string {
	t.Helper()
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(config.Tokyo))
	require.NoError(t, err)
	name := "prod/shareholders-db-" + run
	_, err = secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name),
		SecretString: aws.String(`{"username":"agmadmin","password":"test-only-password"}`)})
	require.NoError(t, switchovertest.Resent(err, "ResourceExistsException"), "emulator: create secret")
	return name
}
