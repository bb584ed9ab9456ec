package policy

import (
	"encoding/json"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	keyArn  = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555"
	peerKey = "arn:aws:kms:ap-northeast-3:123456789012:alias/agm-dr"
	account = "123456789012"
)

func urn(typ, name string) string { return "urn:pulumi:tokyo::agm-dr::" + typ + "::" + name }

// mk builds a hand-made resource; deps are the resources it depends on.
func mk(typ, name string, inputs map[string]any, deps ...Resource) Resource {
	r := Resource{Type: typ, Name: name, URN: urn(typ, name), Inputs: resource.NewPropertyMapFromMap(inputs)}
	for _, d := range deps {
		r.DependsOn = append(r.DependsOn, d.URN)
	}
	return r
}

// guarded marks a resource protected and retained.
func guarded(r Resource, ignore ...string) Resource {
	r.Protect, r.RetainOnDelete, r.IgnoreChanges = true, true, ignore
	return r
}

// secret marks an input secret.
func secret(r Resource, key string) Resource {
	r.Inputs[resource.PropertyKey(key)] = resource.MakeSecret(r.Inputs[resource.PropertyKey(key)])
	return r
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func tlsDeny(service, arn string) map[string]any {
	return map[string]any{
		"Effect": "Deny", "Principal": "*", "Action": service + ":*",
		"Resource":  []string{arn, arn + "/*"},
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	}
}

func policyJSON(stmts ...map[string]any) string {
	return js(map[string]any{"Version": "2012-10-17", "Statement": stmts})
}

func goodContainers() []map[string]any {
	return []map[string]any{{
		"name": "app", "image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app:2026.06.1",
		"readonlyRootFilesystem": true, "privileged": false,
		"environment":      []map[string]any{{"name": "QUEUE_URL", "value": "https://sqs/q"}},
		"secrets":          []map[string]any{{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db"}},
		"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{"awslogs-group": "/ecs/app"}},
	}}
}

// bucketSet is a bucket with every companion the S3 rules ask for.
func bucketSet(name, bucket string, sse map[string]any, replicate bool) []Resource {
	b := guarded(mk(TypeBucketV2, name, map[string]any{"bucket": bucket, "forceDestroy": false}))
	arn := "arn:aws:s3:::" + bucket
	out := []Resource{
		b,
		mk(TypePublicAccessBlock, name+"-pab", map[string]any{"bucket": name + "-id",
			"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}, b),
		mk(TypeVersioning, name+"-versioning", map[string]any{"bucket": name + "-id",
			"versioningConfiguration": map[string]any{"status": "Enabled"}}, b),
		mk(TypeEncryption, name+"-encryption", map[string]any{"bucket": name + "-id",
			"rules": []any{map[string]any{"applyServerSideEncryptionByDefault": sse}}}, b),
		mk(TypeBucketPolicy, name+"-policy", map[string]any{"bucket": name + "-id", "policy": policyJSON(tlsDeny("s3", arn))}, b),
		mk(TypeOwnership, name+"-ownership", map[string]any{"bucket": name + "-id",
			"rule": map[string]any{"objectOwnership": "BucketOwnerEnforced"}}, b),
	}
	if replicate {
		out = append(out, mk(TypeReplication, name+"-replication", map[string]any{"bucket": name + "-id", "rules": []any{goodReplicationRule()}}, b))
	}
	return out
}

func goodReplicationRule() map[string]any {
	on := map[string]any{"status": "Enabled"}
	return map[string]any{
		"id": "to-peer", "status": "Enabled",
		"deleteMarkerReplication": on,
		"sourceSelectionCriteria": map[string]any{"sseKmsEncryptedObjects": on, "replicaModifications": on},
		"destination": map[string]any{
			"bucket":                  "arn:aws:s3:::peer-bucket",
			"encryptionConfiguration": map[string]any{"replicaKmsKeyId": peerKey},
			"replicationTime":         map[string]any{"status": "Enabled", "time": map[string]any{"minutes": 15}},
			"metrics":                 map[string]any{"status": "Enabled", "eventThreshold": map[string]any{"minutes": 15}},
		},
	}
}

// good is a hand-made home stack that satisfies every rule.
func good() []Resource {
	key := guarded(mk(TypeKmsKey, "key", map[string]any{"enableKeyRotation": true, "policy": policyJSON(map[string]any{
		"Sid": "Account", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
		"Action": "kms:*", "Resource": "*"})}))
	vpc := mk(TypeVpc, "vpc", map[string]any{"cidrBlock": "10.10.0.0/16"})
	albSG := mk(TypeSecurityGroup, "alb-sg", map[string]any{"ingress": []any{
		map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{"0.0.0.0/0"}},
		map[string]any{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": []any{"0.0.0.0/0"}},
	}}, vpc)
	tasksSG := mk(TypeSecurityGroup, "tasks-sg", map[string]any{}, vpc)
	logBuckets := bucketSet("logs", "logs-bucket", map[string]any{"sseAlgorithm": "AES256"}, false)
	alb := mk(TypeLoadBalancer, "alb", map[string]any{
		"loadBalancerType": "application", "dropInvalidHeaderFields": true, "enableDeletionProtection": true,
		"accessLogs": map[string]any{"bucket": "logs-bucket", "enabled": true},
	}, albSG, logBuckets[0])
	global := guarded(mk(TypeGlobalCluster, "global", map[string]any{
		"globalClusterIdentifier": "agm-global", "storageEncrypted": true, "deletionProtection": true}))
	cluster := secret(guarded(mk(TypeCluster, "cluster", map[string]any{
		"engine": "aurora-postgresql", "globalClusterIdentifier": "agm-global", "storageEncrypted": true, "kmsKeyId": keyArn,
		"deletionProtection": true, "backupRetentionPeriod": 14, "iamDatabaseAuthenticationEnabled": true,
		"enabledCloudwatchLogsExports": []any{"postgresql"}, "masterUsername": "agm_admin", "masterPassword": "pw",
	}, global, key), "globalClusterIdentifier", "replicationSourceIdentifier"), "masterPassword")
	dlq := mk(TypeQueue, "dlq", map[string]any{"kmsMasterKeyId": keyArn})
	rs := []Resource{
		key, vpc, albSG, tasksSG, alb, global, cluster, dlq,
		mk(TypeDefaultSecurityGroup, "default-sg", map[string]any{"vpcId": "vpc-id", "ingress": []any{}, "egress": []any{}}, vpc),
		mk(TypeFlowLog, "flow-log", map[string]any{"vpcId": "vpc-id", "trafficType": "ALL"}, vpc),
		mk(TypeSecurityGroupRule, "tasks-from-alb", map[string]any{"type": "ingress", "protocol": "tcp",
			"fromPort": 8080, "toPort": 8080, "securityGroupId": "tasks-sg-id", "sourceSecurityGroupId": "alb-sg-id"}, tasksSG, albSG),
		mk(TypeLogGroup, "logs", map[string]any{"retentionInDays": 90, "kmsKeyId": keyArn}),
		mk(TypeListener, "https", map[string]any{"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, alb),
		mk(TypeListener, "http", map[string]any{"protocol": "HTTP", "port": 80, "defaultActions": []any{
			map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "port": "443"}}}}, alb),
		mk(TypeClusterInstance, "instance-1", map[string]any{"publiclyAccessible": false}, cluster),
		secret(guarded(mk(TypeReplicationGroup, "cache", map[string]any{
			"atRestEncryptionEnabled": true, "transitEncryptionEnabled": true, "kmsKeyId": keyArn, "authToken": "token",
			"automaticFailoverEnabled": true, "multiAzEnabled": true, "numCacheClusters": 2, "snapshotRetentionLimit": 7,
		}, key)), "authToken"),
		guarded(mk(TypeGlobalReplicationGroup, "cache-global", map[string]any{"primaryReplicationGroupId": "cache"}), "primaryReplicationGroupId"),
		mk(TypeQueue, "queue", map[string]any{"kmsMasterKeyId": keyArn,
			"redrivePolicy": js(map[string]any{"deadLetterTargetArn": "arn:aws:sqs:ap-northeast-1:123456789012:dlq", "maxReceiveCount": 5})}, dlq, key),
		mk(TypeQueuePolicy, "queue-policy", map[string]any{"policy": policyJSON(tlsDeny("sqs", "arn:aws:sqs:ap-northeast-1:123456789012:queue"))}),
		mk(TypeECSCluster, "ecs", map[string]any{"settings": []any{map[string]any{"name": "containerInsights", "value": "enabled"}}}),
		mk(TypeECSService, "service", map[string]any{"networkConfiguration": map[string]any{"assignPublicIp": false}}),
		mk(TypeTaskDefinition, "task", map[string]any{"containerDefinitions": js(goodContainers())}),
		mk(TypeEcrRepository, "repo", map[string]any{"imageTagMutability": "IMMUTABLE",
			"imageScanningConfiguration": map[string]any{"scanOnPush": true},
			"encryptionConfigurations":   []any{map[string]any{"encryptionType": "KMS", "kmsKey": keyArn}}}),
		mk(TypeSnsTopic, "alarms", map[string]any{"kmsMasterKeyId": keyArn}),
		guarded(mk(TypeSecret, "db-master", map[string]any{"kmsKeyId": keyArn,
			"replicas": []any{map[string]any{"region": "ap-northeast-3", "kmsKeyId": peerKey}}})),
	}
	rs = append(rs, bucketSet("site", "site-bucket", map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": keyArn}, true)...)
	return withProtection(append(rs, logBuckets...))
}

// find returns the index of the resource with this type and name.
func find(rs []Resource, typ, name string) int {
	for i, r := range rs {
		if r.Type == typ && r.Name == name {
			return i
		}
	}
	panic("no " + typ + "::" + name)
}

// set replaces (or, with nil, deletes) a top-level input of a resource, on a copy of its inputs.
func set(rs []Resource, typ, name, key string, v any) []Resource {
	i := find(rs, typ, name)
	in := rs[i].Inputs.Copy()
	if v == nil {
		delete(in, resource.PropertyKey(key))
	} else if pv, ok := v.(resource.PropertyValue); ok {
		in[resource.PropertyKey(key)] = pv
	} else {
		in[resource.PropertyKey(key)] = resource.NewPropertyValue(v)
	}
	rs[i].Inputs = in
	return rs
}

// drop removes a resource.
func drop(rs []Resource, typ, name string) []Resource {
	i := find(rs, typ, name)
	return append(rs[:i:i], rs[i+1:]...)
}
