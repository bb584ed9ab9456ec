package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
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
func mirror(ctx context.Context, typ, name, region string, in resource.PropertyMap) (resource.PropertyMap, error) {
	if os.Getenv(WorldEnv) != "1" {
		return nil, nil
	}
	switch typ {
	case "aws:rds/globalCluster:GlobalCluster", "aws:rds/cluster:Cluster",
		"aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
		"aws:ecs/cluster:Cluster", "aws:ecs/service:Service", "aws:sqs/queue:Queue", "aws:route53/zone:Zone",
		"aws:appautoscaling/target:Target", "aws:backup/vault:Vault",
		"aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
	default:
		return nil, nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("fake aws world: %w", err)
	}
	out := resource.PropertyMap{}
	switch typ {
	case "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
		return mirrorPeering(ctx, cfg, typ, in)
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
		client := elasticache.NewFromConfig(cfg)
		_, err := client.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
			ReplicationGroupId:          aws.String(str(in, "replicationGroupId")),
			ReplicationGroupDescription: aws.String(str(in, "description")),
			GlobalReplicationGroupId:    optional(str(in, "globalReplicationGroupId")),
			Engine:                      optional(str(in, "engine")),
			KmsKeyId:                    optional(str(in, "kmsKeyId")),
			EngineVersion:               optional(str(in, "engineVersion")),
			CacheNodeType:               optional(str(in, "nodeType")),
			CacheSubnetGroupName:        optional(str(in, "subnetGroupName")),
			SecurityGroupIds:            strList(in, "securityGroupIds"),
			NumCacheClusters:            optionalInt(in, "numCacheClusters"),
			Port:                        optionalInt(in, "port"),
			SnapshotRetentionLimit:      optionalInt(in, "snapshotRetentionLimit"),
			TransitEncryptionEnabled:    optionalBool(in, "transitEncryptionEnabled"),
			AtRestEncryptionEnabled:     optionalBool(in, "atRestEncryptionEnabled"),
			AutomaticFailoverEnabled:    optionalBool(in, "automaticFailoverEnabled"),
			MultiAZEnabled:              optionalBool(in, "multiAzEnabled"),
		})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: elasticache CreateReplicationGroup: %w", err)
		}
		// What AWS reports for the new group (a secondary's engine is the datastore's).
		if out, err = describeGroup(ctx, client, str(in, "replicationGroupId"), false); err != nil {
			return nil, err
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
	case "aws:ecs/cluster:Cluster": // drctl check reads the service's running tasks
		res, err := ecs.NewFromConfig(cfg).CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(physicalName(typ, name, in))})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: ecs CreateCluster: %w", err)
		}
		out["arn"] = resource.NewProperty(aws.ToString(res.Cluster.ClusterArn))
	case "aws:ecs/service:Service":
		_, err := ecs.NewFromConfig(cfg).CreateService(ctx, &ecs.CreateServiceInput{
			Cluster:        aws.String(str(in, "cluster")),
			ServiceName:    aws.String(physicalName(typ, name, in)),
			TaskDefinition: optional(str(in, "taskDefinition")),
			DesiredCount:   aws.Int32(int32(num(in, "desiredCount"))),
		})
		// The program's ECS names carry no prefix, so an earlier run on the same emulator may have
		// left the service, and ministack may answer the create with it, keeping its old desired
		// count (a later run's capacity gate would then follow that stale load): take it over at
		// the count this create asks for, whatever the create answered.
		if uerr := mirrorUpdate(ctx, typ, name, region, in); uerr != nil {
			return nil, fmt.Errorf("fake aws world: ecs CreateService: %w", errors.Join(err, uerr))
		}
	case "aws:route53/zone:Zone": // switchover resources that move traffic read and change its records
		// The caller reference makes the create idempotent within one test run (its record log)
		// and distinct across runs: ministack answers a repeated reference with the stored zone,
		// and tests of other worktrees share the emulator and the zone name.
		res, err := route53.NewFromConfig(cfg).CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
			Name: aws.String(str(in, "name")), CallerReference: aws.String(short(os.Getenv(LogEnv) + name + str(in, "name") + region)),
		})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: route53 CreateHostedZone: %w", err)
		}
		id := strings.TrimPrefix(aws.ToString(res.HostedZone.Id), "/hostedzone/")
		out["zoneId"] = resource.NewProperty(id)
		out["arn"] = resource.NewProperty("arn:aws:route53:::hostedzone/" + id)
	case "aws:appautoscaling/target:Target": // a switchover resource setting the task floor reads it
		if err := registerTarget(ctx, cfg, in); err != nil {
			return nil, err
		}
	case "aws:backup/vault:Vault": // drctl check reads the latest recovery point's age
		if os.Getenv("AWS_ENDPOINT_URL_BACKUP") == "" {
			break
		}
		res, err := backup.NewFromConfig(cfg).CreateBackupVault(ctx, &backup.CreateBackupVaultInput{
			BackupVaultName: aws.String(physicalName(typ, name, in))})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: backup CreateBackupVault: %w", err)
		}
		out["arn"] = resource.NewProperty(aws.ToString(res.BackupVaultArn))
	case "aws:sqs/queue:Queue": // drctl check samples the old primary's queue depth
		res, err := sqs.NewFromConfig(cfg).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(physicalName(typ, name, in))})
		if err != nil {
			return nil, fmt.Errorf("fake aws world: sqs CreateQueue: %w", err)
		}
		out["url"] = resource.NewProperty(aws.ToString(res.QueueUrl))
	}
	return out, nil
}

// mirrorUpdate keeps the emulator's copy in step with an update the engine made (the ECS
// service's desired count, which the switchover raises and lowers).
func mirrorUpdate(ctx context.Context, typ, name, region string, in resource.PropertyMap) error {
	if os.Getenv(WorldEnv) != "1" || typ != "aws:ecs/service:Service" && typ != "aws:appautoscaling/target:Target" {
		return nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return fmt.Errorf("fake aws world: %w", err)
	}
	if typ == "aws:appautoscaling/target:Target" {
		return registerTarget(ctx, cfg, in)
	}
	_, err = ecs.NewFromConfig(cfg).UpdateService(ctx, &ecs.UpdateServiceInput{
		Cluster: aws.String(str(in, "cluster")), Service: aws.String(physicalName(typ, name, in)),
		DesiredCount: aws.Int32(int32(num(in, "desiredCount"))),
	})
	if err != nil {
		return fmt.Errorf("fake aws world: ecs UpdateService: %w", err)
	}
	return nil
}

// registerTarget mirrors a scalable target into the Application Auto Scaling endpoint (the
// AutoScaling fake of this package: ministack does not serve that API). Without an endpoint for
// it, nothing is mirrored.
func registerTarget(ctx context.Context, cfg aws.Config, in resource.PropertyMap) error {
	if os.Getenv("AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING") == "" {
		return nil
	}
	_, err := applicationautoscaling.NewFromConfig(cfg).RegisterScalableTarget(ctx, &applicationautoscaling.RegisterScalableTargetInput{
		ServiceNamespace:  aastypes.ServiceNamespace(str(in, "serviceNamespace")),
		ResourceId:        aws.String(str(in, "resourceId")),
		ScalableDimension: aastypes.ScalableDimension(str(in, "scalableDimension")),
		MinCapacity:       aws.Int32(int32(num(in, "minCapacity"))),
		MaxCapacity:       aws.Int32(int32(num(in, "maxCapacity"))),
	})
	if err != nil {
		return fmt.Errorf("fake aws world: application-autoscaling RegisterScalableTarget: %w", err)
	}
	return nil
}

func num(m resource.PropertyMap, key string) float64 {
	if v, ok := m[resource.PropertyKey(key)]; ok && v.IsNumber() {
		return v.NumberValue()
	}
	return 0
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func optionalInt(m resource.PropertyMap, key string) *int32 {
	if v, ok := m[resource.PropertyKey(key)]; ok && v.IsNumber() {
		return aws.Int32(int32(v.NumberValue()))
	}
	return nil
}

func optionalBool(m resource.PropertyMap, key string) *bool {
	if v, ok := m[resource.PropertyKey(key)]; ok && v.IsBool() {
		return aws.Bool(v.BoolValue())
	}
	return nil
}

func strList(m resource.PropertyMap, key string) []string {
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}
