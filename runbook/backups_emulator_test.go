package runbook_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// TestBackupReaderAgainstTheEmulator reads vaults through the real AWS Backup SDK client from
// ministack. ministack 1.5.33 serves vaults and backup jobs (a job reports COMPLETED with a
// recovery point ARN) but lists no recovery points afterwards, so this test covers the wire
// protocol, an empty vault and a missing one; picking the latest point and its age is covered
// by the fake in backups_test.go.
func TestBackupReaderAgainstTheEmulator(t *testing.T) {
	switchovertest.UseEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	vault := fmt.Sprintf("drctl-%d", time.Now().UnixNano())
	api, err := runbook.NewBackupAPI(ctx, config.Osaka)
	require.NoError(t, err)
	_, err = api.(*backup.Client).CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: aws.String(vault)})
	require.NoError(t, err)

	rbs := runbook.LatestBackups(ctx, runbook.NewBackupAPI, vault, []string{config.Osaka}, time.Now())
	require.Len(t, rbs, 1)
	require.NoError(t, rbs[0].Err)
	assert.Nil(t, rbs[0].Latest)
	cs := runbook.BackupAgeChecks(rbs, 26*time.Hour)
	assert.Equal(t, runbook.Fail, cs[0].Status, "an empty vault fails the check")

	missing := runbook.LatestBackups(ctx, runbook.NewBackupAPI, vault+"-missing", []string{config.Osaka}, time.Now())
	assert.Error(t, missing[0].Err, "a missing vault is an error, not an empty vault")
}
