package app

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/config"
)

// elbAccount is the Elastic Load Balancing account that writes access logs in each region
// (regions opened before August 2022 use an account, not the log-delivery service principal).
// Source: ELB user guide, "Enable access logs for your Application Load Balancer".
var elbAccount = map[string]string{
	config.Tokyo: "582318560864",
	config.Osaka: "383597477331",
}

// ServerAccessLogPrefix is where S3 server access logs of the region's buckets land in this
// bucket (the site bucket logs here; this bucket itself is not logged, so logging never loops).
const ServerAccessLogPrefix = "s3/"

const (
	accessLogPrefix   = "alb"
	accessLogDays     = 90
	noncurrentLogDays = 7
)

type accessLogBucket struct {
	bucket *s3.BucketV2
	policy *s3.BucketPolicy
}

// newAccessLogBucket creates the ALB's access-log bucket. ALB access logs support only SSE-S3
// (not SSE-KMS), so this is the one bucket not encrypted with the region's customer key.
func newAccessLogBucket(ctx *pulumi.Context, name string, a *Args, parent pulumi.ResourceOrInvokeOption) (*accessLogBucket, error) {
	rn := name + "-access-logs"
	bucket, err := s3.NewBucketV2(ctx, rn, &s3.BucketV2Args{
		Bucket: pulumi.String(a.AccessLogBucketName),
		Tags:   tags(rn),
	}, parent, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, rn, &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, parent); err != nil {
		return nil, err
	}
	pab, err := s3.NewBucketPublicAccessBlock(ctx, rn, &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, rn, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, parent); err != nil {
		return nil, err
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, rn, &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, rn, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:                             pulumi.String("expire-access-logs"),
			Status:                         pulumi.String("Enabled"),
			Filter:                         s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
			Expiration:                     s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(accessLogDays)},
			NoncurrentVersionExpiration:    s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{NoncurrentDays: pulumi.Int(noncurrentLogDays)},
			AbortIncompleteMultipartUpload: s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{DaysAfterInitiation: pulumi.Int(7)},
		}},
	}, parent, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return nil, err
	}

	account := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, parent).AccountId()
	doc := pulumi.All(bucket.Arn, account).ApplyT(func(v []any) (string, error) {
		arn, acct := v[0].(string), v[1].(string)
		return accessLogPolicy(arn, acct, elbAccount[a.Region])
	}).(pulumi.StringOutput)
	policy, err := s3.NewBucketPolicy(ctx, rn, &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: doc,
	}, parent, pulumi.DependsOn([]pulumi.Resource{pab}))
	if err != nil {
		return nil, err
	}
	return &accessLogBucket{bucket: bucket, policy: policy}, nil
}

func accessLogPolicy(bucketArn, account, elbAccountID string) (string, error) {
	return policyJSON(
		statement{
			Sid:       "ElbWritesAccessLogs",
			Effect:    "Allow",
			Principal: map[string]string{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", elbAccountID)},
			Action:    []string{"s3:PutObject"},
			Resource:  []string{fmt.Sprintf("%s/%s/AWSLogs/%s/*", bucketArn, accessLogPrefix, account)},
		},
		// S3 server access logging with ACLs disabled needs this grant to the logging service,
		// limited to this account's buckets (S3 user guide, "Enabling Amazon S3 server access
		// logging": bucket policy for logging.s3.amazonaws.com).
		statement{
			Sid:       "S3ServerAccessLogs",
			Effect:    "Allow",
			Principal: map[string]string{"Service": "logging.s3.amazonaws.com"},
			Action:    []string{"s3:PutObject"},
			Resource:  []string{bucketArn + "/" + ServerAccessLogPrefix + "*"},
			Condition: map[string]map[string]string{"StringEquals": {"aws:SourceAccount": account}},
		},
		statement{
			Sid:       "TlsOnly",
			Effect:    "Deny",
			Principal: "*",
			Action:    []string{"s3:*"},
			Resource:  []string{bucketArn, bucketArn + "/*"},
			Condition: map[string]map[string]string{"Bool": {"aws:SecureTransport": "false"}},
		},
	)
}
