package stacks

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/app"
	"github.com/agm-dr/agm-dr/components/backup"
	"github.com/agm-dr/agm-dr/components/dns"
	"github.com/agm-dr/agm-dr/components/waf"
	"github.com/agm-dr/agm-dr/config"
)

// addWAF puts the same web ACL in front of this region's load balancer in both stacks: nothing
// in it depends on primaryRegion, so a flip never changes it and the standby is protected the
// moment it takes traffic.
func (r *region) addWAF() error {
	w := r.cfg.WAF
	_, err := waf.New(r.ctx, "waf", &waf.Args{
		Name:              r.n.webACL(r.cfg.Region),
		CountOnly:         w.CountOnly(),
		RateLimit:         w.RateLimit,
		ManagedRuleGroups: w.ManagedRuleGroups,
		ResourceArn:       r.front.app.LoadBalancerArn,
		KmsKeyArn:         r.key.KeyArn,
		LogRetentionDays:  r.size.logRetentionDays,
	})
	return err
}

// addBackup backs up this region's Aurora cluster into this region's vault and copies every
// recovery point to the peer's vault. Both stacks do the same whatever their role, so a flip
// changes nothing here; the copy starts once the peer stack (and its vault) is deployed, as the
// bucket replication does. The vault is locked in production.
func (r *region) addBackup() error {
	_, err := backup.New(r.ctx, "backup", &backup.Args{
		VaultName:     r.n.backupVault(),
		PeerVaultArn:  r.n.backupVaultArn(r.cfg.PeerRegion),
		CopyToPeer:    r.peer.deployed,
		KmsKeyArn:     r.key.KeyArn,
		ClusterArn:    r.db.ClusterArn,
		RetentionDays: r.cfg.Backup.RetentionDays,
		MinDays:       config.MinBackupRetentionDays,
		Lock:          r.cfg.Profile == config.Production,
	})
	return err
}

// addSiteAccessLogs sends the site bucket's S3 server access logs to this region's access-log
// bucket (created by the app component, SSE-S3 as log delivery requires, and not itself
// logged). It waits for the app so the log bucket and its policy exist first.
func (r *region) addSiteAccessLogs() error {
	_, err := s3.NewBucketLoggingV2(r.ctx, "site-access-logs", &s3.BucketLoggingV2Args{
		Bucket:       r.bucket.BucketName,
		TargetBucket: pulumi.String(r.n.logBucket(r.cfg.Region)),
		TargetPrefix: pulumi.String(app.ServerAccessLogPrefix + "site/"),
	}, pulumi.Parent(r.bucket), pulumi.DependsOn([]pulumi.Resource{r.front.app}))
	return err
}

// addZoneProtection signs the hosted zone (DNSSEC) and logs its queries, only where this stack
// created the zone (home, no zoneId given): an existing zone is its owner's to sign. It depends
// on homeRegion only, so a flip never changes it.
func (r *region) addZoneProtection() error {
	if r.cfg.Domain.ZoneID != "" || !r.cfg.IsHome() {
		return nil
	}
	_, err := dns.NewZoneProtection(r.ctx, "zone-protection", &dns.ZoneProtectionArgs{
		ZoneID:           r.front.zone.ZoneID,
		DomainName:       r.cfg.Domain.Name,
		AccountID:        r.n.account,
		NamePrefix:       r.cfg.NamePrefix,
		LogRetentionDays: r.size.logRetentionDays,
		AlarmEmail:       r.cfg.AlarmEmail,
		DelegationProven: []pulumi.Resource{r.front.cert.Validated},
	})
	return err
}
