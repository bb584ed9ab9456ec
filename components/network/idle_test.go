package network_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIdleNetworkHasNoHourlyEgress: a sleeping dev network keeps its subnets and the free S3
// gateway endpoint but has no NAT gateway, no elastic IP, no private default route and no
// interface endpoint; awake, the same args have all of them.
func TestIdleNetworkHasNoHourlyEgress(t *testing.T) {
	for _, idle := range []bool{false, true} {
		args := validArgs()
		args.SingleNat = true
		args.Idle = idle
		res := run(t, args)
		interfaces, gateways := 0, 0
		for _, e := range res.Find(vpceT) {
			if str(e, "vpcEndpointType") == "Interface" {
				interfaces++
			} else {
				gateways++
			}
		}
		require.Len(t, res.Find(subnetT), 9, "idle=%v keeps every subnet", idle)
		assert.Equal(t, 1, gateways, "idle=%v keeps the S3 gateway endpoint", idle)
		if idle {
			assert.Empty(t, res.Find(natT))
			assert.Empty(t, res.Find("aws:ec2/eip:Eip"))
			assert.Zero(t, interfaces)
			assert.Len(t, res.Find(routeT), 1, "only the public default route")
			continue
		}
		assert.Len(t, res.Find(natT), 1)
		assert.NotZero(t, interfaces)
		assert.Len(t, res.Find(routeT), 4)
	}
}
