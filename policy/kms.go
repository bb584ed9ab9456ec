package policy

import "fmt"

// KMS and CloudWatch Logs resource types.
const (
	TypeKmsKey   = "aws:kms/key:Key"
	TypeLogGroup = "aws:cloudwatch/logGroup:LogGroup"
)

// MinLogRetentionDays is the shortest log retention allowed: a drill or an AGM must still be
// reviewable a month later. (Checkov CKV_AWS_338 asks 365, which production meets.)
const MinLogRetentionDays = 30

var kmsRules = []Rule{
	{
		ID:            "AGM-KMS-001",
		Description:   "symmetric KMS keys rotate automatically (asymmetric keys, e.g. the DNSSEC signing key, cannot)",
		Checkov:       []string{"CKV_AWS_7"},
		SecurityHub:   []string{"KMS.4"},
		ResourceTypes: []string{TypeKmsKey},
		Check: func(r Resource) []string {
			// KMS supports automatic rotation of symmetric encryption keys only; Checkov's
			// CKV_AWS_7 skips other key specs the same way.
			if spec, st := str(r.Inputs, "customerMasterKeySpec"); st == known && spec != "SYMMETRIC_DEFAULT" {
				return nil
			}
			return mustBeTrue(r.Inputs, "key rotation", "enableKeyRotation")
		},
	},
	{
		ID:            "AGM-KMS-002",
		Description:   "KMS key policies are explicit and allow nothing to a wildcard principal",
		Checkov:       []string{"CKV_AWS_33", "CKV2_AWS_64"},
		SecurityHub:   []string{"KMS.5"},
		ResourceTypes: []string{TypeKmsKey},
		Check: func(r Resource) []string {
			if _, st := str(r.Inputs, "policy"); st == absent {
				return []string{"no key policy: the default policy hands the key to any IAM policy of the account"}
			}
			return noWildcardAllow(r, "policy")
		},
	},
}

var logRules = []Rule{
	{
		ID:            "AGM-LOG-001",
		Description:   fmt.Sprintf("CloudWatch log groups have a retention of at least %d days (never unset, never infinite)", MinLogRetentionDays),
		Checkov:       []string{"CKV_AWS_66"},
		SecurityHub:   []string{"CloudWatch.16"},
		ResourceTypes: []string{TypeLogGroup},
		Check: func(r Resource) []string {
			n, st := number(r.Inputs, "retentionInDays")
			switch {
			case st == unknown:
				return nil
			case st == absent || n == 0:
				return []string{"retentionInDays is not set: logs are kept (and paid for) forever"}
			case n < MinLogRetentionDays:
				return []string{fmt.Sprintf("retentionInDays is %g; want at least %d", n, MinLogRetentionDays)}
			}
			return nil
		},
	},
	{
		ID:            "AGM-LOG-002",
		Description:   "CloudWatch log groups are encrypted with a customer-managed KMS key",
		Checkov:       []string{"CKV_AWS_158"},
		ResourceTypes: []string{TypeLogGroup},
		Check: func(r Resource) []string {
			return customerKey(r.Inputs, "the log group", "kmsKeyId")
		},
	},
}
