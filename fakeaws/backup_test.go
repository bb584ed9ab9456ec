package fakeaws_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/fakeaws"
)

// TestBackupFakeThroughTheSDK: the AWS SDK's own Backup client creates a vault, finds its one
// completed recovery point, gets ResourceNotFoundException for a vault never created, and an
// error from a region marked down; every call is recorded with its region.
func TestBackupFakeThroughTheSDK(t *testing.T) {
	fake := fakeaws.NewBackup()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	client := func(region string) *backup.Client {
		return backup.New(backup.Options{Region: region, BaseEndpoint: aws.String(srv.URL),
			RetryMaxAttempts: 1, // the fake knows the region only from the request's signature
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
			})})
	}
	ctx := context.Background()
	_, err := client("ap-northeast-3").CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: aws.String("v1")})
	require.NoError(t, err)

	out, err := client("ap-northeast-3").ListRecoveryPointsByBackupVault(ctx, &backup.ListRecoveryPointsByBackupVaultInput{BackupVaultName: aws.String("v1")})
	require.NoError(t, err)
	require.Len(t, out.RecoveryPoints, 1)
	rp := out.RecoveryPoints[0]
	assert.Equal(t, backuptypes.RecoveryPointStatusCompleted, rp.Status)
	assert.WithinDuration(t, time.Now().Add(-time.Hour), aws.ToTime(rp.CreationDate), time.Minute)

	_, err = client("ap-northeast-1").ListRecoveryPointsByBackupVault(ctx, &backup.ListRecoveryPointsByBackupVaultInput{BackupVaultName: aws.String("v1")})
	var nf *backuptypes.ResourceNotFoundException
	assert.True(t, errors.As(err, &nf), "a vault exists only in the region that created it: %v", err)

	fake.SetDown("ap-northeast-3", true)
	_, err = client("ap-northeast-3").ListRecoveryPointsByBackupVault(ctx, &backup.ListRecoveryPointsByBackupVaultInput{BackupVaultName: aws.String("v1")})
	assert.Error(t, err, "a region marked down answers nothing")

	var regions []string
	for _, c := range fake.Calls() {
		regions = append(regions, c.Action+"@"+c.Region)
	}
	assert.Equal(t, []string{"CreateBackupVault@ap-northeast-3", "ListRecoveryPointsByBackupVault@ap-northeast-3",
		"ListRecoveryPointsByBackupVault@ap-northeast-1", "ListRecoveryPointsByBackupVault@ap-northeast-3"}, regions)
}
