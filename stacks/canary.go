package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/canary"
)

// canaryName is this region's Synthetics canary.
func (n names) canaryName(region string) string { return CanaryName(n.prefix, region) }

// CanaryName is the name of a region's Synthetics canary for a name prefix: the prefix and the
// region's short code, cut to what Synthetics accepts (drctl reads its runs after a drill).
func CanaryName(prefix, region string) string {
	s := prefix + "-probe-" + short(region)
	if len(s) > canary.MaxNameLength {
		s = s[:canary.MaxNameLength]
	}
	return s
}

// addCanary runs the drill's probe from inside AWS in this region: the public name and this
// region's load balancer, every minute, alarming to the region's topic. Its code and runs live
// under synthetics/ in the region's log bucket (created by the app component). The same in both
// regions and independent of primaryRegion; paused while a dev environment sleeps.
func (r *region) addCanary() error {
	_, err := canary.New(r.ctx, "canary", &canary.Args{
		Name:             r.n.canaryName(r.cfg.Region),
		PublicHost:       r.cfg.Domain.Name,
		LoadBalancerHost: r.front.app.LoadBalancerDNSName,
		Bucket:           pulumi.String(r.n.logBucket(r.cfg.Region)),
		AlarmTopicArn:    r.alarms.mon.TopicArn,
		Paused:           r.cfg.Sleeping,
	}, pulumi.DependsOn([]pulumi.Resource{r.front.app}))
	return err
}
