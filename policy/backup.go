package policy

import (
	"fmt"
	"strings"
)

// The AWS Backup rules: every Aurora cluster in a plan that keeps and copies its recovery
// points, and locked vaults in production.

func checkClusterBackup(rs []Resource) []Violation {
	var out []Violation
	for _, c := range ofType(rs, TypeCluster) {
		sels := referring(rs, TypeBackupSelection, "resources", c)
		if len(sels) == 0 {
			out = append(out, c.violation("AGM-BAK-001", "no AWS Backup selection includes this cluster: a bad write replicated to the peer has no copy to restore from"))
			continue
		}
		for _, s := range sels {
			plans := 0
			for _, p := range ofType(rs, TypeBackupPlan) {
				if !s.refers("planId", p) {
					continue
				}
				plans++
				for _, m := range planProblems(p) {
					out = append(out, c.violation("AGM-BAK-001", "plan %s: %s", p.Name, m))
				}
			}
			if plans == 0 {
				out = append(out, c.violation("AGM-BAK-001", "selection %s names no backup plan of this stack", s.Name))
			}
		}
	}
	return out
}

func planProblems(p Resource) []string {
	rules, st := list(p.Inputs, "rules")
	if st == unknown {
		return nil
	}
	if len(rules) == 0 {
		return []string{"no rules"}
	}
	var out []string
	for _, r := range rules {
		name, _ := str(r, "ruleName")
		if d, st := number(r, "lifecycle", "deleteAfter"); st == known && d < MinBackupDays {
			out = append(out, fmt.Sprintf("rule %q keeps recovery points %g days; want at least %d", name, d, MinBackupDays))
		}
		copies, _ := list(r, "copyActions")
		peer := false
		for _, c := range copies {
			arn, st := str(c, "destinationVaultArn")
			if st == unknown || (st == known && strings.HasPrefix(arn, "arn:aws:backup:")) {
				peer = true
			}
			if d, st := number(c, "lifecycle", "deleteAfter"); st == known && d < MinBackupDays {
				out = append(out, fmt.Sprintf("rule %q keeps copies %g days; want at least %d", name, d, MinBackupDays))
			}
		}
		if !peer {
			out = append(out, fmt.Sprintf("rule %q copies nothing to another region's vault (on the home stack's first deploy the peer vault does not exist yet)", name))
		}
	}
	return out
}

// VaultLock checks AGM-BAK-003 on one stack's resources: in production every vault is locked
// in compliance mode (changeableForDays set) with minRetentionDays at least MinBackupDays.
func VaultLock(production bool, rs []Resource) []Violation {
	if !production {
		return nil
	}
	var out []Violation
	for _, v := range ofType(rs, TypeBackupVault) {
		name, _ := str(v.Inputs, "name")
		locks := referring(rs, TypeBackupVaultLock, "backupVaultName", v, name)
		if len(locks) == 0 {
			out = append(out, v.violation(vaultLockRule.ID, "the vault is not locked: an administrator (or an attacker with admin rights) can delete its recovery points"))
			continue
		}
		for _, l := range locks {
			if n, st := number(l.Inputs, "minRetentionDays"); st == absent || (st == known && n < MinBackupDays) {
				out = append(out, v.violation(vaultLockRule.ID, "vault lock minRetentionDays is below %d", MinBackupDays))
			}
			if _, st := lookup(l.Inputs, "changeableForDays"); st == absent {
				out = append(out, v.violation(vaultLockRule.ID, "vault lock is in governance mode (no changeableForDays): it can be removed"))
			}
		}
	}
	return out
}
