package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/components/waf"
	"github.com/agm-dr/agm-dr/config"
)

// The web ACL each stack registers lets an AGM venue through: 300 shareholders behind one
// address polling every 5 s send 18,000 requests in WAF's 5-minute window.
func TestRegisteredRateLimitLetsAVenueThrough(t *testing.T) {
	venue := config.VenueRequests(config.VenueShareholders, config.VenuePollSeconds)
	require.Equal(t, 18000, venue)
	for _, stack := range config.Stacks() {
		acl := only(t, mustRun(t, stack, nil), "aws:wafv2/webAcl:WebAcl")
		found := false
		for _, r := range acl.Inputs["rules"].ArrayValue() {
			rule := r.ObjectValue()
			if rule["name"].StringValue() != waf.RateRuleName {
				continue
			}
			found = true
			limit := rule["statement"].ObjectValue()["rateBasedStatement"].ObjectValue()["limit"].NumberValue()
			assert.Greater(t, limit, float64(venue), "%s: a venue behind one address is blocked mid-meeting", stack)
		}
		assert.True(t, found, "%s: the rate rule is registered", stack)
	}
}
