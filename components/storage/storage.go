// Package storage provides the region's S3 bucket for the broadcasts' static sites: private,
// versioned, SSE-KMS with the region's key, TLS only, and replicated to the peer region's bucket.
// Each stack configures replication from its own bucket to the peer's, so the pair replicates
// both ways and each side can be changed while the other region is down.
package storage

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NoncurrentDays is how long overwritten or deleted object versions are kept.
const NoncurrentDays = 90

// Args describe one region's bucket. Names are deterministic so each stack can name the
// peer's bucket and key without reading the peer's state.
type Args struct {
	BucketName     string // globally unique, e.g. "agm-dr-site-<acct>-ap-northeast-1"
	PeerBucketName string // the peer region's bucket (replication destination)
	PeerRegion     string
	// ReplicateToPeer configures replication to PeerBucketName. Keep it false until the peer
	// bucket exists (first deploy): S3 rejects a rule whose destination bucket does not exist.
	ReplicateToPeer bool
	KmsKeyArn       pulumi.StringInput // this region's key ARN
	PeerKmsKeyArn   string             // the peer's key ARN or alias ARN (keys.AliasArn), for replicas
	AccountID       string             // 12-digit AWS account id

	// Adopted: BucketName is an existing bucket (drctl adopt), taken over with Pulumi's import
	// under its own name; a bucket's name cannot change in place.
	Adopted bool
	// Region is this stack's region; empty means the AWS provider's region.
	Region string
}

// Bucket is the site bucket with its guards and, when replicating, its replication role.
type Bucket struct {
	pulumi.ResourceState
	BucketName         pulumi.StringOutput `pulumi:"bucketName"`
	BucketArn          pulumi.StringOutput `pulumi:"bucketArn"`
	ReplicationRoleArn pulumi.StringOutput `pulumi:"replicationRoleArn"` // "" when not replicating
}

var (
	bucketRe  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

func (a *Args) validate() error {
	switch {
	case !bucketRe.MatchString(a.BucketName):
		return fmt.Errorf("bucket name %q is not a valid S3 bucket name", a.BucketName)
	case !bucketRe.MatchString(a.PeerBucketName):
		return fmt.Errorf("peer bucket name %q is not a valid S3 bucket name", a.PeerBucketName)
	case a.BucketName == a.PeerBucketName:
		return fmt.Errorf("bucket and peer bucket are both %q", a.BucketName)
	case !regionRe.MatchString(a.PeerRegion):
		return fmt.Errorf("peer region %q is not a region code", a.PeerRegion)
	case a.Region != "" && !regionRe.MatchString(a.Region):
		return fmt.Errorf("region %q is not a region code", a.Region)
	case a.Region == a.PeerRegion:
		return fmt.Errorf("peer region %q is this stack's region", a.PeerRegion)
	case a.KmsKeyArn == nil:
		return errors.New("a KMS key ARN is required")
	case !accountRe.MatchString(a.AccountID):
		return fmt.Errorf("account id %q must be 12 digits", a.AccountID)
	case a.ReplicateToPeer && !strings.HasPrefix(a.PeerKmsKeyArn, "arn:aws:kms:"+a.PeerRegion+":"+a.AccountID+":"):
		return fmt.Errorf("peer KMS key %q must be a key or alias ARN in %s of account %s", a.PeerKmsKeyArn, a.PeerRegion, a.AccountID)
	}
	return nil
}

// New creates the bucket and its guards, and replication to the peer when asked.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Bucket, error) {
	if args == nil {
		return nil, errors.New("storage: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("storage %s: %w", name, err)
	}
	b := &Bucket{}
	if err := ctx.RegisterComponentResource("agm-dr:storage:Bucket", name, b, opts...); err != nil {
		return nil, fmt.Errorf("storage %s: %w", name, err)
	}
	wrap := func(err error) error { return fmt.Errorf("storage %s: %w", name, err) }
	parent := pulumi.Parent(b)

	// No forceDestroy: deleting a bucket that still holds objects must fail.
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		Bucket:       pulumi.String(args.BucketName),
		ForceDestroy: pulumi.Bool(false),
	}, adopted(args, parent, pulumi.Protect(true), pulumi.RetainOnDelete(true))...)
	if err != nil {
		return nil, wrap(err)
	}
	versioning, err := guard(ctx, name, bucket, args.KmsKeyArn, parent)
	if err != nil {
		return nil, wrap(err)
	}

	b.BucketName = bucket.Bucket
	b.BucketArn = bucket.Arn
	b.ReplicationRoleArn = pulumi.String("").ToStringOutput()
	if args.ReplicateToPeer {
		region := pulumi.String(args.Region).ToStringOutput()
		if args.Region == "" {
			region = aws.GetRegionOutput(ctx, aws.GetRegionOutputArgs{}, parent).Name()
		}
		roleArn, err := replicate(ctx, name, args, bucket, versioning, region, parent)
		if err != nil {
			return nil, wrap(err)
		}
		b.ReplicationRoleArn = roleArn
	}
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{
		"bucketName": b.BucketName, "bucketArn": b.BucketArn, "replicationRoleArn": b.ReplicationRoleArn,
	})
}

// guard adds versioning, default SSE-KMS, the public access block, enforced bucket ownership
// (ACLs disabled), the TLS-only policy and noncurrent-version expiry. It returns the versioning
// resource, which replication must wait for.
func guard(ctx *pulumi.Context, name string, bucket *s3.BucketV2, keyArn pulumi.StringInput, parent pulumi.ResourceOption) (*s3.BucketVersioningV2, error) {
	versioning, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket: bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{
			Status: pulumi.String("Enabled"),
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: keyArn,
			},
			BucketKeyEnabled: pulumi.Bool(true), // fewer KMS calls, lower cost
		}},
	}, parent); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, parent); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, parent); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: bucket.Arn.ApplyT(tlsOnlyPolicy).(pulumi.StringOutput),
	}, parent); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String("expire-noncurrent-versions"),
			Status: pulumi.String("Enabled"),
			Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(NoncurrentDays),
			},
			AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
				DaysAfterInitiation: pulumi.Int(7),
			},
		}},
	}, parent, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return nil, err
	}
	return versioning, nil
}

// adopted adds the import of an adopted bucket (its id is its name) to opts.
func adopted(a *Args, opts ...pulumi.ResourceOption) []pulumi.ResourceOption {
	if a.Adopted {
		opts = append(opts, pulumi.Import(pulumi.ID(a.BucketName)))
	}
	return opts
}
