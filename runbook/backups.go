package runbook

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"

	"github.com/agm-dr/agm-dr/config"
)

// BackupAPI is the one AWS Backup call the backups view needs (read-only).
type BackupAPI interface {
	ListRecoveryPointsByBackupVault(ctx context.Context, in *backup.ListRecoveryPointsByBackupVaultInput, opts ...func(*backup.Options)) (*backup.ListRecoveryPointsByBackupVaultOutput, error)
}

// BackupFactory returns the AWS Backup reader of one region.
type BackupFactory func(ctx context.Context, region string) (BackupAPI, error)

// NewBackupAPI builds the AWS Backup client of one region from the standard AWS configuration.
func NewBackupAPI(ctx context.Context, region string) (BackupAPI, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("aws config for %s: %w", region, err)
	}
	return backup.NewFromConfig(cfg), nil
}

// RecoveryPoint is one completed recovery point in a region's vault.
type RecoveryPoint struct {
	Arn         string
	ResourceArn string // the backed-up cluster; another region's cluster for a copy
	Created     time.Time
	Age         time.Duration
}

// RegionBackups is what a region's vault holds: its latest completed recovery point (nil when
// there is none) and how many completed points it holds.
type RegionBackups struct {
	Region    string
	Vault     string
	Latest    *RecoveryPoint
	Completed int
	Err       error
}

// LatestBackups reads, per region, the vault's completed recovery points (its own backups and
// the peer's copies: both restore in this region) and returns the latest. A region that cannot
// be read carries its error; the other region is still read.
func LatestBackups(ctx context.Context, api BackupFactory, vault string, regions []string, now time.Time) []RegionBackups {
	var out []RegionBackups
	for _, region := range regions {
		rb := RegionBackups{Region: region, Vault: vault}
		rb.Latest, rb.Completed, rb.Err = latest(ctx, api, region, vault, now)
		out = append(out, rb)
	}
	return out
}

func latest(ctx context.Context, api BackupFactory, region, vault string, now time.Time) (*RecoveryPoint, int, error) {
	client, err := api(ctx, region)
	if err != nil {
		return nil, 0, err
	}
	var best *RecoveryPoint
	n := 0
	p := backup.NewListRecoveryPointsByBackupVaultPaginator(client, &backup.ListRecoveryPointsByBackupVaultInput{
		BackupVaultName: aws.String(vault),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("listing recovery points of vault %s in %s: %w", vault, region, err)
		}
		for _, rp := range page.RecoveryPoints {
			if rp.Status != backuptypes.RecoveryPointStatusCompleted || rp.CreationDate == nil {
				continue
			}
			n++
			if best == nil || rp.CreationDate.After(best.Created) {
				best = &RecoveryPoint{Arn: aws.ToString(rp.RecoveryPointArn), ResourceArn: aws.ToString(rp.ResourceArn),
					Created: *rp.CreationDate, Age: now.Sub(*rp.CreationDate)}
			}
		}
	}
	return best, n, nil
}

// BackupAgeChecks turns the regions' latest recovery points into readiness checks: each region
// must hold a completed recovery point no older than maxAge.
func BackupAgeChecks(rbs []RegionBackups, maxAge time.Duration) []Check {
	var out []Check
	for _, rb := range rbs {
		c := Check{Name: "backup in " + rb.Region}
		fix := fmt.Sprintf("look at the AWS Backup jobs of plan %s-daily in %s (console or `aws backup list-backup-jobs --region %s`); start an on-demand backup if the last one failed",
			rb.Vault, rb.Region, rb.Region)
		switch {
		case rb.Err != nil:
			out = append(out, c.fail("could not read vault "+rb.Vault+": "+rb.Err.Error(), "check AWS credentials and that vault "+rb.Vault+" exists in "+rb.Region))
		case rb.Latest == nil:
			out = append(out, c.fail("vault "+rb.Vault+" holds no completed recovery point", fix))
		case rb.Latest.Age > maxAge:
			out = append(out, c.fail(fmt.Sprintf("latest recovery point is %s old (from %s), over the maximum of %s",
				rb.Latest.Age.Round(time.Minute), rb.Latest.Created.UTC().Format(time.RFC3339), maxAge), fix))
		default:
			out = append(out, c.pass(fmt.Sprintf("latest recovery point %s old (from %s), within %s",
				rb.Latest.Age.Round(time.Minute), rb.Latest.Created.UTC().Format(time.RFC3339), maxAge)))
		}
	}
	return out
}

// backupChecks is the max-age check of `drctl check` over the regions in scope (unplanned:
// only the target, the old region may be down). In unplanned mode a missing or stale backup only
// warns: a failover away from a dead region must not wait for a backup job. Without a reader
// (d.Backups nil) it is skipped.
func backupChecks(ctx context.Context, d ReadDeps, cfg config.Config, regions []string, mode config.Mode) []Check {
	if d.Backups == nil {
		return nil
	}
	now := time.Now()
	if d.Now != nil {
		now = d.Now()
	}
	rbs := LatestBackups(ctx, d.Backups, cfg.BackupVaultName(), regions, now)
	checks := BackupAgeChecks(rbs, time.Duration(cfg.Backup.MaxAgeHours)*time.Hour)
	if mode == config.Unplanned {
		for i := range checks {
			if checks[i].Status == Fail {
				checks[i].Status = Warn
				checks[i].Fix += "; an unplanned failover does not wait for it: take a backup in the new primary region once it serves"
			}
		}
	}
	return checks
}
