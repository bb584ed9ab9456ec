package policy

import "fmt"

// Resource types of the protection controls: WAF, AWS Backup, access logging,
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
