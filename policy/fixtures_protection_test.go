package policy

// withProtection adds to a hand-made stack the protection controls: a web ACL on the ALB with
// its logging, a backup plan of the Aurora cluster copying to the peer, server access logs of
// the site bucket, the cluster's parameter group, enhanced monitoring of the instance, and a
// hosted zone with DNSSEC and query logging.
func withProtection(rs []Resource) []Resource {
	get := func(typ, name string) Resource { return rs[find(rs, typ, name)] }
	alb, cluster := get(TypeLoadBalancer, "alb"), get(TypeCluster, "cluster")
	site, logs := get(TypeBucketV2, "site"), get(TypeBucketV2, "logs")

	on := map[string]any{"cloudwatchMetricsEnabled": true, "metricName": "m", "sampledRequestsEnabled": true}
	group := func(name string, prio int) map[string]any {
		return map[string]any{"name": name, "priority": prio, "overrideAction": map[string]any{"none": map[string]any{}},
			"statement": map[string]any{"managedRuleGroupStatement": map[string]any{"name": name, "vendorName": "AWS"}}, "visibilityConfig": on}
	}
	acl := mk(TypeWebACL, "waf-acl", map[string]any{"scope": "REGIONAL", "rules": []any{
		map[string]any{"name": "rate-per-ip", "priority": 0, "action": map[string]any{"block": map[string]any{}},
			"statement": map[string]any{"rateBasedStatement": map[string]any{"limit": 2000, "aggregateKeyType": "IP"}}, "visibilityConfig": on},
		group(BaselineRuleGroups[0], 1), group(BaselineRuleGroups[1], 2), group(BaselineRuleGroups[2], 3),
	}})
	wafLogs := mk(TypeLogGroup, "waf-logs", map[string]any{"name": "aws-waf-logs-agm", "kmsKeyId": keyArn, "retentionInDays": 365})
	vault := guarded(mk(TypeBackupVault, "backup-vault", map[string]any{"name": "agm-aurora", "kmsKeyArn": keyArn, "forceDestroy": false}))
	plan := mk(TypeBackupPlan, "backup-plan", map[string]any{"rules": []any{map[string]any{
		"ruleName": "daily", "targetVaultName": "agm-aurora", "lifecycle": map[string]any{"deleteAfter": 35},
		"copyActions": []any{map[string]any{"destinationVaultArn": "arn:aws:backup:ap-northeast-3:123456789012:backup-vault:agm-aurora",
			"lifecycle": map[string]any{"deleteAfter": 35}}},
	}}}, vault)
	params := mk(TypeClusterParamGroup, "db-params", map[string]any{"name": "cluster-pg", "family": "aurora-postgresql16",
		"parameters": []any{map[string]any{"name": "log_min_duration_statement", "value": "1000"}, map[string]any{"name": "log_statement", "value": "ddl"}}})
	zone := guarded(mk(TypeZone, "zone", map[string]any{"name": "agm.example.jp"}))
	dnssecKey := guarded(mk(TypeKmsKey, "dnssec-key", map[string]any{"customerMasterKeySpec": "ECC_NIST_P256", "keyUsage": "SIGN_VERIFY",
		"policy": policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"}, "Action": "kms:*", "Resource": "*"})}))
	ksk := mk(TypeKeySigningKey, "ksk", map[string]any{"status": "ACTIVE"}, zone, dnssecKey)
	queryLogs := mk(TypeLogGroup, "query-logs", map[string]any{"name": "/aws/route53/agm.example.jp", "kmsKeyId": keyArn, "retentionInDays": 365})

	rs = set(rs, TypeCluster, "cluster", "dbClusterParameterGroupName", "cluster-pg")
	for k, v := range map[string]any{"instanceClass": "db.r6g.large", "monitoringInterval": 60, "monitoringRoleArn": "arn:aws:iam::1:role/mon",
		"performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": keyArn} {
		rs = set(rs, TypeClusterInstance, "instance-1", k, v)
	}
	rs = set(rs, TypeReplicationGroup, "cache", "authTokenUpdateStrategy", "ROTATE")
	rs = set(rs, TypeReplicationGroup, "cache", "replicationGroupId", "cache")
	return append(rs,
		acl, wafLogs,
		mk(TypeWebACLAssociation, "waf-alb", map[string]any{}, alb, acl),
		mk(TypeWebACLLogging, "waf-logging", map[string]any{}, acl, wafLogs),
		vault, plan, params,
		mk(TypeBackupVaultLock, "backup-lock", map[string]any{"minRetentionDays": 7, "maxRetentionDays": 3650, "changeableForDays": 3}, vault),
		mk(TypeBackupSelection, "backup-selection", map[string]any{}, plan, cluster),
		mk(TypeBucketLogging, "site-access-logs", map[string]any{"bucket": "site-bucket", "targetBucket": "logs-bucket", "targetPrefix": "s3/site/"}, site, logs),
		zone, dnssecKey, ksk, queryLogs,
		mk(TypeHostedZoneDNSSEC, "zone-dnssec", map[string]any{"signingStatus": "SIGNING"}, ksk),
		mk(TypeQueryLog, "zone-query-log", map[string]any{}, zone, queryLogs),
	)
}

// protectionBreaks are the violations of the protection rules, one or more per rule.
var protectionBreaks = []struct {
	rule  string
	name  string
	apply func([]Resource) []Resource
}{
	{"AGM-WAF-001", "no web ACL on the ALB", func(rs []Resource) []Resource { return drop(rs, TypeWebACLAssociation, "waf-alb") }},
	{"AGM-WAF-002", "IP reputation group missing", func(rs []Resource) []Resource {
		acl := rs[find(rs, TypeWebACL, "waf-acl")]
		rules := acl.Inputs["rules"].ArrayValue()
		return set(rs, TypeWebACL, "waf-acl", "rules", rules[:3])
	}},
	{"AGM-WAF-002", "no rate rule", func(rs []Resource) []Resource {
		acl := rs[find(rs, TypeWebACL, "waf-acl")]
		rules := acl.Inputs["rules"].ArrayValue()
		return set(rs, TypeWebACL, "waf-acl", "rules", rules[1:])
	}},
	{"AGM-WAF-002", "global scope", func(rs []Resource) []Resource { return set(rs, TypeWebACL, "waf-acl", "scope", "CLOUDFRONT") }},
	{"AGM-WAF-003", "no logging", func(rs []Resource) []Resource { return drop(rs, TypeWebACLLogging, "waf-logging") }},
	{"AGM-WAF-003", "unencrypted WAF logs", func(rs []Resource) []Resource { return set(rs, TypeLogGroup, "waf-logs", "kmsKeyId", nil) }},
	{"AGM-WAF-003", "wrong log group name", func(rs []Resource) []Resource { return set(rs, TypeLogGroup, "waf-logs", "name", "/waf/agm") }},
	{"AGM-WAF-004", "count-only", func(rs []Resource) []Resource {
		return set(rs, TypeWebACL, "waf-acl", "rules", []any{map[string]any{"name": "rate-per-ip", "action": map[string]any{"count": map[string]any{}},
			"statement": map[string]any{"rateBasedStatement": map[string]any{"limit": 2000}}}})
	}},
	{"AGM-BAK-001", "cluster not selected", func(rs []Resource) []Resource { return drop(rs, TypeBackupSelection, "backup-selection") }},
	{"AGM-BAK-001", "no copy to the peer", func(rs []Resource) []Resource {
		return set(rs, TypeBackupPlan, "backup-plan", "rules", []any{map[string]any{"ruleName": "daily", "lifecycle": map[string]any{"deleteAfter": 35}}})
	}},
	{"AGM-BAK-001", "kept 3 days", func(rs []Resource) []Resource {
		return set(rs, TypeBackupPlan, "backup-plan", "rules", []any{map[string]any{"ruleName": "daily", "lifecycle": map[string]any{"deleteAfter": 3},
			"copyActions": []any{map[string]any{"destinationVaultArn": "arn:aws:backup:ap-northeast-3:1:backup-vault:v"}}}})
	}},
	{"AGM-BAK-002", "vault with the AWS key", func(rs []Resource) []Resource {
		return set(rs, TypeBackupVault, "backup-vault", "kmsKeyArn", "alias/aws/backup")
	}},
	{"AGM-BAK-002", "vault force-destroyed", func(rs []Resource) []Resource { return set(rs, TypeBackupVault, "backup-vault", "forceDestroy", true) }},
	{"AGM-S3-009", "site bucket not logged", func(rs []Resource) []Resource { return drop(rs, TypeBucketLogging, "site-access-logs") }},
	{"AGM-S3-009", "logs to itself", func(rs []Resource) []Resource {
		return set(rs, TypeBucketLogging, "site-access-logs", "targetBucket", "site-bucket")
	}},
	{"AGM-S3-009", "log bucket logged too", func(rs []Resource) []Resource {
		return append(rs, mk(TypeBucketLogging, "logs-access-logs", map[string]any{"bucket": "logs-bucket", "targetBucket": "other-bucket"}))
	}},
	{"AGM-RDS-008", "no parameter group", func(rs []Resource) []Resource { return drop(rs, TypeClusterParamGroup, "db-params") }},
	{"AGM-RDS-008", "no DDL logging", func(rs []Resource) []Resource {
		return set(rs, TypeClusterParamGroup, "db-params", "parameters", []any{map[string]any{"name": "log_min_duration_statement", "value": "1000"}})
	}},
	{"AGM-RDS-009", "no enhanced monitoring", func(rs []Resource) []Resource {
		return set(rs, TypeClusterInstance, "instance-1", "monitoringInterval", nil)
	}},
	{"AGM-RDS-009", "no Performance Insights", func(rs []Resource) []Resource {
		return set(rs, TypeClusterInstance, "instance-1", "performanceInsightsEnabled", false)
	}},
	{"AGM-DNS-001", "zone not signed", func(rs []Resource) []Resource { return drop(rs, TypeHostedZoneDNSSEC, "zone-dnssec") }},
	{"AGM-DNS-001", "no key-signing key", func(rs []Resource) []Resource {
		return drop(drop(rs, TypeHostedZoneDNSSEC, "zone-dnssec"), TypeKeySigningKey, "ksk")
	}},
	{"AGM-DNS-001", "symmetric key", func(rs []Resource) []Resource {
		return set(rs, TypeKmsKey, "dnssec-key", "customerMasterKeySpec", "SYMMETRIC_DEFAULT")
	}},
	{"AGM-DNS-002", "no query log", func(rs []Resource) []Resource { return drop(rs, TypeQueryLog, "zone-query-log") }},
	{"AGM-CACHE-007", "SET strategy", func(rs []Resource) []Resource {
		return set(rs, TypeReplicationGroup, "cache", "authTokenUpdateStrategy", "SET")
	}},
	{"AGM-SM-003", "regional cluster without managed password", func(rs []Resource) []Resource {
		rs = set(rs, TypeCluster, "cluster", "globalClusterIdentifier", nil)
		return drop(rs, TypeGlobalCluster, "global")
	}},
	{"AGM-SM-003", "cache outside a global datastore", func(rs []Resource) []Resource {
		return drop(rs, TypeGlobalReplicationGroup, "cache-global")
	}},
}

func init() {
	breaks = append(breaks, protectionBreaks...)
}
