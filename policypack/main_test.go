package main

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/policy"
)

// recorder is a policyx.PolicyManager that keeps what is reported (policyx has no test harness).
type recorder struct{ got []string }

func (r *recorder) ReportViolation(message, urn string) { r.got = append(r.got, urn+" "+message) }

func analyzed(typ, name string, inputs map[string]any, protect bool) policyx.AnalyzerResource {
	return policyx.AnalyzerResource{
		Type: typ, Name: name, URN: "urn:pulumi:tokyo::agm-dr::" + typ + "::" + name,
		Properties: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(inputs)),
		Options:    pulumi.ResourceOptions{Protect: protect},
	}
}

func policies(t *testing.T) map[string]policyx.Policy {
	t.Helper()
	pack, err := Pack()
	require.NoError(t, err)
	assert.Equal(t, Name, pack.Name())
	out := map[string]policyx.Policy{}
	for _, p := range pack.Policies() {
		require.NotContains(t, out, p.Name(), "duplicate policy")
		out[p.Name()] = p
	}
	require.Len(t, out, len(policy.Rules)+len(policy.StackRules))
	return out
}

func validate(t *testing.T, p policyx.Policy, r policyx.AnalyzerResource) []string {
	t.Helper()
	m := &recorder{}
	require.NoError(t, p.(policyx.ResourceValidationPolicy).Validate(context.Background(),
		policyx.ResourceValidationArgs{Manager: m, Resource: r}))
	return m.got
}

func TestPackResourcePolicies(t *testing.T) {
	ps := policies(t)
	key := func(rotate bool) policyx.AnalyzerResource {
		return analyzed(policy.TypeKmsKey, "key", map[string]any{"enableKeyRotation": rotate, "policy": `{"Statement":[]}`}, true)
	}
	assert.Empty(t, validate(t, ps["AGM-KMS-001"], key(true)))
	assert.Len(t, validate(t, ps["AGM-KMS-001"], key(false)), 1)
	assert.Empty(t, validate(t, ps["AGM-RDS-001"], key(false)), "a rule ignores other types")

	unprotected := key(true)
	unprotected.Options.Protect = false
	got := validate(t, ps["AGM-DR-001"], unprotected)
	require.Len(t, got, 1, "retainOnDelete is not visible to the pack, so only protect is judged")
	assert.Contains(t, got[0], "not protected")
	assert.Empty(t, validate(t, ps["AGM-DR-001"], key(true)))
}

func TestPackStackPolicies(t *testing.T) {
	ps := policies(t)
	vpc := analyzed(policy.TypeVpc, "vpc", map[string]any{"cidrBlock": "10.10.0.0/16"}, false)
	flow := analyzed(policy.TypeFlowLog, "flow", map[string]any{"vpcId": "vpc-1", "trafficType": "ALL"}, false)
	flow.PropertyDependencies = map[string][]string{"vpcId": {vpc.URN}}

	run := func(rs ...policyx.AnalyzerResource) []string {
		m := &recorder{}
		require.NoError(t, ps["AGM-NET-003"].(policyx.StackValidationPolicy).Validate(context.Background(),
			policyx.StackValidationArgs{Manager: m, Resources: rs}))
		return m.got
	}
	assert.Empty(t, run(vpc, flow))
	got := run(vpc)
	require.Len(t, got, 1)
	assert.Contains(t, got[0], vpc.URN, "the violation names the VPC")
}
