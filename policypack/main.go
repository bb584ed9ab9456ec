// Command policypack is the agm-dr guardrails as a Pulumi policy pack:
//
//	pulumi preview -s tokyo --policy-pack ./policypack
//
// It registers every rule of package policy: per-resource rules as resource validation
// policies, stack rules as stack validation policies. The cross-stack checks (flip contract,
// same image, primaryRegion only in Pulumi.yaml) need two runs or the stack files and run only
// in the test suite; see docs/policies.md.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/agm-dr/agm-dr/policy"
)

// Name and Version identify the pack; keep Version in step with PulumiPolicy.yaml.
const (
	Name    = "agm-dr-guardrails"
	Version = "0.1.0"
)

func main() {
	if err := policyx.Main(func(*pulumi.Context) (policyx.PolicyPack, error) { return Pack() }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Pack builds the policy pack from package policy's rules.
func Pack() (policyx.PolicyPack, error) {
	var policies []policyx.Policy
	for _, r := range policy.Rules {
		policies = append(policies, resourcePolicy(r))
	}
	for _, r := range policy.StackRules {
		policies = append(policies, stackPolicy(r))
	}
	return policyx.NewPolicyPack(Name, semver.MustParse(Version), policyx.EnforcementLevelMandatory, policies)
}

func level(advisory bool) policyx.EnforcementLevel {
	if advisory {
		return policyx.EnforcementLevelAdvisory
	}
	return policyx.EnforcementLevelMandatory
}

func resourcePolicy(rule policy.Rule) policyx.ResourceValidationPolicy {
	return policyx.NewResourceValidationPolicy(rule.ID, policyx.ResourceValidationPolicyArgs{
		Description:      rule.Description,
		EnforcementLevel: level(rule.Advisory),
		ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
			if !rule.Applies(args.Resource.Type) {
				return nil
			}
			for _, msg := range rule.Check(policy.FromAnalyzer(args.Resource)) {
				args.Manager.ReportViolation(msg, "") // "" = the resource being validated
			}
			return nil
		},
	})
}

func stackPolicy(rule policy.StackRule) policyx.StackValidationPolicy {
	return policyx.NewStackValidationPolicy(rule.ID, policyx.StackValidationPolicyArgs{
		Description:      rule.Description,
		EnforcementLevel: policyx.EnforcementLevelMandatory,
		ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
			rs := policy.FromAnalyzerStack(args.Resources)
			urns := map[string]string{}
			for _, r := range rs {
				urns[r.Key()] = r.URN
			}
			for _, v := range rule.Check(rs) {
				args.Manager.ReportViolation(v.Message, urns[v.Resource])
			}
			return nil
		},
	})
}
