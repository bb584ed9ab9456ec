package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/stacks"
)

// Route 53's control plane runs in us-east-1 whichever region failed: the program of either
// stack, in either role, builds without one Route 53 call (the mock refuses route53 lookups),
// and the peer stack takes the hosted zone from the home stack's outputs.
func TestProgramMakesNoRoute53CallWhileItBuilds(t *testing.T) {
	for _, stack := range []string{config.TokyoStack, config.OsakaStack} {
		for _, p := range []string{config.Tokyo, config.Osaka} {
			t.Run(stack+" with primary "+p, func(t *testing.T) {
				res := mustRun(t, stack, primary(p))
				for _, c := range res.Calls {
					assert.False(t, strings.HasPrefix(c, "aws:route53/"), "the program called %s while it built", c)
				}
				if stack == config.OsakaStack {
					tr := only(t, res, "agmdr:index:Traffic")
					assert.Equal(t, peerOutputs[config.TokyoStack][stacks.OutZoneID], tr.Inputs["zoneId"].StringValue(),
						"osaka's records go in the zone the home stack exported")
				}
			})
		}
	}
}

// Each region's health check probes its readiness path with a string match: its status is the
// data-plane routing decision (docs/app-contract.md).
func TestEachRegionsHealthCheckProbesTheReadinessPath(t *testing.T) {
	for _, stack := range []string{config.TokyoStack, config.OsakaStack} {
		res := mustRun(t, stack, nil)
		hc := only(t, res, "aws:route53/healthCheck:HealthCheck")
		assert.Equal(t, "/readyz/primary", hc.Inputs["resourcePath"].StringValue(), stack)
		assert.Equal(t, "HTTPS_STR_MATCH", hc.Inputs["type"].StringValue(), stack)
		tr := only(t, res, "agmdr:index:Traffic")
		require.NotEmpty(t, tr.Inputs["healthCheckId"].StringValue(), "%s: the record carries its health check", stack)
	}
}
