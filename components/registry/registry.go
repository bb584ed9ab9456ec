// Package registry provides the region's ECR repository for the application image. The home
// region's registry replicates to the peer, so both regions pull the same image (same tag, same
// digest) from their own registry and neither depends on the other at deploy or scale-out time.
package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DefaultKeepImages is how many images the lifecycle policy keeps when Args.KeepImages is 0:
// enough to roll back across an AGM season.
const DefaultKeepImages = 100

// Args describe one region's repository.
type Args struct {
	RepositoryName string // e.g. "agm-dr/app"; the same in both regions
	IsHome         bool   // the home registry replicates to the peer
	PeerRegion     string
	AccountID      string // 12-digit AWS account id (the registry id)
	Region         string // this stack's region
	KmsKeyArn      pulumi.StringInput
	KeepImages     int // images kept by the lifecycle policy; 0 means DefaultKeepImages

	// PeerDeployed: the peer stack has created its own repository. Replication waits for it:
	// ECR creates a missing destination repository itself on the first replicated push (with
	// default settings), and the peer's own create then fails with RepositoryAlreadyExists.
	PeerDeployed bool
}

// Registry is the repository (and, in the home region, the registry's replication rule).
type Registry struct {
	pulumi.ResourceState
	RepositoryURL  pulumi.StringOutput `pulumi:"repositoryUrl"`
	RepositoryArn  pulumi.StringOutput `pulumi:"repositoryArn"`
	RepositoryName pulumi.StringOutput `pulumi:"repositoryName"`
}

// ImageRef is the reference to an image in a region's registry: "<repo-url>:<tag>", or
// "<repo-url>@sha256:..." when tagOrDigest is a digest. Both regions hold the same image under
// the same reference but their own registry host.
func ImageRef(accountID, region, repository, tagOrDigest string) string {
	url := fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", accountID, region, repository)
	d := strings.TrimPrefix(tagOrDigest, "@")
	if strings.HasPrefix(d, "sha256:") {
		return url + "@" + d
	}
	return url + ":" + tagOrDigest
}

var (
	repoRe    = regexp.MustCompile(`^([a-z0-9]+([._-][a-z0-9]+)*/)*[a-z0-9]+([._-][a-z0-9]+)*$`)
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

func (a *Args) validate() error {
	switch {
	case len(a.RepositoryName) < 2 || len(a.RepositoryName) > 256 || !repoRe.MatchString(a.RepositoryName):
		return fmt.Errorf("repository name %q is not a valid ECR repository name", a.RepositoryName)
	case !accountRe.MatchString(a.AccountID):
		return fmt.Errorf("account id %q must be 12 digits", a.AccountID)
	case !regionRe.MatchString(a.Region):
		return fmt.Errorf("region %q is not a region code", a.Region)
	case !regionRe.MatchString(a.PeerRegion) || a.PeerRegion == a.Region:
		return fmt.Errorf("peer region %q must be a region code other than %s", a.PeerRegion, a.Region)
	case a.KmsKeyArn == nil:
		return errors.New("a KMS key ARN is required")
	case a.KeepImages < 0:
		return fmt.Errorf("keepImages %d must not be negative", a.KeepImages)
	}
	return nil
}

// New creates the repository, its lifecycle policy and, in the home region once the peer is
// deployed, the replication rule to the peer. The peer's repository is created by the peer's
// stack (with its own key, immutable tags and lifecycle) before replication writes into it.
// AWS facts (ECR User Guide, "Private image replication"): a destination repository that does
// not exist is created by ECR on the first replicated push (settings from a matching repository
// creation template, else defaults); only content pushed after the rule exists is replicated.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Registry, error) {
	if args == nil {
		return nil, errors.New("registry: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("registry %s: %w", name, err)
	}
	r := &Registry{}
	if err := ctx.RegisterComponentResource("agm-dr:registry:Registry", name, r, opts...); err != nil {
		return nil, fmt.Errorf("registry %s: %w", name, err)
	}
	wrap := func(err error) error { return fmt.Errorf("registry %s: %w", name, err) }

	// IMMUTABLE: a tag names one image, in both regions, for good.
	repo, err := ecr.NewRepository(ctx, name, &ecr.RepositoryArgs{
		Name:               pulumi.String(args.RepositoryName),
		ImageTagMutability: pulumi.String("IMMUTABLE"),
		ForceDelete:        pulumi.Bool(false),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{
			ScanOnPush: pulumi.Bool(true),
		},
		EncryptionConfigurations: ecr.RepositoryEncryptionConfigurationArray{&ecr.RepositoryEncryptionConfigurationArgs{
			EncryptionType: pulumi.String("KMS"),
			KmsKey:         args.KmsKeyArn,
		}},
	}, pulumi.Parent(r), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, wrap(err)
	}
	keep := args.KeepImages
	if keep == 0 {
		keep = DefaultKeepImages
	}
	lifecycle, err := lifecyclePolicy(keep)
	if err != nil {
		return nil, wrap(err)
	}
	if _, err := ecr.NewLifecyclePolicy(ctx, name+"-lifecycle", &ecr.LifecyclePolicyArgs{
		Repository: repo.Name,
		Policy:     pulumi.String(lifecycle),
	}, pulumi.Parent(r)); err != nil {
		return nil, wrap(err)
	}
	if args.IsHome && args.PeerDeployed {
		// Registry-wide: one replication configuration per registry and region. This is the
		// only one the project declares.
		if _, err := ecr.NewReplicationConfiguration(ctx, name+"-replication", &ecr.ReplicationConfigurationArgs{
			ReplicationConfiguration: &ecr.ReplicationConfigurationReplicationConfigurationArgs{
				Rules: ecr.ReplicationConfigurationReplicationConfigurationRuleArray{&ecr.ReplicationConfigurationReplicationConfigurationRuleArgs{
					Destinations: ecr.ReplicationConfigurationReplicationConfigurationRuleDestinationArray{
						&ecr.ReplicationConfigurationReplicationConfigurationRuleDestinationArgs{
							Region:     pulumi.String(args.PeerRegion),
							RegistryId: pulumi.String(args.AccountID),
						},
					},
					RepositoryFilters: ecr.ReplicationConfigurationReplicationConfigurationRuleRepositoryFilterArray{
						&ecr.ReplicationConfigurationReplicationConfigurationRuleRepositoryFilterArgs{
							Filter:     pulumi.String(args.RepositoryName),
							FilterType: pulumi.String("PREFIX_MATCH"),
						},
					},
				}},
			},
		}, pulumi.Parent(r)); err != nil {
			return nil, wrap(err)
		}
	}

	r.RepositoryURL, r.RepositoryArn, r.RepositoryName = repo.RepositoryUrl, repo.Arn, repo.Name
	return r, ctx.RegisterResourceOutputs(r, pulumi.Map{
		"repositoryUrl": r.RepositoryURL, "repositoryArn": r.RepositoryArn, "repositoryName": r.RepositoryName,
	})
}

// lifecyclePolicy expires all but the newest keep images.
func lifecyclePolicy(keep int) (string, error) {
	b, err := json.Marshal(map[string]any{"rules": []map[string]any{{
		"rulePriority": 1,
		"description":  fmt.Sprintf("keep the newest %d images", keep),
		"selection":    map[string]any{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep},
		"action":       map[string]string{"type": "expire"},
	}}})
	return string(b), err
}
