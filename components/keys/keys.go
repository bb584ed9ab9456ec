// Package keys provides each region's customer-managed KMS key. KMS keys are regional, so every
// region encrypts its own data with its own key; both regions use the same alias name so either
// stack can name the peer's key deterministically (see AliasArn) without reading its state.
package keys

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DeletionWindowDays is the longest window KMS allows: a key scheduled for deletion by
// mistake can be recovered for this long.
const DeletionWindowDays = 30

// Args describe one region's key.
type Args struct {
	Alias       string // e.g. "alias/agm-dr"; the same name in both regions
	Description string
	AccountID   string // 12-digit AWS account id
	Region      string // the region the key lives in (the stack's region)
}

// Key is a rotating customer-managed key with its alias.
type Key struct {
	pulumi.ResourceState
	KeyArn    pulumi.StringOutput `pulumi:"keyArn"`
	KeyID     pulumi.StringOutput `pulumi:"keyId"`
	AliasName pulumi.StringOutput `pulumi:"aliasName"`
	AliasArn  pulumi.StringOutput `pulumi:"aliasArn"`
}

// AliasArn is the ARN of an alias in a region, e.g. to refer to the peer region's key.
// An alias ARN is accepted where a key is named for use (S3 replicaKmsKeyId, Secrets Manager
// replica kmsKeyId) but not as the Resource of an IAM policy statement.
func AliasArn(region, accountID, alias string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, accountID, alias)
}

var (
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	aliasRe   = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]+$`)
)

func (a *Args) validate() error {
	switch {
	case !aliasRe.MatchString(a.Alias):
		return fmt.Errorf("alias %q must look like alias/<name>", a.Alias)
	case strings.HasPrefix(a.Alias, "alias/aws/"):
		return fmt.Errorf("alias %q: the alias/aws/ prefix is reserved for AWS managed keys", a.Alias)
	case !accountRe.MatchString(a.AccountID):
		return fmt.Errorf("account id %q must be 12 digits", a.AccountID)
	case !regionRe.MatchString(a.Region):
		return fmt.Errorf("region %q is not a region code", a.Region)
	}
	return nil
}

// New creates the key and its alias. The key is protected and retained on delete: every
// encrypted resource in the region (Aurora, cache, bucket, secrets) is unreadable without it.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Key, error) {
	if args == nil {
		return nil, errors.New("keys: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("keys %s: %w", name, err)
	}
	k := &Key{}
	if err := ctx.RegisterComponentResource("agm-dr:keys:Key", name, k, opts...); err != nil {
		return nil, fmt.Errorf("keys %s: %w", name, err)
	}
	policy, err := keyPolicy(args.AccountID, args.Region)
	if err != nil {
		return nil, fmt.Errorf("keys %s: %w", name, err)
	}
	desc := args.Description
	if desc == "" {
		desc = "agm-dr data in " + args.Region
	}
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String(desc),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(DeletionWindowDays),
		Policy:               pulumi.String(policy),
	}, pulumi.Parent(k), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("keys %s: %w", name, err)
	}
	alias, err := kms.NewAlias(ctx, name+"-alias", &kms.AliasArgs{
		Name:        pulumi.String(args.Alias),
		TargetKeyId: key.KeyId,
	}, pulumi.Parent(k))
	if err != nil {
		return nil, fmt.Errorf("keys %s: %w", name, err)
	}
	k.KeyArn = key.Arn
	k.KeyID = key.KeyId
	k.AliasName = alias.Name
	k.AliasArn = alias.Arn
	return k, ctx.RegisterResourceOutputs(k, pulumi.Map{
		"keyArn": k.KeyArn, "keyId": k.KeyID, "aliasName": k.AliasName, "aliasArn": k.AliasArn,
	})
}
