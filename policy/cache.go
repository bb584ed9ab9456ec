package policy

import "fmt"

// ElastiCache resource types.
const (
	TypeReplicationGroup       = "aws:elasticache/replicationGroup:ReplicationGroup"
	TypeGlobalReplicationGroup = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"
)

// A secondary member of a global datastore (globalReplicationGroupId set) inherits engine,
// at-rest and in-transit encryption from the datastore, and the provider refuses those fields
// next to globalReplicationGroupId; the home stack's primary member is checked for them.
func inheritsEncryption(r Resource) bool {
	id, st := str(r.Inputs, "globalReplicationGroupId")
	return st == unknown || (st == known && id != "")
}

var cacheRules = []Rule{
	{
		ID:            "AGM-CACHE-001",
		Description:   "ElastiCache replication groups encrypt at rest with a customer-managed KMS key (a global datastore's secondary inherits at-rest encryption from its primary)",
		Checkov:       []string{"CKV_AWS_191"}, // CKV_AWS_29 fails on the secondary: docs/policies.md
		SecurityHub:   []string{"ElastiCache.4"},
		ResourceTypes: []string{TypeReplicationGroup},
		Check: func(r Resource) []string {
			out := customerKey(r.Inputs, "the replication group", "kmsKeyId")
			if !inheritsEncryption(r) {
				out = append(out, mustBeTrue(r.Inputs, "at-rest encryption", "atRestEncryptionEnabled")...)
			}
			return out
		},
	},
	{
		ID:            "AGM-CACHE-002",
		Description:   "ElastiCache replication groups require TLS in transit (inherited by a global datastore's secondary)",
		Checkov:       nil, // CKV_AWS_30 fails on the secondary (inherited TLS): docs/policies.md
		SecurityHub:   []string{"ElastiCache.5"},
		ResourceTypes: []string{TypeReplicationGroup},
		Check: func(r Resource) []string {
			var out []string
			if !inheritsEncryption(r) {
				out = mustBeTrue(r.Inputs, "in-transit encryption", "transitEncryptionEnabled")
			}
			if mode, st := str(r.Inputs, "transitEncryptionMode"); st == known && mode != "required" {
				out = append(out, fmt.Sprintf("transitEncryptionMode is %q: clients may still connect without TLS", mode))
			}
			return out
		},
	},
	{
		ID:            "AGM-CACHE-003",
		Description:   "ElastiCache replication groups require AUTH (an auth token, held as a secret)",
		Checkov:       nil, // CKV_AWS_31 also needs transit encryption set on the secondary: docs/policies.md
		SecurityHub:   []string{"ElastiCache.6"},
		ResourceTypes: []string{TypeReplicationGroup},
		Check: func(r Resource) []string {
			v, ok := r.Inputs["authToken"]
			if _, st := str(r.Inputs, "authToken"); st == absent {
				if ids, _ := strs(r.Inputs, "userGroupIds"); len(ids) > 0 {
					return nil // RBAC user groups instead of a token
				}
				return []string{"no authToken and no userGroupIds: anyone who reaches the port can use the cache"}
			}
			if ok && !v.IsSecret() && !v.IsComputed() && !(v.IsOutput() && v.OutputValue().Secret) {
				return []string{"authToken is a plain value: it would be stored unencrypted in the state"}
			}
			return nil
		},
	},
	{
		ID:            "AGM-CACHE-004",
		Description:   "ElastiCache replication groups fail over automatically",
		Checkov:       []string{"CKV2_AWS_50"},
		SecurityHub:   []string{"ElastiCache.3"},
		ResourceTypes: []string{TypeReplicationGroup},
		Check: func(r Resource) []string {
			return mustBeTrue(r.Inputs, "automatic failover", "automaticFailoverEnabled")
		},
	},
	{
		ID:            "AGM-CACHE-005",
		Description:   "ElastiCache replication groups are Multi-AZ with at least two nodes",
		Checkov:       nil, // CKV2_AWS_50 checks automatic failover only (AGM-CACHE-004)
		ResourceTypes: []string{TypeReplicationGroup},
		Check: func(r Resource) []string {
			out := mustBeTrue(r.Inputs, "Multi-AZ", "multiAzEnabled")
			if n, st := number(r.Inputs, "numCacheClusters"); st == known && n < 2 {
				out = append(out, fmt.Sprintf("numCacheClusters is %g: Multi-AZ needs a replica in another zone", n))
			}
			return out
		},
	},
	{
		ID:            "AGM-CACHE-006",
		Description:   "ElastiCache replication groups take daily snapshots (snapshotRetentionLimit at least 1)",
		Checkov:       nil, // CKV_AWS_134 checks aws_elasticache_cluster, not replication groups
		SecurityHub:   []string{"ElastiCache.1"},
		ResourceTypes: []string{TypeReplicationGroup},
		Check: func(r Resource) []string {
			n, st := number(r.Inputs, "snapshotRetentionLimit")
			if st == unknown || (st == known && n >= 1) {
				return nil
			}
			return []string{"snapshotRetentionLimit is not set or 0: no automatic snapshots"}
		},
	},
}
