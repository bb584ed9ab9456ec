package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

// protectionTypes are the protection controls' resources in every stack. Listing them here makes the
// flip-contract tests (TestFlipChangesNoDataResource, TestPolicyFlipContract) provably cover
// them: they are registered in both stacks in both roles, so a flip that changed one would show
// in the diff.
var protectionTypes = []string{
	"aws:wafv2/webAcl:WebAcl",
	"aws:wafv2/webAclAssociation:WebAclAssociation",
	"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
	"aws:backup/vault:Vault",
	"aws:backup/plan:Plan",
	"aws:backup/selection:Selection",
	"aws:s3/bucketLoggingV2:BucketLoggingV2",
	"aws:rds/clusterParameterGroup:ClusterParameterGroup",
}

func TestProtectionIsTheSameInBothStacksAndRoles(t *testing.T) {
	for _, stack := range config.Stacks() {
		for _, p := range config.Regions() {
			res := mustRun(t, stack, primary(p))
			for _, typ := range protectionTypes {
				assert.NotEmpty(t, res.Find(typ), "%s (primary %s) registers no %s", stack, p, typ)
			}
		}
	}
	// Same inputs in both roles: the flip changes none of them.
	for _, stack := range config.Stacks() {
		a := mustRun(t, stack, primary(config.Tokyo))
		b := mustRun(t, stack, primary(config.Osaka))
		for _, c := range capture.Diff(a, b) {
			for _, typ := range protectionTypes {
				assert.NotEqual(t, typ, c.Type, "flip changes %s", c)
			}
		}
	}
}

func TestVaultLockOnlyInProduction(t *testing.T) {
	for _, tc := range []struct {
		profile string
		locks   int
	}{{"production", 1}, {"dev", 0}} {
		o := scenario{config.TokyoStack, config.Tokyo, config.Profile(tc.profile)}.overrides()
		res := mustRun(t, config.TokyoStack, o)
		assert.Len(t, res.Find("aws:backup/vaultLockConfiguration:VaultLockConfiguration"), tc.locks, tc.profile)
		plan := only(t, res, "aws:backup/plan:Plan")
		rule := plan.Inputs["rules"].ArrayValue()[0].ObjectValue()
		want := map[string]float64{"production": 35, "dev": 7}[tc.profile]
		assert.Equal(t, want, rule["lifecycle"].ObjectValue()["deleteAfter"].NumberValue(), "retention by profile")
		cp := rule["copyActions"].ArrayValue()[0].ObjectValue()
		assert.Equal(t, "arn:aws:backup:ap-northeast-3:123456789012:backup-vault:agm-dr-aurora", cp["destinationVaultArn"].StringValue(),
			"copies go to the peer's vault, named like the other cross-region names")
	}
}

func TestZoneProtectionOnlyWhereTheZoneIsCreated(t *testing.T) {
	cases := []struct {
		name  string
		stack string
		set   map[string]string
		want  int
	}{
		{"home creates the zone", config.TokyoStack, nil, 1},
		{"peer only looks it up", config.OsakaStack, nil, 0},
		{"existing zone given", config.TokyoStack, map[string]string{config.KeyDomain: `{"name":"agm.example.jp","zoneId":"Z0123456789ABC","readinessPath":"/readyz/primary"}`}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := mustRun(t, tc.stack, tc.set)
			assert.Len(t, res.Find("aws:route53/hostedZoneDnsSec:HostedZoneDnsSec"), tc.want)
			assert.Len(t, res.Find("aws:route53/queryLog:QueryLog"), tc.want)
		})
	}
}

func TestEnhancedMonitoringOnlyInProduction(t *testing.T) {
	for _, p := range []config.Profile{config.Production, config.Dev} {
		res := mustRun(t, config.OsakaStack, scenario{config.OsakaStack, config.Tokyo, p}.overrides())
		insts := res.Find("aws:rds/clusterInstance:ClusterInstance")
		require.NotEmpty(t, insts)
		for _, in := range insts {
			_, has := in.Inputs["monitoringInterval"]
			assert.Equal(t, p == config.Production, has, "%s %s", p, in.Name)
		}
	}
}
