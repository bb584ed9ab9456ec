package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/policy"
)

// TestPolicyVaultLockEveryScenario is AGM-BAK-003 (it needs the profile) over the eight runs.
func TestPolicyVaultLockEveryScenario(t *testing.T) {
	for _, s := range scenarios() {
		t.Run(s.String(), func(t *testing.T) {
			vs := policy.VaultLock(s.profile == config.Production, resources(runScenario(t, s)))
			assert.Empty(t, vs, policy.Format(vs))
		})
	}
}

// TestPolicyCatchesMissingProtection breaks each issue-10 control in a real captured run (the
// home stack, primary, production: it has every control, the hosted zone's included) and the
// rules must report it.
func TestPolicyCatchesMissingProtection(t *testing.T) {
	base := resources(runScenario(t, scenario{config.TokyoStack, config.Tokyo, config.Production}))
	mandatory, _ := policy.Split(policy.Evaluate(base))
	require.Empty(t, mandatory, policy.Format(mandatory))

	cases := []struct {
		rule   string
		broken []policy.Resource
	}{
		{"AGM-WAF-001", without(base, policy.TypeWebACLAssociation)},
		{"AGM-WAF-002", mutate(t, base, policy.TypeWebACL, "rules", []any{}, nil)},
		{"AGM-WAF-003", without(base, policy.TypeWebACLLogging)},
		{"AGM-BAK-001", without(base, policy.TypeBackupSelection)},
		{"AGM-BAK-002", mutate(t, base, policy.TypeBackupVault, "kmsKeyArn", nil, nil)},
		{"AGM-S3-009", without(base, policy.TypeBucketLogging)},
		{"AGM-RDS-008", without(base, policy.TypeClusterParamGroup)},
		{"AGM-RDS-009", mutate(t, base, policy.TypeClusterInstance, "monitoringInterval", nil, nil)},
		{"AGM-DNS-001", without(base, policy.TypeHostedZoneDNSSEC)},
		{"AGM-DNS-002", without(base, policy.TypeQueryLog)},
		{"AGM-CACHE-007", mutate(t, base, policy.TypeReplicationGroup, "authTokenUpdateStrategy", "SET", nil)},
		{"AGM-SM-003", mutate(t, without(base, policy.TypeGlobalCluster), policy.TypeCluster, "", nil, func(r *policy.Resource) {
			r.Inputs = r.Inputs.Copy()
			delete(r.Inputs, resource.PropertyKey("globalClusterIdentifier"))
		})},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			vs := policy.Evaluate(c.broken)
			var ids []string
			for _, v := range vs {
				ids = append(ids, v.Rule)
			}
			assert.Contains(t, ids, c.rule, policy.Format(vs))
		})
	}
	t.Run("AGM-BAK-003", func(t *testing.T) {
		vs := policy.VaultLock(true, without(base, policy.TypeBackupVaultLock))
		assert.NotEmpty(t, vs)
	})
	t.Run("AGM-WAF-004 count mode is reported, not failing", func(t *testing.T) {
		res := mustRun(t, config.TokyoStack, map[string]string{config.KeyWAF: `{"mode":"count"}`})
		mandatory, advisory := policy.Split(policy.Evaluate(resources(res)))
		assert.Empty(t, mandatory, policy.Format(mandatory))
		require.NotEmpty(t, advisory)
		assert.Contains(t, policy.Format(advisory), "AGM-WAF-004")
	})
}
