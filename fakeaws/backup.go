package fakeaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Backup is a fake of the two AWS Backup actions (REST-JSON protocol) the stacks' bring-up and
// `drctl check` use: CreateBackupVault, which the fake world calls when the program creates a
// vault, and ListRecoveryPointsByBackupVault, which the readiness check reads. ministack 1.5.33
// serves vaults but lists no recovery points, so a vault here holds one completed recovery point
// taken an hour before it was created, standing for the plan's first daily job. Point
// AWS_ENDPOINT_URL_BACKUP at it. Calls are recorded with the region they were signed for, and a
// region can be marked down.
type Backup struct {
	endpoint
	vaults map[string]time.Time // region|name → when the vault was created
}

// NewBackup returns an empty fake.
func NewBackup() *Backup {
	return &Backup{vaults: map[string]time.Time{}}
}

func (b *Backup) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	region := ""
	if m := signedRegion.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region = m[1]
	}
	// /backup-vaults/{name} (PUT: create) and /backup-vaults/{name}/recovery-points/ (GET: list).
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	action := "unknown"
	switch {
	case len(parts) == 2 && parts[0] == "backup-vaults" && r.Method == http.MethodPut:
		action = "CreateBackupVault"
	case len(parts) == 3 && parts[0] == "backup-vaults" && parts[2] == "recovery-points" && r.Method == http.MethodGet:
		action = "ListRecoveryPointsByBackupVault"
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.record(action, region) {
		restError(w, http.StatusServiceUnavailable, "ServiceUnavailableException", "region "+region+" is down")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch action {
	case "CreateBackupVault":
		name := parts[1]
		created := time.Now()
		b.vaults[region+"|"+name] = created
		_ = json.NewEncoder(w).Encode(map[string]any{"BackupVaultName": name,
			"BackupVaultArn": vaultArn(region, name), "CreationDate": float64(created.Unix())})
	case "ListRecoveryPointsByBackupVault":
		name := parts[1]
		created, ok := b.vaults[region+"|"+name]
		if !ok {
			restError(w, http.StatusBadRequest, "ResourceNotFoundException", fmt.Sprintf("Vault '%s' not found.", name))
			return
		}
		taken := created.Add(-time.Hour)
		_ = json.NewEncoder(w).Encode(map[string]any{"RecoveryPoints": []map[string]any{{
			"RecoveryPointArn": fmt.Sprintf("arn:aws:rds:%s:%s:cluster-snapshot:awsbackup:job-%s", region, Account, short(region+name)),
			"BackupVaultName":  name, "BackupVaultArn": vaultArn(region, name),
			"ResourceArn":  fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", region, Account, name),
			"ResourceType": "Aurora", "Status": "COMPLETED", "CreationDate": float64(taken.Unix()),
		}}})
	default:
		restError(w, http.StatusBadRequest, "UnknownOperationException", "the AWS Backup fake does not serve "+r.Method+" "+r.URL.Path)
	}
}

func vaultArn(region, name string) string {
	return fmt.Sprintf("arn:aws:backup:%s:%s:backup-vault:%s", region, Account, name)
}

// restError answers like a REST-JSON AWS service: the error code in X-Amzn-ErrorType.
func restError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"Message": msg})
}
