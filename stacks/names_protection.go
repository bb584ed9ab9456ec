package stacks

import (
	"fmt"

	"github.com/agm-dr/agm-dr/config"
)

// Names of the protection resources (WAF, AWS Backup). A vault has the same name in both
// regions, so each stack can name the peer's vault without reading the peer's state.
func (n names) webACL(region string) string { return n.prefix + "-" + region }
func (n names) backupVault() string {
	return config.Config{NamePrefix: n.prefix}.BackupVaultName()
}
func (n names) backupVaultArn(region string) string {
	return fmt.Sprintf("arn:aws:backup:%s:%s:backup-vault:%s", region, n.account, n.backupVault())
}
