// Package backup provides the AWS Backup plan for one region's Aurora cluster: a vault in this
// region, a daily backup kept for a retention set by profile, and a copy of every recovery
// point to the vault of the same name in the peer region. A global database replicates a
// DROP TABLE or a bad migration to the peer within a second; a recovery point from before the
// bad write, held outside the database, is what survives it.
//
// Each stack owns only its own region's resources: this stack creates its vault and plan, and
// names the peer's vault (created by the peer stack) by ARN.
package backup

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Schedule is daily at 18:00 UTC (03:00 in Japan), outside the AGM day.
const Schedule = "cron(0 18 * * ? *)"

// ServiceRolePolicy is the AWS managed policy that lets AWS Backup snapshot and copy.
const ServiceRolePolicy = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"

// RestoreRolePolicy is the AWS managed policy that lets AWS Backup restore: the restore
// actions (rds:RestoreDBClusterFromSnapshot, rds:CreateDBInstance, ...) are in it, not in the
// backup policy (AWS managed policy reference, AWSBackupServiceRolePolicyForRestores;
// https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html). The
// operator who starts a restore job with this role also needs iam:PassRole on it
// (docs/backups.md).
const RestoreRolePolicy = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"

// Vault lock bounds (production). AWS Backup vault lock in compliance mode cannot be removed
// once ChangeableForDays has passed (minimum 3 days of grace): recovery points can then not be
// deleted early by anyone, including an account administrator. "Backup enforces a 72-hour
// cooling-off period before Vault Lock takes effect ... you must set ChangeableForDays to 3 or
// greater" (AWS Backup API, PutBackupVaultLockConfiguration,
// https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html).
const (
	LockChangeableForDays = 3
	LockMaxRetentionDays  = 3650
)

// Args describe one region's backup of its Aurora cluster.
type Args struct {
	VaultName     string             // this region's vault; the peer's has the same name
	PeerVaultArn  string             // the peer region's vault (owned by the peer stack)
	CopyToPeer    bool               // false until the peer stack (and its vault) is deployed
	KmsKeyArn     pulumi.StringInput // this region's key
	ClusterArn    pulumi.StringInput // the Aurora cluster to back up
	RetentionDays int                // recovery points (and their copies) kept this long
	MinDays       int                // the shortest retention allowed (the vault lock's minimum)
	Lock          bool               // vault lock in compliance mode (production)
}

// Backup is one region's vault and plan.
type Backup struct {
	pulumi.ResourceState
	VaultName pulumi.StringOutput `pulumi:"vaultName"`
	PlanID    pulumi.StringOutput `pulumi:"planId"`
}

var vaultNameRe = regexp.MustCompile(`^[a-zA-Z0-9_-]{2,50}$`)

func (a *Args) validate() error {
	switch {
	case !vaultNameRe.MatchString(a.VaultName):
		return fmt.Errorf("vault name %q: 2-50 letters, digits, - or _", a.VaultName)
	case a.MinDays < 1:
		return errors.New("the minimum retention must be set")
	case a.RetentionDays < a.MinDays:
		return fmt.Errorf("retention %d days is below the minimum of %d", a.RetentionDays, a.MinDays)
	case a.RetentionDays > LockMaxRetentionDays:
		return fmt.Errorf("retention %d days is above %d", a.RetentionDays, LockMaxRetentionDays)
	case a.CopyToPeer && a.PeerVaultArn == "":
		return errors.New("the peer vault ARN is required to copy to the peer region")
	case a.KmsKeyArn == nil:
		return errors.New("a KMS key is required for the vault")
	case a.ClusterArn == nil:
		return errors.New("the Aurora cluster ARN is required")
	}
	return nil
}

// New registers the vault (locked in production), the plan and the selection of the cluster.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backup, error) {
	if args == nil {
		return nil, errors.New("backup: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("backup %s: %w", name, err)
	}
	b := &Backup{}
	if err := ctx.RegisterComponentResource("agm-dr:backup:Backup", name, b, opts...); err != nil {
		return nil, fmt.Errorf("backup %s: %w", name, err)
	}
	if err := b.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("backup %s: %w", name, err)
	}
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{"vaultName": b.VaultName, "planId": b.PlanID})
}

func (b *Backup) build(ctx *pulumi.Context, name string, a *Args) error {
	parent := pulumi.Parent(b)
	// The vault holds the recovery points: protected and retained like the data it protects.
	vault, err := backup.NewVault(ctx, name+"-vault", &backup.VaultArgs{
		Name:         pulumi.String(a.VaultName),
		KmsKeyArn:    a.KmsKeyArn,
		ForceDestroy: pulumi.Bool(false),
	}, parent, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	if a.Lock {
		if _, err := backup.NewVaultLockConfiguration(ctx, name+"-lock", &backup.VaultLockConfigurationArgs{
			BackupVaultName:   vault.Name,
			MinRetentionDays:  pulumi.Int(a.MinDays),
			MaxRetentionDays:  pulumi.Int(LockMaxRetentionDays),
			ChangeableForDays: pulumi.Int(LockChangeableForDays),
		}, parent, pulumi.Protect(true), pulumi.RetainOnDelete(true)); err != nil {
			return err
		}
	}
	role, err := serviceRole(ctx, name, parent)
	if err != nil {
		return err
	}
	rule := &backup.PlanRuleArgs{
		RuleName:         pulumi.String("daily"),
		TargetVaultName:  vault.Name,
		Schedule:         pulumi.String(Schedule),
		StartWindow:      pulumi.Int(60),
		CompletionWindow: pulumi.Int(360),
		Lifecycle:        &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(a.RetentionDays)},
	}
	if a.CopyToPeer {
		rule.CopyActions = backup.PlanRuleCopyActionArray{&backup.PlanRuleCopyActionArgs{
			DestinationVaultArn: pulumi.String(a.PeerVaultArn),
			Lifecycle:           &backup.PlanRuleCopyActionLifecycleArgs{DeleteAfter: pulumi.Int(a.RetentionDays)},
		}}
	}
	plan, err := backup.NewPlan(ctx, name+"-plan", &backup.PlanArgs{
		Name:  pulumi.String(a.VaultName + "-daily"),
		Rules: backup.PlanRuleArray{rule},
	}, parent)
	if err != nil {
		return err
	}
	if _, err := backup.NewSelection(ctx, name+"-selection", &backup.SelectionArgs{
		Name:       pulumi.String(a.VaultName + "-aurora"),
		PlanId:     plan.ID().ToStringOutput(),
		IamRoleArn: role.Arn,
		Resources:  pulumi.StringArray{a.ClusterArn},
	}, parent); err != nil {
		return err
	}
	b.VaultName = vault.Name
	b.PlanID = plan.ID().ToStringOutput()
	return nil
}

func serviceRole(ctx *pulumi.Context, name string, parent pulumi.ResourceOption) (*iam.Role, error) {
	trust, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect": "Allow", "Principal": map[string]any{"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole",
		}},
	})
	if err != nil {
		return nil, err
	}
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(string(trust)),
		Description:      pulumi.String("AWS Backup snapshots, copies and restores the Aurora cluster"),
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err = iam.NewRolePolicyAttachment(ctx, name+"-role-policy", &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(ServiceRolePolicy),
	}, parent); err != nil {
		return nil, err
	}
	_, err = iam.NewRolePolicyAttachment(ctx, name+"-role-restores", &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(RestoreRolePolicy),
	}, parent)
	return role, err
}
