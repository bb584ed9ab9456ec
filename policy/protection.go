package policy

import (
	"fmt"
	"strings"
)

// Resource types of the protection controls (issue 10): WAF, AWS Backup, access logging,
// Aurora parameter groups, Route 53 DNSSEC and query logging.
const (
	TypeWebACL             = "aws:wafv2/webAcl:WebAcl"
	TypeWebACLAssociation  = "aws:wafv2/webAclAssociation:WebAclAssociation"
	TypeWebACLLogging      = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
	TypeBackupVault        = "aws:backup/vault:Vault"
	TypeBackupVaultLock    = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
	TypeBackupPlan         = "aws:backup/plan:Plan"
	TypeBackupSelection    = "aws:backup/selection:Selection"
	TypeBucketLogging      = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	TypeClusterParamGroup  = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
	TypeZone               = "aws:route53/zone:Zone"
	TypeKeySigningKey      = "aws:route53/keySigningKey:KeySigningKey"
	TypeHostedZoneDNSSEC   = "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec"
	TypeQueryLog           = "aws:route53/queryLog:QueryLog"
	TypeSecretRotation     = "aws:secretsmanager/secretRotation:SecretRotation"
	wafLogPrefix           = "aws-waf-logs-"
	serverlessInstanceType = "db.serverless"
)

// BaselineRuleGroups are the AWS managed rule groups every web ACL runs.
var BaselineRuleGroups = []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}

var protectionRules = []Rule{
	{
		ID:            "AGM-WAF-002",
		Description:   "web ACLs are regional and run the AWS managed rule groups common, known bad inputs and IP reputation, and a per-IP rate-based rule",
		ResourceTypes: []string{TypeWebACL},
		Check:         checkWebACLRules,
	},
	{
		ID:            "AGM-WAF-004",
		Description:   "web ACL rules block (advisory: the count-only mode of the first days is reported)",
		ResourceTypes: []string{TypeWebACL},
		Advisory:      true,
		Check:         checkWebACLBlocks,
	},
	{
		ID:            "AGM-BAK-002",
		Description:   "AWS Backup vaults are encrypted with a customer-managed KMS key and never force-destroyed",
		Checkov:       []string{"CKV_AWS_166"},
		ResourceTypes: []string{TypeBackupVault},
		Check: func(r Resource) []string {
			return append(customerKey(r.Inputs, "backup vault", "kmsKeyArn"),
				mustNotBeTrue(r.Inputs, "forceDestroy would delete the vault's recovery points", "forceDestroy")...)
		},
	},
	{
		ID:            "AGM-RDS-009",
		Description:   "provisioned Aurora instances have enhanced monitoring and Performance Insights with a customer-managed key (production; Serverless v2 in dev is exempt)",
		ResourceTypes: []string{TypeClusterInstance},
		Check: func(r Resource) []string {
			if c, st := str(r.Inputs, "instanceClass"); st != known || c == serverlessInstanceType {
				return nil
			}
			var out []string
			if n, st := number(r.Inputs, "monitoringInterval"); st == absent || (st == known && n <= 0) {
				out = append(out, "monitoringInterval is not set: no enhanced monitoring")
			}
			if v, st := str(r.Inputs, "monitoringRoleArn"); st == absent || (st == known && v == "") {
				out = append(out, "no monitoringRoleArn: enhanced monitoring cannot publish")
			}
			out = append(out, mustBeTrue(r.Inputs, "Performance Insights", "performanceInsightsEnabled")...)
			return append(out, customerKey(r.Inputs, "Performance Insights", "performanceInsightsKmsKeyId")...)
		},
	},
	{
		ID:            "AGM-CACHE-007",
		Description:   "ElastiCache AUTH token changes use the ROTATE strategy, so the old token keeps working until both regions carry the new one",
		ResourceTypes: []string{TypeReplicationGroup},
		Check: func(r Resource) []string {
			if _, st := lookup(r.Inputs, "authToken"); st == absent {
				return nil // AGM-CACHE-003 reports a missing token
			}
			if s, st := str(r.Inputs, "authTokenUpdateStrategy"); st != unknown && s != "ROTATE" {
				return []string{fmt.Sprintf("authTokenUpdateStrategy is %q; want ROTATE (SET or DELETE locks out the region still using the old token)", s)}
			}
			return nil
		},
	},
}

var protectionStackRules = []StackRule{
	{ID: "AGM-WAF-001", Description: "every application load balancer is associated with a regional WAF web ACL",
		Checkov: []string{"CKV2_AWS_28"}, Check: checkALBHasWebACL},
	{ID: "AGM-WAF-003", Description: "every web ACL logs to a KMS-encrypted CloudWatch Logs group named aws-waf-logs-*",
		Checkov: []string{"CKV2_AWS_31"}, Check: checkWebACLLogging},
	{ID: "AGM-BAK-001", Description: "every Aurora cluster is in an AWS Backup plan that keeps recovery points at least 7 days and copies them to a vault in another region",
		Checkov: []string{"CKV2_AWS_8"}, Check: checkClusterBackup},
	s3Rule("AGM-S3-009", "S3 data buckets write server access logs to a log bucket that is itself not logged",
		nil, nil, checkServerAccessLogs), // CKV_AWS_18 also wants the log bucket logged
	{ID: "AGM-RDS-008", Description: "Aurora PostgreSQL clusters use a cluster parameter group that logs slow statements (log_min_duration_statement) and DDL (log_statement)",
		Checkov: []string{"CKV2_AWS_27"}, Check: checkClusterLogging},
	{ID: "AGM-DNS-001", Description: "a hosted zone the program creates is signed with DNSSEC (key-signing key on an ECC_NIST_P256 KMS key)",
		Checkov: []string{"CKV2_AWS_38"}, Check: checkZoneDNSSEC},
	{ID: "AGM-DNS-002", Description: "a hosted zone the program creates logs its DNS queries to CloudWatch Logs",
		Checkov: []string{"CKV2_AWS_39"}, Check: checkZoneQueryLog},
	{ID: "AGM-SM-003", Description: "rotation of the generated secrets is refused only while its reason holds: an Aurora cluster outside a global database manages its master password with RDS, a cache group outside a global datastore has a rotated AUTH secret",
		Check: checkRotationException},
}

// vaultLockRule is AGM-BAK-003; it needs the profile, which resources do not carry, so the
// test suite runs it (VaultLock) per scenario.
var vaultLockRule = StackRule{
	ID:          "AGM-BAK-003",
	Description: "in production, every AWS Backup vault is locked in compliance mode with a minimum retention of at least 7 days",
}

func checkWebACLRules(r Resource) []string {
	var out []string
	if s, st := str(r.Inputs, "scope"); st == known && s != "REGIONAL" {
		out = append(out, fmt.Sprintf("scope is %q; a load balancer's web ACL is REGIONAL", s))
	}
	rules, st := list(r.Inputs, "rules")
	if st == unknown {
		return out
	}
	groups := map[string]bool{}
	rate := false
	for _, rule := range rules {
		if n, st := str(rule, "statement", "managedRuleGroupStatement", "name"); st == known {
			if v, _ := str(rule, "statement", "managedRuleGroupStatement", "vendorName"); v == "AWS" {
				groups[n] = true
			}
		}
		if _, st := lookup(rule, "statement", "rateBasedStatement"); st == known {
			key, _ := str(rule, "statement", "rateBasedStatement", "aggregateKeyType")
			limit, lst := number(rule, "statement", "rateBasedStatement", "limit")
			if (key == "" || key == "IP") && lst == known && limit >= 10 {
				rate = true
			}
		}
	}
	for _, g := range BaselineRuleGroups {
		if !groups[g] {
			out = append(out, "the AWS managed rule group "+g+" is not in the web ACL")
		}
	}
	if !rate {
		out = append(out, "no rate-based rule per client IP (aggregateKeyType IP, limit at least 10)")
	}
	return out
}

func checkWebACLBlocks(r Resource) []string {
	rules, st := list(r.Inputs, "rules")
	if st != known {
		return nil
	}
	var counting []string
	for _, rule := range rules {
		n, _ := str(rule, "name")
		if _, st := lookup(rule, "overrideAction", "count"); st == known {
			counting = append(counting, n)
		}
		if _, st := lookup(rule, "action", "count"); st == known {
			counting = append(counting, n)
		}
	}
	if len(counting) > 0 {
		return []string{"count-only mode (agm-dr:waf.mode count): rules " + strings.Join(counting, ", ") + " only count; switch to block once tuned"}
	}
	return nil
}

func checkALBHasWebACL(rs []Resource) []Violation {
	var out []Violation
	for _, lb := range ofType(rs, loadBalancerTypes...) {
		if t, st := str(lb.Inputs, "loadBalancerType"); st == known && t != "application" {
			continue // WAF attaches to application load balancers only
		}
		ok := false
		for _, a := range referring(rs, TypeWebACLAssociation, "resourceArn", lb) {
			for _, acl := range ofType(rs, TypeWebACL) {
				if a.refers("webAclArn", acl) {
					ok = true
				}
			}
		}
		if !ok {
			out = append(out, lb.violation("AGM-WAF-001", "no WAF web ACL is associated with this load balancer"))
		}
	}
	return out
}

func checkWebACLLogging(rs []Resource) []Violation {
	var out []Violation
	for _, acl := range ofType(rs, TypeWebACL) {
		logs := referring(rs, TypeWebACLLogging, "resourceArn", acl)
		if len(logs) == 0 {
			out = append(out, acl.violation("AGM-WAF-003", "no logging configuration: blocked and counted requests leave no trace"))
			continue
		}
		for _, l := range logs {
			groups := 0
			for _, g := range ofType(rs, TypeLogGroup) {
				if !l.refers("logDestinationConfigs", g) {
					continue
				}
				groups++
				if n, st := str(g.Inputs, "name"); st == known && !strings.HasPrefix(n, wafLogPrefix) {
					out = append(out, acl.violation("AGM-WAF-003", "log group %q does not start with %s (WAF refuses it)", n, wafLogPrefix))
				}
				for _, m := range customerKey(g.Inputs, "WAF log group "+g.Name, "kmsKeyId") {
					out = append(out, acl.violation("AGM-WAF-003", "%s", m))
				}
			}
			if groups == 0 {
				out = append(out, acl.violation("AGM-WAF-003", "logging configuration %s sends to no KMS-encrypted log group of this stack", l.Name))
			}
		}
	}
	return out
}

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

func checkServerAccessLogs(b bucketView, rs []Resource) []string {
	if b.accessLog || isLogTarget(b, rs) {
		return nil // a log bucket is not itself logged: that would log its own log writes
	}
	var logs []Resource
	for _, l := range ofType(rs, TypeBucketLogging) {
		if loggingBucket(l, "bucket", rs) == b.Key() {
			logs = append(logs, l)
		}
	}
	if len(logs) == 0 {
		return []string{"no server access logging (BucketLoggingV2)"}
	}
	var out []string
	for _, l := range logs {
		target := loggingBucket(l, "targetBucket", rs)
		switch {
		case target == b.Key():
			out = append(out, "server access logs go to the bucket itself")
		case target != "" && isLogged(target, rs):
			out = append(out, "server access logs go to "+target+", which is itself logged")
		}
	}
	return out
}

// loggingBucket is the key of the bucket a BucketLoggingV2 input (bucket or targetBucket)
// names: by its literal name when known (the mock monitor records only the union of a
// resource's dependencies), else by dependency.
func loggingBucket(l Resource, prop string, rs []Resource) string {
	v, st := str(l.Inputs, prop)
	for _, b := range buckets(rs) {
		if (st == known && v != "" && v == b.name) || (st != known && l.dependsOnKey(prop, b.Key())) {
			return b.Key()
		}
	}
	return ""
}

// isLogTarget reports whether b receives another bucket's server access logs.
func isLogTarget(b bucketView, rs []Resource) bool {
	for _, l := range ofType(rs, TypeBucketLogging) {
		if loggingBucket(l, "targetBucket", rs) == b.Key() && loggingBucket(l, "bucket", rs) != b.Key() {
			return true
		}
	}
	return false
}

// isLogged reports whether the bucket with this key has server access logging itself.
func isLogged(key string, rs []Resource) bool {
	for _, l := range ofType(rs, TypeBucketLogging) {
		if loggingBucket(l, "bucket", rs) == key {
			return true
		}
	}
	return false
}

func checkClusterLogging(rs []Resource) []Violation {
	var out []Violation
	for _, c := range ofType(rs, TypeCluster) {
		if e, st := str(c.Inputs, "engine"); st == known && !strings.Contains(e, "postgresql") {
			continue
		}
		var groups []Resource
		name, st := str(c.Inputs, "dbClusterParameterGroupName")
		if st == unknown {
			continue
		}
		for _, g := range ofType(rs, TypeClusterParamGroup) {
			gname, _ := str(g.Inputs, "name")
			if c.refers("dbClusterParameterGroupName", g, gname) || (name != "" && name == gname) {
				groups = append(groups, g)
			}
		}
		if len(groups) == 0 {
			out = append(out, c.violation("AGM-RDS-008", "no cluster parameter group of this stack: the engine default logs neither slow queries nor DDL"))
			continue
		}
		for _, g := range groups {
			params := map[string]string{}
			ps, _ := list(g.Inputs, "parameters")
			for _, p := range ps {
				n, _ := str(p, "name")
				v, _ := str(p, "value")
				params[n] = v
			}
			if v, ok := params["log_min_duration_statement"]; !ok || v == "-1" || v == "" {
				out = append(out, c.violation("AGM-RDS-008", "parameter group %s does not set log_min_duration_statement: slow queries are not logged", g.Name))
			}
			if v := params["log_statement"]; v != "ddl" && v != "mod" && v != "all" {
				out = append(out, c.violation("AGM-RDS-008", "parameter group %s sets log_statement %q; want ddl (or mod, all)", g.Name, v))
			}
		}
	}
	return out
}

func checkZoneDNSSEC(rs []Resource) []Violation {
	var out []Violation
	for _, z := range ofType(rs, TypeZone) {
		ksks := referring(rs, TypeKeySigningKey, "hostedZoneId", z)
		if len(ksks) == 0 {
			out = append(out, z.violation("AGM-DNS-001", "no DNSSEC key-signing key: answers for this zone can be spoofed"))
			continue
		}
		signed := false
		for _, d := range ofType(rs, TypeHostedZoneDNSSEC) {
			if s, st := str(d.Inputs, "signingStatus"); st == known && s != "SIGNING" && s != "" {
				continue
			}
			if d.refers("hostedZoneId", z) {
				signed = true
			}
			for _, k := range ksks {
				if d.refers("hostedZoneId", k) {
					signed = true
				}
			}
		}
		if !signed {
			out = append(out, z.violation("AGM-DNS-001", "DNSSEC signing is not on (HostedZoneDnsSec SIGNING)"))
		}
		for _, k := range ksks {
			for _, key := range ofType(rs, TypeKmsKey) {
				if !k.refers("keyManagementServiceArn", key) {
					continue
				}
				if s, st := str(key.Inputs, "customerMasterKeySpec"); st == known && s != "ECC_NIST_P256" {
					out = append(out, z.violation("AGM-DNS-001", "key-signing key %s uses a %s KMS key; Route 53 needs ECC_NIST_P256", k.Name, s))
				}
			}
		}
	}
	return out
}

func checkZoneQueryLog(rs []Resource) []Violation {
	var out []Violation
	for _, z := range ofType(rs, TypeZone) {
		logs := referring(rs, TypeQueryLog, "zoneId", z)
		if len(logs) == 0 {
			out = append(out, z.violation("AGM-DNS-002", "no query logging: who asked for the service's names is not recorded"))
			continue
		}
		for _, l := range logs {
			if v, st := str(l.Inputs, "cloudwatchLogGroupArn"); st == known && !strings.Contains(v, ":us-east-1:") && !hasLogGroupDep(l, rs) {
				out = append(out, z.violation("AGM-DNS-002", "query log group %s is not in us-east-1", v))
			}
		}
	}
	return out
}

func hasLogGroupDep(l Resource, rs []Resource) bool {
	for _, g := range ofType(rs, TypeLogGroup) {
		if l.refers("cloudwatchLogGroupArn", g) {
			return true
		}
	}
	return false
}

// checkRotationException is AGM-SM-003. Rotation of the Aurora master secret and the cache AUTH
// secret is refused for global members (docs/policies.md, "Rotation"); the rule fails as soon
// as a cluster or cache group is not a global member and lacks its rotation.
func checkRotationException(rs []Resource) []Violation {
	var out []Violation
	rotations := len(ofType(rs, TypeSecretRotation)) > 0
	for _, c := range ofType(rs, TypeCluster) {
		if _, st := str(c.Inputs, "globalClusterIdentifier"); st != absent {
			continue // global member: RDS-managed master passwords are not supported
		}
		if managed, st := boolean(c.Inputs, "manageMasterUserPassword"); (st == known && managed) || st == unknown || rotations {
			continue
		}
		out = append(out, c.violation("AGM-SM-003", "not in a global database, so the reason rotation is refused no longer holds: set manageMasterUserPassword (RDS rotates it)"))
	}
	for _, g := range ofType(rs, TypeReplicationGroup) {
		if _, st := lookup(g.Inputs, "authToken"); st == absent {
			continue
		}
		if _, st := str(g.Inputs, "globalReplicationGroupId"); st != absent {
			continue // secondary of a global datastore
		}
		id, _ := str(g.Inputs, "replicationGroupId")
		if len(referring(rs, TypeGlobalReplicationGroup, "primaryReplicationGroupId", g, id)) > 0 || rotations {
			continue // primary of a global datastore
		}
		out = append(out, g.violation("AGM-SM-003", "not in a global datastore, so the reason AUTH rotation is refused no longer holds: rotate its secret (aws:secretsmanager/secretRotation)"))
	}
	return out
}
