package waf_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/waf"
)

const (
	aclType     = "aws:wafv2/webAcl:WebAcl"
	assocType   = "aws:wafv2/webAclAssociation:WebAclAssociation"
	loggingType = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
	logType     = "aws:cloudwatch/logGroup:LogGroup"
	keyArn      = "arn:aws:kms:ap-northeast-1:123456789012:key/test"
	albArn      = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/agm/1"
)

var baseline = []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}

func args() *waf.Args {
	return &waf.Args{
		Name: "agm-dr-ap-northeast-1", RateLimit: 2000, ManagedRuleGroups: baseline,
		ResourceArn: pulumi.String(albArn), KmsKeyArn: pulumi.String(keyArn), LogRetentionDays: 365,
	}
}

func run(t *testing.T, a *waf.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := waf.New(ctx, "waf", a)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
}

func get(t *testing.T, res *capture.Result, typ, name string) capture.Resource {
	t.Helper()
	r, ok := res.Get(typ, name)
	require.True(t, ok, "%s %s is registered", typ, name)
	return r
}

// rulesByName returns the ACL's rules keyed by name.
func rulesByName(t *testing.T, acl capture.Resource) map[string]resource.PropertyMap {
	t.Helper()
	out := map[string]resource.PropertyMap{}
	for _, r := range acl.Inputs["rules"].ArrayValue() {
		m := r.ObjectValue()
		out[m["name"].StringValue()] = m
	}
	return out
}

func TestWebACLIsRegionalWithBaselineGroupsAndRateRule(t *testing.T) {
	res, err := run(t, args())
	require.NoError(t, err)
	acl := get(t, res, aclType, "waf-acl")
	assert.Equal(t, "REGIONAL", acl.Inputs["scope"].StringValue())
	rules := rulesByName(t, acl)
	require.Len(t, rules, 4)
	for _, g := range baseline {
		r, ok := rules[g]
		require.True(t, ok, "rule group %s", g)
		st := r["statement"].ObjectValue()["managedRuleGroupStatement"].ObjectValue()
		assert.Equal(t, g, st["name"].StringValue())
		assert.Equal(t, "AWS", st["vendorName"].StringValue())
		assert.True(t, r["overrideAction"].ObjectValue().HasValue("none"), "%s keeps the group's own actions in block mode", g)
	}
	rate := rules[waf.RateRuleName]
	rb := rate["statement"].ObjectValue()["rateBasedStatement"].ObjectValue()
	assert.Equal(t, 2000.0, rb["limit"].NumberValue())
	assert.Equal(t, "IP", rb["aggregateKeyType"].StringValue())
	assert.True(t, rate["action"].ObjectValue().HasValue("block"), "rate rule blocks in block mode")
}

func TestCountOnlyModeCountsEverything(t *testing.T) {
	a := args()
	a.CountOnly = true
	res, err := run(t, a)
	require.NoError(t, err)
	for name, r := range rulesByName(t, get(t, res, aclType, "waf-acl")) {
		if name == waf.RateRuleName {
			assert.True(t, r["action"].ObjectValue().HasValue("count"), "rate rule counts")
			assert.False(t, r["action"].ObjectValue().HasValue("block"))
			continue
		}
		assert.True(t, r["overrideAction"].ObjectValue().HasValue("count"), "%s is overridden to count", name)
	}
}

func TestACLIsAssociatedWithTheLoadBalancerAndLogsEncrypted(t *testing.T) {
	res, err := run(t, args())
	require.NoError(t, err)
	assoc := get(t, res, assocType, "waf-alb")
	assert.Equal(t, albArn, assoc.Inputs["resourceArn"].StringValue())
	logs := get(t, res, logType, "waf-logs")
	assert.Equal(t, waf.LogGroupPrefix+"agm-dr-ap-northeast-1", logs.Inputs["name"].StringValue())
	assert.Equal(t, keyArn, logs.Inputs["kmsKeyId"].StringValue())
	assert.Equal(t, 365.0, logs.Inputs["retentionInDays"].NumberValue())
	lc := get(t, res, loggingType, "waf-logging")
	dest := lc.Inputs["logDestinationConfigs"].ArrayValue()
	require.Len(t, dest, 1)
	assert.Contains(t, dest[0].StringValue(), "waf-logs", "logs go to the encrypted group")
}

func TestBadArgsAreRejected(t *testing.T) {
	cases := map[string]func(*waf.Args) *waf.Args{
		"nil":           func(*waf.Args) *waf.Args { return nil },
		"zero rate":     func(a *waf.Args) *waf.Args { a.RateLimit = 0; return a },
		"negative rate": func(a *waf.Args) *waf.Args { a.RateLimit = -5; return a },
		"no groups":     func(a *waf.Args) *waf.Args { a.ManagedRuleGroups = nil; return a },
		"no alb":        func(a *waf.Args) *waf.Args { a.ResourceArn = nil; return a },
		"no key":        func(a *waf.Args) *waf.Args { a.KmsKeyArn = nil; return a },
		"bad name":      func(a *waf.Args) *waf.Args { a.Name = "has space"; return a },
		"no retention":  func(a *waf.Args) *waf.Args { a.LogRetentionDays = 0; return a },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := run(t, mutate(args()))
			require.Error(t, err)
			if res != nil {
				assert.Empty(t, res.Find(aclType))
			}
		})
	}
}
