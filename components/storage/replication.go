package storage

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// RTCMinutes is the S3 Replication Time Control threshold: S3 replicates 99.99% of objects
// within it and reports late ones through replication metrics.
const RTCMinutes = 15

// RuleID names the replication rule to a peer region; S3 replication metrics carry it.
func RuleID(peerRegion string) string { return "to-" + peerRegion }

// replicate creates the replication role and the rule from this bucket to the peer's. It
// returns the role ARN.
func replicate(ctx *pulumi.Context, name string, args *Args, bucket *s3.BucketV2, versioning *s3.BucketVersioningV2,
	region pulumi.StringOutput, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	trust, err := replicationTrust(args.AccountID)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// IAM is global: let Pulumi auto-name the role so the two stacks never collide.
	role, err := iam.NewRole(ctx, name+"-replication", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(trust),
		Description:      pulumi.String("S3 replication of " + args.BucketName + " to " + args.PeerBucketName),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	policy := pulumi.All(args.KmsKeyArn, region).ApplyT(func(xs []any) (string, error) {
		return replicationPolicy(replicationFacts{
			bucket: args.BucketName, peerBucket: args.PeerBucketName,
			region: xs[1].(string), peerRegion: args.PeerRegion,
			accountID: args.AccountID,
			keyArn:    xs[0].(string), peerKeyArn: args.PeerKmsKeyArn,
		})
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-replication", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}

	enabled := pulumi.String("Enabled")
	_, err = s3.NewBucketReplicationConfig(ctx, name+"-replication", &s3.BucketReplicationConfigArgs{
		Bucket: bucket.ID(),
		Role:   role.Arn,
		Rules: s3.BucketReplicationConfigRuleArray{&s3.BucketReplicationConfigRuleArgs{
			Id:       pulumi.String(RuleID(args.PeerRegion)),
			Status:   enabled,
			Priority: pulumi.Int(1),
			Filter:   &s3.BucketReplicationConfigRuleFilterArgs{}, // the whole bucket
			DeleteMarkerReplication: &s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs{
				Status: enabled,
			},
			SourceSelectionCriteria: &s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs{
				// SSE-KMS objects are skipped unless selected explicitly.
				SseKmsEncryptedObjects: &s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs{
					Status: enabled,
				},
				// Metadata changes made on replicas flow back, so both sides stay identical.
				ReplicaModifications: &s3.BucketReplicationConfigRuleSourceSelectionCriteriaReplicaModificationsArgs{
					Status: enabled,
				},
			},
			Destination: &s3.BucketReplicationConfigRuleDestinationArgs{
				Bucket:       pulumi.String(bucketArn(args.PeerBucketName)),
				StorageClass: pulumi.String("STANDARD"),
				EncryptionConfiguration: &s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs{
					ReplicaKmsKeyId: pulumi.String(args.PeerKmsKeyArn),
				},
				ReplicationTime: &s3.BucketReplicationConfigRuleDestinationReplicationTimeArgs{
					Status: enabled,
					Time:   &s3.BucketReplicationConfigRuleDestinationReplicationTimeTimeArgs{Minutes: pulumi.Int(RTCMinutes)},
				},
				Metrics: &s3.BucketReplicationConfigRuleDestinationMetricsArgs{
					Status:         enabled,
					EventThreshold: &s3.BucketReplicationConfigRuleDestinationMetricsEventThresholdArgs{Minutes: pulumi.Int(RTCMinutes)},
				},
			},
		}},
	}, parent, pulumi.DependsOn([]pulumi.Resource{versioning, rolePolicy}))
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return role.Arn, nil
}
