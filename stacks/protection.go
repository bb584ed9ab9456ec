package stacks

import (
	"github.com/agm-dr/agm-dr/components/waf"
)

// addWAF puts the same web ACL in front of this region's load balancer in both stacks: nothing
// in it depends on primaryRegion, so a flip never changes it and the standby is protected the
// moment it takes traffic.
func (r *region) addWAF() error {
	w := r.cfg.WAF
	_, err := waf.New(r.ctx, "waf", &waf.Args{
		Name:              r.n.webACL(r.cfg.Region),
		CountOnly:         w.CountOnly(),
		RateLimit:         w.RateLimit,
		ManagedRuleGroups: w.ManagedRuleGroups,
		ResourceArn:       r.front.app.LoadBalancerArn,
		KmsKeyArn:         r.key.KeyArn,
		LogRetentionDays:  r.size.logRetentionDays,
	})
	return err
}
