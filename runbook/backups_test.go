package runbook_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

var backupNow = time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)

// fakeVault is one region's vault: its recovery points, served two per page so paging is
// exercised, and the calls made to it.
type fakeVault struct {
	points []backuptypes.RecoveryPointByBackupVault
	vaults []string // vault names asked for
	err    error
}

func (f *fakeVault) ListRecoveryPointsByBackupVault(_ context.Context, in *backup.ListRecoveryPointsByBackupVaultInput, _ ...func(*backup.Options)) (*backup.ListRecoveryPointsByBackupVaultOutput, error) {
	f.vaults = append(f.vaults, aws.ToString(in.BackupVaultName))
	if f.err != nil {
		return nil, f.err
	}
	start := 0
	if in.NextToken != nil {
		fmt.Sscan(*in.NextToken, &start)
	}
	end := min(start+2, len(f.points))
	out := &backup.ListRecoveryPointsByBackupVaultOutput{RecoveryPoints: f.points[start:end]}
	if end < len(f.points) {
		out.NextToken = aws.String(fmt.Sprint(end))
	}
	return out, nil
}

func point(arn string, age time.Duration, status backuptypes.RecoveryPointStatus) backuptypes.RecoveryPointByBackupVault {
	created := backupNow.Add(-age)
	return backuptypes.RecoveryPointByBackupVault{RecoveryPointArn: aws.String(arn), Status: status, CreationDate: &created,
		ResourceArn: aws.String("arn:aws:rds:ap-northeast-1:123456789012:cluster:agm-dr-ap-northeast-1")}
}

func factory(vaults map[string]*fakeVault, asked *[]string) runbook.BackupFactory {
	return func(_ context.Context, region string) (runbook.BackupAPI, error) {
		*asked = append(*asked, region)
		v, ok := vaults[region]
		if !ok {
			return nil, errors.New("region " + region + " unreachable")
		}
		return v, nil
	}
}

func TestLatestBackupsPicksTheNewestCompletedPointPerRegion(t *testing.T) {
	tokyo := &fakeVault{points: []backuptypes.RecoveryPointByBackupVault{
		point("rp-old", 50*time.Hour, backuptypes.RecoveryPointStatusCompleted),
		point("rp-running", time.Hour, backuptypes.RecoveryPointStatusPartial),
		point("rp-new", 5*time.Hour, backuptypes.RecoveryPointStatusCompleted),
		point("rp-mid", 20*time.Hour, backuptypes.RecoveryPointStatusCompleted),
		point("rp-expired", 2*time.Hour, backuptypes.RecoveryPointStatusExpired),
	}}
	var asked []string
	rbs := runbook.LatestBackups(context.Background(), factory(map[string]*fakeVault{config.Tokyo: tokyo}, &asked),
		"agm-dr-aurora", []string{config.Tokyo, config.Osaka}, backupNow)
	require.Len(t, rbs, 2)
	require.NoError(t, rbs[0].Err)
	require.NotNil(t, rbs[0].Latest)
	assert.Equal(t, "rp-new", rbs[0].Latest.Arn, "the newest completed point, not a partial or expired one")
	assert.Equal(t, 5*time.Hour, rbs[0].Latest.Age)
	assert.Equal(t, 3, rbs[0].Completed)
	assert.Equal(t, []string{"agm-dr-aurora", "agm-dr-aurora", "agm-dr-aurora"}, tokyo.vaults, "three pages of the named vault")
	assert.Error(t, rbs[1].Err, "an unreachable region carries its error")
	assert.Equal(t, []string{config.Tokyo, config.Osaka}, asked)
}

func TestBackupAgeChecks(t *testing.T) {
	rp := func(age time.Duration) *runbook.RecoveryPoint {
		return &runbook.RecoveryPoint{Arn: "rp", Created: backupNow.Add(-age), Age: age}
	}
	cases := []struct {
		name   string
		rb     runbook.RegionBackups
		status runbook.Status
		detail string
	}{
		{"fresh", runbook.RegionBackups{Latest: rp(3 * time.Hour)}, runbook.Pass, "3h0m0s old"},
		{"exactly at the limit", runbook.RegionBackups{Latest: rp(26 * time.Hour)}, runbook.Pass, "within 26h0m0s"},
		{"too old", runbook.RegionBackups{Latest: rp(27 * time.Hour)}, runbook.Fail, "over the maximum of 26h0m0s"},
		{"none", runbook.RegionBackups{}, runbook.Fail, "no completed recovery point"},
		{"unreadable", runbook.RegionBackups{Err: errors.New("AccessDenied")}, runbook.Fail, "AccessDenied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.rb.Region, tc.rb.Vault = config.Osaka, "agm-dr-aurora"
			cs := runbook.BackupAgeChecks([]runbook.RegionBackups{tc.rb}, 26*time.Hour)
			require.Len(t, cs, 1)
			assert.Equal(t, "backup in "+config.Osaka, cs[0].Name)
			assert.Equal(t, tc.status, cs[0].Status)
			assert.Contains(t, cs[0].Detail, tc.detail)
			if tc.status != runbook.Pass {
				assert.NotEmpty(t, cs[0].Fix)
			}
		})
	}
}

// TestReadinessChecksBackupAge: `drctl check` fails on a stale backup in either region of a
// planned switchover, and in unplanned mode asks only the target region's vault.
func TestReadinessChecksBackupAge(t *testing.T) {
	fresh := func() *fakeVault {
		return &fakeVault{points: []backuptypes.RecoveryPointByBackupVault{point("rp", 2*time.Hour, backuptypes.RecoveryPointStatusCompleted)}}
	}
	stale := &fakeVault{points: []backuptypes.RecoveryPointByBackupVault{point("rp", 72*time.Hour, backuptypes.RecoveryPointStatusCompleted)}}

	t.Run("planned, both fresh", func(t *testing.T) {
		w := newWorld()
		var asked []string
		d := readDeps(t, w, healthy(w))
		d.Backups = factory(map[string]*fakeVault{config.Tokyo: fresh(), config.Osaka: fresh()}, &asked)
		d.Now = func() time.Time { return backupNow }
		checks := runbook.Readiness(context.Background(), d, config.Osaka, config.Planned)
		assert.True(t, runbook.Ready(checks), "%+v", checks)
		names := byName(checks)
		assert.Equal(t, runbook.Pass, names["backup in "+config.Osaka].Status)
		assert.Equal(t, runbook.Pass, names["backup in "+config.Tokyo].Status)
	})
	t.Run("planned, old region stale", func(t *testing.T) {
		w := newWorld()
		var asked []string
		d := readDeps(t, w, healthy(w))
		d.Backups = factory(map[string]*fakeVault{config.Tokyo: stale, config.Osaka: fresh()}, &asked)
		d.Now = func() time.Time { return backupNow }
		checks := runbook.Readiness(context.Background(), d, config.Osaka, config.Planned)
		assert.False(t, runbook.Ready(checks))
		c := byName(checks)["backup in "+config.Tokyo]
		assert.Equal(t, runbook.Fail, c.Status)
		assert.True(t, strings.Contains(c.Detail, "72h0m0s old"), c.Detail)
	})
	t.Run("unplanned asks only the target", func(t *testing.T) {
		w := newWorld()
		var asked []string
		regions := healthy(w)
		delete(regions, config.Tokyo)
		d := readDeps(t, w, regions)
		d.Backups = factory(map[string]*fakeVault{config.Osaka: fresh()}, &asked)
		d.Now = func() time.Time { return backupNow }
		checks := runbook.Readiness(context.Background(), d, config.Osaka, config.Unplanned)
		assert.True(t, runbook.Ready(checks), "%+v", checks)
		assert.Equal(t, []string{config.Osaka}, asked)
	})
	t.Run("unplanned with a stale target backup warns, does not block the failover", func(t *testing.T) {
		w := newWorld()
		var asked []string
		regions := healthy(w)
		delete(regions, config.Tokyo)
		d := readDeps(t, w, regions)
		d.Backups = factory(map[string]*fakeVault{config.Osaka: stale}, &asked)
		d.Now = func() time.Time { return backupNow }
		checks := runbook.Readiness(context.Background(), d, config.Osaka, config.Unplanned)
		assert.True(t, runbook.Ready(checks), "%+v", checks)
		assert.Equal(t, runbook.Warn, byName(checks)["backup in "+config.Osaka].Status)
	})
}
