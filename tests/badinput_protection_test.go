package tests

import (
	"testing"

	"github.com/agm-dr/agm-dr/config"
)

// badProtection are hostile values of the WAF and backup keys. They live apart from badInputs
// so that table (and the count the README states) stays the parser's own.
var badProtection = []badInput{
	{"waf: rate limit 0", map[string]string{config.KeyWAF: `{"rateLimit":0}`}, config.KeyWAF, "rateLimit is 0"},
	{"waf: negative rate limit", map[string]string{config.KeyWAF: `{"rateLimit":-100}`}, config.KeyWAF, "rateLimit is -100"},
	{"waf: rate limit above AWS's maximum", map[string]string{config.KeyWAF: `{"rateLimit":3000000000}`}, config.KeyWAF, "rateLimit is 3000000000"},
	{"waf: unknown managed rule group", map[string]string{config.KeyWAF: `{"managedRuleGroups":["AWSManagedRulesCommonRuleSet","AWSManagedRulesKnownBadInputsRuleSet","AWSManagedRulesAmazonIpReputationList","AWSManagedRulesCommonRuleSett"]}`}, config.KeyWAF, "not a known AWS managed rule group"},
	{"waf: baseline group dropped", map[string]string{config.KeyWAF: `{"managedRuleGroups":["AWSManagedRulesCommonRuleSet"]}`}, config.KeyWAF, "must include AWSManagedRulesKnownBadInputsRuleSet"},
	{"waf: unknown mode", map[string]string{config.KeyWAF: `{"mode":"off"}`}, config.KeyWAF, `mode "off" is not allowed`},
	{"waf: null", map[string]string{config.KeyWAF: `null`}, config.KeyWAF, "empty or null"},
	{"backup: retention below the minimum", map[string]string{config.KeyBackup: `{"retentionDays":3}`}, config.KeyBackup, "retentionDays is 3"},
	{"backup: negative retention", map[string]string{config.KeyBackup: `{"retentionDays":-1}`}, config.KeyBackup, "retentionDays is -1"},
	{"backup: max age 0", map[string]string{config.KeyBackup: `{"maxAgeHours":0}`}, config.KeyBackup, "maxAgeHours is 0"},
	{"backup: unknown field", map[string]string{config.KeyBackup: `{"retention":35}`}, config.KeyBackup, "unknown field"},
}

func TestBadProtectionConfigIsRefusedBeforeAnythingIsRegistered(t *testing.T) {
	for _, stack := range config.Stacks() {
		for _, c := range badProtection {
			t.Run(stack+"/"+c.name, func(t *testing.T) {
				res, err := runAsEngine(t, stack, c.set)
				checkRefused(t, c, res, err)
			})
		}
	}
}
