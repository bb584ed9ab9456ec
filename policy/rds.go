package policy

import (
	"fmt"
	"strings"
)

// Aurora resource types.
const (
	TypeGlobalCluster   = "aws:rds/globalCluster:GlobalCluster"
	TypeCluster         = "aws:rds/cluster:Cluster"
	TypeClusterInstance = "aws:rds/clusterInstance:ClusterInstance"
)

// MinBackupDays is the shortest Aurora backup retention allowed.
const MinBackupDays = 7

var rdsRules = []Rule{
	{
		ID:            "AGM-RDS-001",
		Description:   "Aurora cluster storage is encrypted with a customer-managed KMS key",
		Checkov:       []string{"CKV_AWS_96", "CKV_AWS_327"},
		SecurityHub:   []string{"RDS.27"},
		ResourceTypes: []string{TypeCluster},
		Check: func(r Resource) []string {
			return append(mustBeTrue(r.Inputs, "storage encryption", "storageEncrypted"),
				customerKey(r.Inputs, "cluster storage", "kmsKeyId")...)
		},
	},
	{
		ID:            "AGM-RDS-002",
		Description:   "Aurora global cluster storage is encrypted",
		Checkov:       []string{"CKV_AWS_140"},
		ResourceTypes: []string{TypeGlobalCluster},
		Check: func(r Resource) []string {
			return mustBeTrue(r.Inputs, "storage encryption", "storageEncrypted")
		},
	},
	{
		ID:            "AGM-RDS-003",
		Description:   "Aurora global cluster and clusters have deletion protection",
		Checkov:       []string{"CKV_AWS_139"},
		SecurityHub:   []string{"RDS.7"},
		ResourceTypes: []string{TypeGlobalCluster, TypeCluster},
		Check: func(r Resource) []string {
			return mustBeTrue(r.Inputs, "deletion protection", "deletionProtection")
		},
	},
	{
		ID:            "AGM-RDS-004",
		Description:   fmt.Sprintf("Aurora clusters keep automated backups for at least %d days", MinBackupDays),
		Checkov:       []string{"CKV_AWS_133"},
		ResourceTypes: []string{TypeCluster},
		Check: func(r Resource) []string {
			n, st := number(r.Inputs, "backupRetentionPeriod")
			switch {
			case st == unknown:
				return nil
			case st == absent:
				return []string{fmt.Sprintf("backupRetentionPeriod is not set (AWS default 1 day); want at least %d", MinBackupDays)}
			case n < MinBackupDays:
				return []string{fmt.Sprintf("backupRetentionPeriod is %g days; want at least %d", n, MinBackupDays)}
			}
			return nil
		},
	},
	{
		ID:            "AGM-RDS-005",
		Description:   "Aurora clusters use IAM database authentication",
		Checkov:       []string{"CKV_AWS_162"},
		SecurityHub:   []string{"RDS.12"},
		ResourceTypes: []string{TypeCluster},
		Check: func(r Resource) []string {
			return mustBeTrue(r.Inputs, "IAM database authentication", "iamDatabaseAuthenticationEnabled")
		},
	},
	{
		ID:            "AGM-RDS-006",
		Description:   "Aurora clusters export their engine logs to CloudWatch Logs (postgresql for Aurora PostgreSQL)",
		Checkov:       []string{"CKV_AWS_324"},
		SecurityHub:   []string{"RDS.37"},
		ResourceTypes: []string{TypeCluster},
		Check:         checkLogExports,
	},
	{
		ID:            "AGM-RDS-007",
		Description:   "Aurora instances are not publicly accessible",
		Checkov:       []string{"CKV_AWS_17"},
		SecurityHub:   []string{"RDS.2"},
		ResourceTypes: []string{TypeClusterInstance},
		Check: func(r Resource) []string {
			return mustNotBeTrue(r.Inputs, "the instance is publicly accessible", "publiclyAccessible")
		},
	},
}

func checkLogExports(r Resource) []string {
	logs, st := strs(r.Inputs, "enabledCloudwatchLogsExports")
	if st == unknown {
		return nil
	}
	if len(logs) == 0 {
		return []string{"enabledCloudwatchLogsExports is empty: no engine logs reach CloudWatch Logs"}
	}
	engine, _ := str(r.Inputs, "engine")
	if strings.Contains(engine, "postgresql") && !contains(logs, "postgresql") {
		return []string{fmt.Sprintf("enabledCloudwatchLogsExports %v does not export the postgresql log", logs)}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, e := range xs {
		if e == x {
			return true
		}
	}
	return false
}
