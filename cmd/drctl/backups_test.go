package main

import (
	"context"
	"errors"
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

type vaultAt struct{ created time.Time }

func (v vaultAt) ListRecoveryPointsByBackupVault(_ context.Context, in *backup.ListRecoveryPointsByBackupVaultInput, _ ...func(*backup.Options)) (*backup.ListRecoveryPointsByBackupVaultOutput, error) {
	c := v.created
	return &backup.ListRecoveryPointsByBackupVaultOutput{RecoveryPoints: []backuptypes.RecoveryPointByBackupVault{{
		RecoveryPointArn: aws.String("arn:aws:backup:x:1:recovery-point:" + aws.ToString(in.BackupVaultName)),
		Status:           backuptypes.RecoveryPointStatusCompleted, CreationDate: &c,
		ResourceArn: aws.String("arn:aws:rds:ap-northeast-1:123456789012:cluster:agm-dr-ap-northeast-1"),
	}}}, nil
}

func TestBackupsCommand(t *testing.T) {
	clock := time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)
	now = func() time.Time { return clock }
	t.Cleanup(func() { now, openBackups = time.Now, runbook.NewBackupAPI })

	cases := []struct {
		name    string
		osaka   runbook.BackupAPI
		wantErr bool
		want    []string
	}{
		{"both fresh", vaultAt{clock.Add(-3 * time.Hour)}, false, []string{"recovery-point:agm-dr-aurora", "3h0m0s ago", "PASS  backup in ap-northeast-3"}},
		{"osaka stale", vaultAt{clock.Add(-30 * time.Hour)}, true, []string{"FAIL  backup in ap-northeast-3", "over the maximum of 26h0m0s"}},
		{"osaka unreachable", nil, true, []string{"FAIL  backup in ap-northeast-3", "unreachable"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			openBackups = func(_ context.Context, region string) (runbook.BackupAPI, error) {
				if region == config.Tokyo {
					return vaultAt{clock.Add(-2 * time.Hour)}, nil
				}
				if tc.osaka == nil {
					return nil, errors.New("osaka unreachable")
				}
				return tc.osaka, nil
			}
			out, err := drctl(t, "backups", "--dir", copyProject(t))
			if tc.wantErr {
				require.Error(t, err, out)
			} else {
				require.NoError(t, err, out)
			}
			assert.Contains(t, out, "PASS  backup in ap-northeast-1")
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
		})
	}
}
