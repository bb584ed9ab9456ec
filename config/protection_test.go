package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

func TestProtectionDefaults(t *testing.T) {
	for _, tc := range []struct {
		profile   string
		retention int
	}{{"production", 35}, {"dev", config.MinBackupRetentionDays}} {
		raw := valid()
		raw[config.KeyProfile] = tc.profile
		raw[config.KeySeason] = `{"windows":[]}`
		c, err := config.Parse(config.TokyoStack, raw)
		require.NoError(t, err)
		assert.Equal(t, config.WAFBlock, c.WAF.Mode, tc.profile)
		assert.False(t, c.WAF.CountOnly())
		assert.Equal(t, config.DefaultWAFRateLimit, c.WAF.RateLimit)
		assert.Equal(t, config.BaselineRuleGroups, c.WAF.ManagedRuleGroups)
		assert.Equal(t, tc.retention, c.Backup.RetentionDays, tc.profile)
		assert.Equal(t, 26, c.Backup.MaxAgeHours)
	}
}

func TestProtectionValues(t *testing.T) {
	cases := []struct {
		name, key, value, wantErr string
	}{
		{"count mode", config.KeyWAF, `{"mode":"count","rateLimit":10}`, ""},
		{"extra group", config.KeyWAF, `{"managedRuleGroups":["AWSManagedRulesCommonRuleSet","AWSManagedRulesKnownBadInputsRuleSet","AWSManagedRulesAmazonIpReputationList","AWSManagedRulesSQLiRuleSet"]}`, ""},
		{"rate 9", config.KeyWAF, `{"rateLimit":9}`, "rateLimit is 9; allowed: 10 to 2000000000"},
		{"rate 0", config.KeyWAF, `{"rateLimit":0}`, "rateLimit is 0"},
		{"unknown group", config.KeyWAF, `{"managedRuleGroups":["AWSManagedRulesCommonRuleSet","AWSManagedRulesKnownBadInputsRuleSet","AWSManagedRulesAmazonIpReputationList","Shield"]}`, `"Shield" is not a known AWS managed rule group`},
		{"duplicate group", config.KeyWAF, `{"managedRuleGroups":["AWSManagedRulesCommonRuleSet","AWSManagedRulesCommonRuleSet","AWSManagedRulesKnownBadInputsRuleSet","AWSManagedRulesAmazonIpReputationList"]}`, "listed twice"},
		{"baseline missing", config.KeyWAF, `{"managedRuleGroups":[]}`, "must include AWSManagedRulesCommonRuleSet"},
		{"retention 7", config.KeyBackup, `{"retentionDays":7}`, ""},
		{"retention 6", config.KeyBackup, `{"retentionDays":6}`, "retentionDays is 6; allowed: 7 (minimum)"},
		{"max age 721", config.KeyBackup, `{"maxAgeHours":721}`, "maxAgeHours is 721"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := valid()
			raw[tc.key] = tc.value
			_, err := config.Parse(config.TokyoStack, raw)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.key+": ")
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestDefaultRateLimitLetsAVenueThrough: 300 shareholders behind one venue or carrier NAT address,
// polling every 5 s, plus each loading the page and voting on ten resolutions within the same
// 5 minutes, stay under the default per-address limit. The former default (2000) blocked them
// within the first 35 seconds.
func TestDefaultRateLimitLetsAVenueThrough(t *testing.T) {
	const shareholders, poll, pageLoad, votes = 300, 5, 20, 10
	inWindow := config.VenueRequests(shareholders, poll) + shareholders*(pageLoad+votes)
	assert.Equal(t, 18000+9000, inWindow)
	assert.Less(t, inWindow, config.DefaultWAFRateLimit, "a venue is blocked mid-meeting")
	assert.Greater(t, inWindow, 2000)
}
