package dns

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/keys"
)

// ControlRegion is where Route 53 needs both the DNSSEC signing key and the query-log group:
//   - "The customer managed key that you use with DNSSEC signing must be in the US East
//     (N. Virginia) Region", an asymmetric ECC_NIST_P256 key
//     (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-cmk-requirements.html);
//   - "You must create the log group in the us-east-1 region" (Route 53 API
//     CreateQueryLoggingConfig, https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateQueryLoggingConfig.html).
//
// So these resources go through an explicit aws provider for us-east-1, never the stack's.
const ControlRegion = "us-east-1"

// QueryLogPrefix is the log group prefix Route 53 query logs use (AWS's recommendation).
const QueryLogPrefix = "/aws/route53/"

// ZoneProtectionArgs describe DNSSEC signing and query logging of a zone this stack created.
type ZoneProtectionArgs struct {
	ZoneID           pulumi.StringInput
	DomainName       string
	AccountID        string
	NamePrefix       string // names the keys (alias/<prefix>-dnssec, alias/<prefix>-route53-logs)
	LogRetentionDays int
	// AlarmEmail receives the DNSSEC alarms (optional: the topic exists either way).
	AlarmEmail string
	// DelegationProven are resources that exist only once resolvers reach this zone through its
	// parent (the certificate's DNS validation): signing waits for them, so a first `up` does
	// not enable signing before the zone's delegation works.
	DelegationProven []pulumi.Resource
}

// ZoneProtection signs the zone (DNSSEC) and logs its queries.
type ZoneProtection struct {
	pulumi.ResourceState
	KeySigningKeyArn pulumi.StringOutput `pulumi:"keySigningKeyArn"`
	QueryLogGroupArn pulumi.StringOutput `pulumi:"queryLogGroupArn"`
}

var prefixRe = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}$`)

func (a *ZoneProtectionArgs) validate() error {
	switch {
	case a.ZoneID == nil:
		return errors.New("ZoneID is required")
	case a.DomainName == "":
		return errors.New("DomainName is required")
	case !regexp.MustCompile(`^[0-9]{12}$`).MatchString(a.AccountID):
		return fmt.Errorf("account id %q must be 12 digits", a.AccountID)
	case !prefixRe.MatchString(a.NamePrefix):
		return fmt.Errorf("name prefix %q", a.NamePrefix)
	case a.LogRetentionDays < 1:
		return errors.New("LogRetentionDays must be set")
	}
	return nil
}

// NewZoneProtection registers, through its own us-east-1 provider: the DNSSEC key, the
// key-signing key and signing, the alarms AWS recommends on them (dnssecalarms.go), the query-log
// key and group, the log resource policy for Route 53, and the query log.
//
// The key, the key-signing key and the signing are protected and retained: deleting or
// deactivating any of them while the parent zone holds this zone's DS record takes the zone off
// the air for validating resolvers. Disabling DNSSEC is a manual procedure in AWS's order
// (docs/runbook.md, "Disabling DNSSEC"): remove the DS record from the parent, wait out its
// TTL, disable signing, deactivate the key-signing key, then delete it
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-disable.html).
func NewZoneProtection(ctx *pulumi.Context, name string, args *ZoneProtectionArgs, opts ...pulumi.ResourceOption) (*ZoneProtection, error) {
	if args == nil {
		return nil, fmt.Errorf("dns zone protection %s: args are required", name)
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("dns zone protection %s: %w", name, err)
	}
	z := &ZoneProtection{}
	if err := ctx.RegisterComponentResource("agm-dr:dns:ZoneProtection", name, z, opts...); err != nil {
		return nil, fmt.Errorf("dns zone protection %s: %w", name, err)
	}
	if err := z.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("dns zone protection %s: %w", name, err)
	}
	return z, ctx.RegisterResourceOutputs(z, pulumi.Map{
		"keySigningKeyArn": z.KeySigningKeyArn, "queryLogGroupArn": z.QueryLogGroupArn,
	})
}

func (z *ZoneProtection) build(ctx *pulumi.Context, name string, a *ZoneProtectionArgs) error {
	east, err := aws.NewProvider(ctx, name+"-"+ControlRegion, &aws.ProviderArgs{Region: pulumi.String(ControlRegion)}, pulumi.Parent(z))
	if err != nil {
		return err
	}
	inEast := []pulumi.ResourceOption{pulumi.Parent(z), pulumi.Provider(east)}

	// DNSSEC
	policy, err := dnssecKeyPolicy(a.AccountID)
	if err != nil {
		return err
	}
	key, err := kms.NewKey(ctx, name+"-dnssec", &kms.KeyArgs{
		Description:           pulumi.String("agm-dr: DNSSEC key-signing key of " + a.DomainName),
		CustomerMasterKeySpec: pulumi.String("ECC_NIST_P256"),
		KeyUsage:              pulumi.String("SIGN_VERIFY"),
		DeletionWindowInDays:  pulumi.Int(keys.DeletionWindowDays),
		Policy:                pulumi.String(policy),
	}, append(inEast, pulumi.Protect(true), pulumi.RetainOnDelete(true))...)
	if err != nil {
		return err
	}
	ksk, err := route53.NewKeySigningKey(ctx, name+"-ksk", &route53.KeySigningKeyArgs{
		HostedZoneId:            a.ZoneID,
		KeyManagementServiceArn: key.Arn,
		Name:                    pulumi.String("agm_dr_ksk"),
		Status:                  pulumi.String("ACTIVE"),
	}, pulumi.Parent(z), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	if _, err := route53.NewHostedZoneDnsSec(ctx, name+"-dnssec", &route53.HostedZoneDnsSecArgs{
		HostedZoneId:  ksk.HostedZoneId,
		SigningStatus: pulumi.String("SIGNING"),
	}, pulumi.Parent(z), pulumi.Protect(true), pulumi.RetainOnDelete(true),
		pulumi.DependsOn(append([]pulumi.Resource{ksk}, a.DelegationProven...))); err != nil {
		return err
	}

	// Query logging: a KMS-encrypted group in us-east-1 (AGM-LOG-002), with its own key there.
	logsKey, err := keys.New(ctx, name+"-logs-key", &keys.Args{
		Alias:       "alias/" + a.NamePrefix + "-route53-logs",
		Description: "agm-dr: Route 53 query logs of " + a.DomainName,
		AccountID:   a.AccountID,
		Region:      ControlRegion,
	}, pulumi.Parent(z), pulumi.Providers(east))
	if err != nil {
		return err
	}
	group, err := cloudwatch.NewLogGroup(ctx, name+"-query-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(QueryLogPrefix + a.DomainName),
		KmsKeyId:        logsKey.KeyArn,
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
	}, inEast...)
	if err != nil {
		return err
	}
	doc, err := queryLogPolicy(a.AccountID)
	if err != nil {
		return err
	}
	rp, err := cloudwatch.NewLogResourcePolicy(ctx, name+"-query-logs", &cloudwatch.LogResourcePolicyArgs{
		PolicyName:     pulumi.String(a.NamePrefix + "-route53-query-logs"),
		PolicyDocument: pulumi.String(doc),
	}, inEast...)
	if err != nil {
		return err
	}
	if _, err := route53.NewQueryLog(ctx, name+"-query-log", &route53.QueryLogArgs{
		ZoneId:                a.ZoneID,
		CloudwatchLogGroupArn: group.Arn,
	}, pulumi.Parent(z), pulumi.DependsOn([]pulumi.Resource{rp})); err != nil {
		return err
	}
	if err := dnssecAlarms(ctx, name, a, logsKey.KeyArn, inEast); err != nil {
		return err
	}
	z.KeySigningKeyArn = key.Arn
	z.QueryLogGroupArn = group.Arn
	return nil
}

// dnssecKeyPolicy: the account administers the key; Route 53 DNSSEC may use it for this
// account's zones only (the statements of "Route 53 customer managed key permissions required
// for DNSSEC signing", Route 53 developer guide).
func dnssecKeyPolicy(account string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "AccountAdministers", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
				"Action": "kms:*", "Resource": "*"},
			{"Sid": "Route53DnssecSigns", "Effect": "Allow", "Principal": map[string]any{"Service": "dnssec-route53.amazonaws.com"},
				"Action": []string{"kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:Verify"}, "Resource": "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account},
					"ArnLike": map[string]any{"aws:SourceArn": "arn:aws:route53:::hostedzone/*"}}},
			{"Sid": "Route53DnssecCreatesGrant", "Effect": "Allow", "Principal": map[string]any{"Service": "dnssec-route53.amazonaws.com"},
				"Action": "kms:CreateGrant", "Resource": "*",
				"Condition": map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": "true"}}},
		},
	})
	return string(b), err
}

// queryLogPolicy lets Route 53 write query logs to this account's /aws/route53/* groups.
func queryLogPolicy(account string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid": "Route53QueryLogs", "Effect": "Allow", "Principal": map[string]any{"Service": "route53.amazonaws.com"},
			"Action":    []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource":  fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s*", ControlRegion, account, QueryLogPrefix),
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}},
		}},
	})
	return string(b), err
}
