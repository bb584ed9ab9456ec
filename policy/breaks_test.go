package policy

func containersWith(edit func(c map[string]any)) string {
	cs := goodContainers()
	edit(cs[0])
	return js(cs)
}

// breaks lists, per rule, one hand-made violation of it (applied to a copy of good()).
var breaks = []struct {
	rule  string
	name  string
	apply func([]Resource) []Resource
}{
	{"AGM-RDS-001", "storage not encrypted", func(rs []Resource) []Resource { return set(rs, TypeCluster, "cluster", "storageEncrypted", false) }},
	{"AGM-RDS-001", "AWS managed key", func(rs []Resource) []Resource { return set(rs, TypeCluster, "cluster", "kmsKeyId", "alias/aws/rds") }},
	{"AGM-RDS-002", "global cluster not encrypted", func(rs []Resource) []Resource {
		return set(rs, TypeGlobalCluster, "global", "storageEncrypted", nil)
	}},
	{"AGM-RDS-003", "no deletion protection", func(rs []Resource) []Resource {
		return set(rs, TypeGlobalCluster, "global", "deletionProtection", false)
	}},
	{"AGM-RDS-004", "one day of backups", func(rs []Resource) []Resource { return set(rs, TypeCluster, "cluster", "backupRetentionPeriod", 1) }},
	{"AGM-RDS-004", "backups unset", func(rs []Resource) []Resource { return set(rs, TypeCluster, "cluster", "backupRetentionPeriod", nil) }},
	{"AGM-RDS-005", "no IAM auth", func(rs []Resource) []Resource {
		return set(rs, TypeCluster, "cluster", "iamDatabaseAuthenticationEnabled", nil)
	}},
	{"AGM-RDS-006", "no log exports", func(rs []Resource) []Resource {
		return set(rs, TypeCluster, "cluster", "enabledCloudwatchLogsExports", []any{})
	}},
	{"AGM-RDS-006", "wrong log", func(rs []Resource) []Resource {
		return set(rs, TypeCluster, "cluster", "enabledCloudwatchLogsExports", []any{"audit"})
	}},
	{"AGM-RDS-007", "public instance", func(rs []Resource) []Resource {
		return set(rs, TypeClusterInstance, "instance-1", "publiclyAccessible", true)
	}},
	{"AGM-CACHE-001", "no at-rest encryption", func(rs []Resource) []Resource {
		return set(rs, TypeReplicationGroup, "cache", "atRestEncryptionEnabled", false)
	}},
	{"AGM-CACHE-001", "no key on a secondary", func(rs []Resource) []Resource {
		rs = set(rs, TypeReplicationGroup, "cache", "globalReplicationGroupId", "ldgnf-x")
		return set(rs, TypeReplicationGroup, "cache", "kmsKeyId", nil)
	}},
	{"AGM-CACHE-002", "no TLS", func(rs []Resource) []Resource {
		return set(rs, TypeReplicationGroup, "cache", "transitEncryptionEnabled", nil)
	}},
	{"AGM-CACHE-002", "TLS preferred", func(rs []Resource) []Resource {
		return set(rs, TypeReplicationGroup, "cache", "transitEncryptionMode", "preferred")
	}},
	{"AGM-CACHE-003", "no auth", func(rs []Resource) []Resource { return set(rs, TypeReplicationGroup, "cache", "authToken", nil) }},
	{"AGM-CACHE-003", "plain token", func(rs []Resource) []Resource { return set(rs, TypeReplicationGroup, "cache", "authToken", "t") }},
	{"AGM-CACHE-004", "no failover", func(rs []Resource) []Resource {
		return set(rs, TypeReplicationGroup, "cache", "automaticFailoverEnabled", false)
	}},
	{"AGM-CACHE-005", "single AZ", func(rs []Resource) []Resource { return set(rs, TypeReplicationGroup, "cache", "multiAzEnabled", nil) }},
	{"AGM-CACHE-005", "one node", func(rs []Resource) []Resource { return set(rs, TypeReplicationGroup, "cache", "numCacheClusters", 1) }},
	{"AGM-CACHE-006", "no snapshots", func(rs []Resource) []Resource {
		return set(rs, TypeReplicationGroup, "cache", "snapshotRetentionLimit", 0)
	}},
	{"AGM-SQS-001", "unencrypted queue", func(rs []Resource) []Resource { return set(rs, TypeQueue, "queue", "kmsMasterKeyId", nil) }},
	{"AGM-SQS-002", "no redrive", func(rs []Resource) []Resource { return set(rs, TypeQueue, "queue", "redrivePolicy", nil) }},
	{"AGM-SQS-002", "unbounded receives", func(rs []Resource) []Resource {
		return set(rs, TypeQueue, "queue", "redrivePolicy", js(map[string]any{"deadLetterTargetArn": "arn:x", "maxReceiveCount": 1000}))
	}},
	{"AGM-SQS-003", "queue open to anyone", func(rs []Resource) []Resource {
		return set(rs, TypeQueuePolicy, "queue-policy", "policy", policyJSON(map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"AWS": []any{"*"}}, "Action": "sqs:SendMessage", "Resource": "*"}))
	}},
	{"AGM-ECS-001", "public IP", func(rs []Resource) []Resource {
		return set(rs, TypeECSService, "service", "networkConfiguration", map[string]any{"assignPublicIp": true})
	}},
	{"AGM-ECS-002", "writable root", func(rs []Resource) []Resource {
		return set(rs, TypeTaskDefinition, "task", "containerDefinitions", containersWith(func(c map[string]any) { delete(c, "readonlyRootFilesystem") }))
	}},
	{"AGM-ECS-003", "privileged", func(rs []Resource) []Resource {
		return set(rs, TypeTaskDefinition, "task", "containerDefinitions", containersWith(func(c map[string]any) { c["privileged"] = true }))
	}},
	{"AGM-ECS-004", "password in env", func(rs []Resource) []Resource {
		return set(rs, TypeTaskDefinition, "task", "containerDefinitions", containersWith(func(c map[string]any) {
			c["environment"] = []map[string]any{{"name": "DB_PASSWORD", "value": "hunter2"}}
		}))
	}},
	{"AGM-ECS-004", "secret from SSM", func(rs []Resource) []Resource {
		return set(rs, TypeTaskDefinition, "task", "containerDefinitions", containersWith(func(c map[string]any) {
			c["secrets"] = []map[string]any{{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:ap-northeast-1:1:parameter/x"}}
		}))
	}},
	{"AGM-ECS-005", "no logging", func(rs []Resource) []Resource {
		return set(rs, TypeTaskDefinition, "task", "containerDefinitions", containersWith(func(c map[string]any) { delete(c, "logConfiguration") }))
	}},
	{"AGM-ECS-006", "no insights", func(rs []Resource) []Resource { return set(rs, TypeECSCluster, "ecs", "settings", []any{}) }},
	{"AGM-ECS-007", "latest", func(rs []Resource) []Resource {
		return set(rs, TypeTaskDefinition, "task", "containerDefinitions", containersWith(func(c map[string]any) { c["image"] = "repo/app:latest" }))
	}},
	{"AGM-ECS-007", "no tag", func(rs []Resource) []Resource {
		return set(rs, TypeTaskDefinition, "task", "containerDefinitions", containersWith(func(c map[string]any) { c["image"] = "registry:5000/app" }))
	}},
	{"AGM-ALB-001", "TLS 1.0 policy", func(rs []Resource) []Resource {
		return set(rs, TypeListener, "https", "sslPolicy", "ELBSecurityPolicy-2016-08")
	}},
	{"AGM-ALB-002", "HTTP forwards", func(rs []Resource) []Resource {
		return set(rs, TypeListener, "http", "defaultActions", []any{map[string]any{"type": "forward"}})
	}},
	{"AGM-ALB-003", "keeps invalid headers", func(rs []Resource) []Resource {
		return set(rs, TypeLoadBalancer, "alb", "dropInvalidHeaderFields", nil)
	}},
	{"AGM-ALB-004", "no access logs", func(rs []Resource) []Resource {
		return set(rs, TypeLoadBalancer, "alb", "accessLogs", map[string]any{"bucket": "logs-bucket", "enabled": false})
	}},
	{"AGM-ALB-005", "no deletion protection", func(rs []Resource) []Resource {
		return set(rs, TypeLoadBalancer, "alb", "enableDeletionProtection", false)
	}},
	{"AGM-KMS-001", "no rotation", func(rs []Resource) []Resource { return set(rs, TypeKmsKey, "key", "enableKeyRotation", false) }},
	{"AGM-KMS-002", "wildcard principal", func(rs []Resource) []Resource {
		return set(rs, TypeKmsKey, "key", "policy", policyJSON(map[string]any{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}))
	}},
	{"AGM-KMS-002", "default policy", func(rs []Resource) []Resource { return set(rs, TypeKmsKey, "key", "policy", nil) }},
	{"AGM-LOG-001", "kept forever", func(rs []Resource) []Resource { return set(rs, TypeLogGroup, "logs", "retentionInDays", nil) }},
	{"AGM-LOG-001", "kept a week", func(rs []Resource) []Resource { return set(rs, TypeLogGroup, "logs", "retentionInDays", 7) }},
	{"AGM-LOG-002", "unencrypted logs", func(rs []Resource) []Resource { return set(rs, TypeLogGroup, "logs", "kmsKeyId", nil) }},
	{"AGM-S3-001", "no public access block", func(rs []Resource) []Resource { return drop(rs, TypePublicAccessBlock, "site-pab") }},
	{"AGM-S3-001", "one setting off", func(rs []Resource) []Resource {
		return set(rs, TypePublicAccessBlock, "logs-pab", "restrictPublicBuckets", false)
	}},
	{"AGM-S3-002", "not versioned", func(rs []Resource) []Resource { return drop(rs, TypeVersioning, "site-versioning") }},
	{"AGM-S3-002", "versioning suspended", func(rs []Resource) []Resource {
		return set(rs, TypeVersioning, "site-versioning", "versioningConfiguration", map[string]any{"status": "Suspended"})
	}},
	{"AGM-S3-003", "SSE-S3 on a data bucket", func(rs []Resource) []Resource {
		return set(rs, TypeEncryption, "site-encryption", "rules", []any{map[string]any{
			"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}})
	}},
	{"AGM-S3-003", "no encryption", func(rs []Resource) []Resource { return drop(rs, TypeEncryption, "logs-encryption") }},
	{"AGM-S3-004", "no TLS-only policy", func(rs []Resource) []Resource {
		return set(rs, TypeBucketPolicy, "site-policy", "policy", policyJSON(map[string]any{
			"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"}))
	}},
	{"AGM-S3-005", "no replication", func(rs []Resource) []Resource { return drop(rs, TypeReplication, "site-replication") }},
	{"AGM-S3-005", "no RTC", func(rs []Resource) []Resource {
		rule := goodReplicationRule()
		rule["destination"].(map[string]any)["replicationTime"] = map[string]any{"status": "Disabled"}
		return set(rs, TypeReplication, "site-replication", "rules", []any{rule})
	}},
	{"AGM-S3-006", "no delete markers", func(rs []Resource) []Resource {
		rule := goodReplicationRule()
		rule["deleteMarkerReplication"] = map[string]any{"status": "Disabled"}
		return set(rs, TypeReplication, "site-replication", "rules", []any{rule})
	}},
	{"AGM-S3-007", "ACL resource", func(rs []Resource) []Resource {
		return append(rs, mk(TypeBucketACL, "site-acl", map[string]any{"bucket": "site-id", "acl": "private"}, rs[find(rs, TypeBucketV2, "site")]))
	}},
	{"AGM-S3-007", "ACLs enabled", func(rs []Resource) []Resource {
		return set(rs, TypeOwnership, "site-ownership", "rule", map[string]any{"objectOwnership": "ObjectWriter"})
	}},
	{"AGM-S3-008", "force destroy", func(rs []Resource) []Resource { return set(rs, TypeBucketV2, "site", "forceDestroy", true) }},
	{"AGM-NET-001", "SSH from anywhere", func(rs []Resource) []Resource {
		return set(rs, TypeSecurityGroup, "tasks-sg", "ingress", []any{map[string]any{
			"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"0.0.0.0/0"}}})
	}},
	{"AGM-NET-001", "all ports on the ALB", func(rs []Resource) []Resource {
		return set(rs, TypeSecurityGroup, "alb-sg", "ingress", []any{map[string]any{
			"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": []any{"::/0"}}})
	}},
	{"AGM-NET-001", "443 open on a non-LB group", func(rs []Resource) []Resource {
		return append(rs, mk(TypeSecurityGroupRule, "tasks-open", map[string]any{"type": "ingress", "protocol": "tcp",
			"fromPort": 443, "toPort": 443, "cidrBlocks": []any{"0.0.0.0/0"}}, rs[find(rs, TypeSecurityGroup, "tasks-sg")]))
	}},
	{"AGM-NET-002", "default group open", func(rs []Resource) []Resource {
		return set(rs, TypeDefaultSecurityGroup, "default-sg", "egress", []any{map[string]any{"protocol": "-1", "cidrBlocks": []any{"0.0.0.0/0"}}})
	}},
	{"AGM-NET-002", "default group not adopted", func(rs []Resource) []Resource { return drop(rs, TypeDefaultSecurityGroup, "default-sg") }},
	{"AGM-NET-003", "no flow log", func(rs []Resource) []Resource { return drop(rs, TypeFlowLog, "flow-log") }},
	{"AGM-ECR-001", "mutable tags", func(rs []Resource) []Resource {
		return set(rs, TypeEcrRepository, "repo", "imageTagMutability", "MUTABLE")
	}},
	{"AGM-SNS-001", "unencrypted topic", func(rs []Resource) []Resource { return set(rs, TypeSnsTopic, "alarms", "kmsMasterKeyId", nil) }},
	{"AGM-SM-001", "secret with the AWS key", func(rs []Resource) []Resource {
		return set(rs, TypeSecret, "db-master", "kmsKeyId", "alias/aws/secretsmanager")
	}},
	{"AGM-SM-002", "replica with the AWS key", func(rs []Resource) []Resource {
		return set(rs, TypeSecret, "db-master", "replicas", []any{map[string]any{"region": "ap-northeast-3", "kmsKeyId": "alias/aws/secretsmanager"}})
	}},
	{"AGM-DR-001", "bucket not protected", func(rs []Resource) []Resource {
		rs[find(rs, TypeBucketV2, "site")].Protect = false
		return rs
	}},
	{"AGM-DR-001", "cluster not retained", func(rs []Resource) []Resource {
		rs[find(rs, TypeCluster, "cluster")].RetainOnDelete = false
		return rs
	}},
	{"AGM-DR-002", "membership drift applied", func(rs []Resource) []Resource {
		rs[find(rs, TypeCluster, "cluster")].IgnoreChanges = nil
		return rs
	}},
	{"AGM-DR-003", "secondary with credentials", func(rs []Resource) []Resource { return drop(rs, TypeGlobalCluster, "global") }},
	{"AGM-DR-003", "plain master password", func(rs []Resource) []Resource { return set(rs, TypeCluster, "cluster", "masterPassword", "pw") }},
}
