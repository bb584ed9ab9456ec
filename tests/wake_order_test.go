package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

// A wake creates the NAT gateway, its default routes and the interface endpoints again, in
// parallel with the rest of the `up`. The Capacity gate is what starts tasks (it raises the
// floor and the desired count), so it must wait for all of them: a task started before them
// cannot pull its image (ECR), read its secrets or write its logs, and ECS backs off.
func TestCapacityGateWaitsForTheNetwork(t *testing.T) {
	profiles := map[string]map[string]string{"production": nil, "dev awake": dev(false, config.Tokyo)}
	for _, stack := range config.Stacks() {
		for pname, overrides := range profiles {
			t.Run(fmt.Sprintf("%s %s", stack, pname), func(t *testing.T) {
				res := mustRun(t, stack, overrides)
				gate := only(t, res, "agmdr:index:Capacity")
				var needed []string
				for _, r := range res.Resources {
					switch {
					case r.Type == "aws:ec2/natGateway:NatGateway",
						r.Type == "aws:ec2/route:Route" && strings.Contains(r.Name, "private-default"),
						r.Type == "aws:ec2/vpcEndpoint:VpcEndpoint" && r.Inputs["vpcEndpointType"].StringValue() == "Interface":
						needed = append(needed, r.Key())
					}
				}
				require.NotEmpty(t, needed)
				for _, k := range needed {
					assert.True(t, slices.ContainsFunc(gate.DependsOn, func(u string) bool { return isURNOf(u, k) }),
						"the capacity gate starts tasks before %s exists", k)
				}
			})
		}
	}
}

// The home stack enables DNSSEC signing only after the certificate's DNS validation, which
// completes once the zone's delegation works: not in the same breath as creating the zone.
func TestSigningWaitsForTheCertificateValidation(t *testing.T) {
	res := mustRun(t, config.TokyoStack, nil)
	sign := only(t, res, "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec")
	valid := only(t, res, "aws:acm/certificateValidation:CertificateValidation")
	assert.True(t, slices.ContainsFunc(sign.DependsOn, func(u string) bool { return isURNOf(u, valid.Key()) }),
		"signing does not wait for the delegation; it depends on %s", strings.Join(sign.DependsOn, ", "))
}
