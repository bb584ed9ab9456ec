// Package secrets provides generated secrets (database master password, cache AUTH token) that
// live in Secrets Manager in the home region and are replicated to the peer region. The peer
// reads its local replica, so it can start while the home region is down.
package secrets

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// MinLength is the shortest value generated; ElastiCache AUTH tokens need at least 16.
	MinLength = 16
	// MaxLength is the longest value both consumers accept (ElastiCache AUTH and RDS
	// PostgreSQL passwords stop at 128 characters; Aurora MySQL at 41).
	MaxLength = 128
	// RecoveryWindowDays is the longest Secrets Manager allows before a deleted secret is gone.
	RecoveryWindowDays = 30
	// specials are the punctuation allowed when Special is set: printable, and none of
	// / @ " ' or space, which RDS master passwords and ElastiCache AUTH tokens reject or which
	// break connection strings.
	specials = "!#$%&*()-_=+[]{}<>:?"
)

// Args describe one secret.
type Args struct {
	IsHome        bool               // the home region creates the secret; the peer reads its replica
	SecretName    string             // deterministic, e.g. "agm-dr/aurora-master"
	KmsKeyArn     pulumi.StringInput // this region's key (home: the secret's key)
	PeerRegion    string             // where the replica lives (home only)
	PeerKmsKeyArn string             // the peer's key ARN or alias ARN, for the replica (home only)
	Length        int                // generated length, MinLength..MaxLength
	Special       bool               // include punctuation from a safe set; false: letters and digits only
	// Value, when set, is the secret's value instead of a generated one (home only): an adopted
	// cluster's live password, which the import does not change.
	Value pulumi.StringInput
}

// Secret is a replicated generated secret, or its local replica in the peer region.
type Secret struct {
	pulumi.ResourceState
	SecretName pulumi.StringOutput `pulumi:"secretName"`
	SecretArn  pulumi.StringOutput `pulumi:"secretArn"` // home: the primary secret; peer: the replica
	Value      pulumi.StringOutput `pulumi:"value"`     // always marked secret
}

var (
	nameRe   = regexp.MustCompile(`^[a-zA-Z0-9/_+=.@-]{1,512}$`)
	regionRe = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

func (a *Args) validate() error {
	switch {
	case !nameRe.MatchString(a.SecretName):
		return fmt.Errorf("secret name %q is not a valid Secrets Manager name", a.SecretName)
	case a.Length < MinLength || a.Length > MaxLength:
		return fmt.Errorf("length %d must be within %d..%d", a.Length, MinLength, MaxLength)
	case !a.IsHome:
		return nil
	case a.KmsKeyArn == nil:
		return errors.New("a KMS key ARN is required in the home region")
	case !regionRe.MatchString(a.PeerRegion):
		return fmt.Errorf("peer region %q is not a region code", a.PeerRegion)
	case a.PeerKmsKeyArn == "":
		return errors.New("the peer's KMS key (alias) ARN is required for the replica")
	}
	return nil
}

// New creates the secret (home) or reads the local replica (peer).
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Secret, error) {
	if args == nil {
		return nil, errors.New("secrets: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("secrets %s: %w", name, err)
	}
	s := &Secret{}
	if err := ctx.RegisterComponentResource("agm-dr:secrets:Secret", name, s, opts...); err != nil {
		return nil, fmt.Errorf("secrets %s: %w", name, err)
	}
	var err error
	if args.IsHome {
		err = s.create(ctx, name, args)
	} else {
		s.readReplica(ctx, args)
	}
	if err != nil {
		return nil, fmt.Errorf("secrets %s: %w", name, err)
	}
	return s, ctx.RegisterResourceOutputs(s, pulumi.Map{
		"secretName": s.SecretName, "secretArn": s.SecretArn, "value": s.Value,
	})
}

// create generates the value and stores it in a secret replicated to the peer. The generated
// value and the secret are protected: replacing either would change a live password.
func (s *Secret) create(ctx *pulumi.Context, name string, args *Args) error {
	value, err := s.value(ctx, name, args)
	if err != nil {
		return err
	}
	secret, err := secretsmanager.NewSecret(ctx, name, &secretsmanager.SecretArgs{
		Name:                 pulumi.String(args.SecretName),
		KmsKeyId:             args.KmsKeyArn,
		RecoveryWindowInDays: pulumi.Int(RecoveryWindowDays),
		Replicas: secretsmanager.SecretReplicaArray{&secretsmanager.SecretReplicaArgs{
			Region:   pulumi.String(args.PeerRegion),
			KmsKeyId: pulumi.String(args.PeerKmsKeyArn),
		}},
	}, pulumi.Parent(s), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	if _, err := secretsmanager.NewSecretVersion(ctx, name, &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: value,
	}, pulumi.Parent(s)); err != nil {
		return err
	}
	s.SecretName = secret.Name
	s.SecretArn = secret.Arn
	s.Value = pulumi.ToSecret(value).(pulumi.StringOutput)
	return nil
}

// readReplica reads the replica in this (the peer) region by name; it needs nothing from the
// home region.
func (s *Secret) readReplica(ctx *pulumi.Context, args *Args) {
	v := secretsmanager.LookupSecretVersionOutput(ctx, secretsmanager.LookupSecretVersionOutputArgs{
		SecretId: pulumi.String(args.SecretName),
	}, pulumi.Parent(s))
	s.SecretName = pulumi.String(args.SecretName).ToStringOutput()
	s.SecretArn = v.Arn()
	s.Value = pulumi.ToSecret(v.SecretString()).(pulumi.StringOutput)
}

// value is the secret's value: Args.Value when given, else a generated password.
func (s *Secret) value(ctx *pulumi.Context, name string, args *Args) (pulumi.StringOutput, error) {
	if args.Value != nil {
		return pulumi.ToSecret(args.Value).(pulumi.StringOutput), nil
	}
	pwArgs := &random.RandomPasswordArgs{
		Length:     pulumi.Int(args.Length),
		Special:    pulumi.Bool(args.Special),
		MinUpper:   pulumi.Int(1),
		MinLower:   pulumi.Int(1),
		MinNumeric: pulumi.Int(1),
	}
	if args.Special {
		pwArgs.OverrideSpecial = pulumi.String(specials)
	}
	pw, err := random.NewRandomPassword(ctx, name+"-value", pwArgs, pulumi.Parent(s), pulumi.Protect(true))
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pw.Result, nil
}
