package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultSecurityGroupHasNoRules(t *testing.T) {
	res := run(t, validArgs())
	sg := get(t, res, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg")
	assert.Equal(t, "net-vpc-id", str(sg, "vpcId"))
	for _, k := range []resource.PropertyKey{"ingress", "egress"} {
		v, ok := sg.Inputs[k]
		require.True(t, ok, "default SG %s is not managed (must be set to empty to remove AWS's rules)", k)
		assert.True(t, v.IsArray() && len(v.ArrayValue()) == 0, "default SG has %s rules: %v", k, v)
	}
}

func TestEndpointSecurityGroupAllowsOnlyHTTPSFromVpc(t *testing.T) {
	res := run(t, validArgs())
	sg := get(t, res, sgT, "net-endpoints-sg")
	ingress := sg.Inputs["ingress"].ArrayValue()
	require.Len(t, ingress, 1)
	rule := ingress[0].ObjectValue()
	assert.Equal(t, 443.0, rule["fromPort"].NumberValue())
	assert.Equal(t, 443.0, rule["toPort"].NumberValue())
	assert.Equal(t, "tcp", rule["protocol"].StringValue())
	assert.Equal(t, []resource.PropertyValue{resource.NewStringProperty("10.10.0.0/16")}, rule["cidrBlocks"].ArrayValue())
	assert.Empty(t, sg.Inputs["egress"].ArrayValue())
}

func TestEndpointsLetTasksStartWithoutNat(t *testing.T) {
	res := run(t, validArgs())
	privateSubnets := []string{"net-private-ap-northeast-1a-id", "net-private-ap-northeast-1c-id", "net-private-ap-northeast-1d-id"}
	for _, svc := range []string{"ecr.api", "ecr.dkr", "secretsmanager", "logs", "sqs", "kms", "sts"} {
		found := false
		for _, e := range res.Find(vpceT) {
			if str(e, "serviceName") != "com.amazonaws.ap-northeast-1."+svc {
				continue
			}
			found = true
			assert.Equal(t, "Interface", str(e, "vpcEndpointType"))
			assert.True(t, e.Inputs["privateDnsEnabled"].BoolValue(), "%s without private DNS", svc)
			assert.ElementsMatch(t, privateSubnets, strs(e, "subnetIds"))
			assert.Equal(t, []string{"net-endpoints-sg-id"}, strs(e, "securityGroupIds"))
		}
		assert.True(t, found, "no interface endpoint for %s", svc)
	}
	s3 := get(t, res, vpceT, "net-vpce-s3")
	assert.Equal(t, "Gateway", str(s3, "vpcEndpointType"))
	assert.ElementsMatch(t, []string{"net-private-rt-ap-northeast-1a-id", "net-private-rt-ap-northeast-1c-id", "net-private-rt-ap-northeast-1d-id"}, strs(s3, "routeTableIds"))
}

func TestTaskSecurityGroupHasNoIngress(t *testing.T) {
	res := run(t, validArgs())
	sg := get(t, res, sgT, "net-tasks-sg")
	assert.Empty(t, sg.Inputs["ingress"].V, "task SG has inline ingress")
	egress := 0
	for _, r := range res.Find(ruleT) {
		if str(r, "securityGroupId") != "net-tasks-sg-id" {
			continue
		}
		assert.Equal(t, "egress", str(r, "type"), "task SG rule %s admits traffic", r.Name)
		egress++
	}
	assert.Equal(t, 3, egress)
	pg := get(t, res, ruleT, "net-tasks-egress-postgres")
	assert.Equal(t, []string{"10.10.0.0/16"}, strs(pg, "cidrBlocks"))
}
