package tests

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/policy"
	"github.com/agm-dr/agm-dr/stacks"
)

// scenario is one stack in one role and one profile.
type scenario struct {
	stack, primary string
	profile        config.Profile
}

func (s scenario) String() string {
	return fmt.Sprintf("%s/primary=%s/%s", s.stack, config.StackFor(s.primary), s.profile)
}

func (s scenario) overrides() map[string]string {
	o := map[string]string{config.KeyPrimaryRegion: s.primary, config.KeyProfile: string(s.profile)}
	if s.profile == config.Dev {
		// dev caps maxTasks at 2, below Pulumi.yaml's June window (minTasks 20).
		o[config.KeySeason] = `{"timezone":"Asia/Tokyo","windows":[]}`
		o[config.KeyCapacity] = ""
	}
	return o
}

// scenarios are tokyo/osaka × primary tokyo/osaka × production/dev.
func scenarios() []scenario {
	var out []scenario
	for _, stack := range config.Stacks() {
		for _, primary := range config.Regions() {
			for _, p := range []config.Profile{config.Production, config.Dev} {
				out = append(out, scenario{stack, primary, p})
			}
		}
	}
	return out
}

// runs caches each scenario's run: the policy tests read the same eight runs several times.
var runs = map[scenario]*capture.Result{}

func runScenario(t *testing.T, s scenario) *capture.Result {
	t.Helper()
	if res, ok := runs[s]; ok {
		return res
	}
	res := mustRun(t, s.stack, s.overrides())
	runs[s] = res
	return res
}

// mockARN is the ARN the capture mock invents for every resource: arn:aws:mock:<region>:<account>:<name>.
var mockARN = regexp.MustCompile(`arn:aws:mock:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_.-]+)`)

// resources adapts a run for the rules. The mock gives every resource an ARN of the made-up
// service "mock"; rules that read ARNs (secrets[].valueFrom must be a Secrets Manager ARN) need
// the real service, so each mock ARN is rewritten to the service of the resource it names.
func resources(res *capture.Result) []policy.Resource {
	service := map[string]string{} // resource name → service of its type (aws:<service>/...)
	for _, r := range res.Resources {
		if strings.HasPrefix(r.Type, "aws:") && r.Custom {
			service[r.Name] = strings.SplitN(strings.TrimPrefix(r.Type, "aws:"), "/", 2)[0]
		}
	}
	fix := func(s string) string {
		return mockARN.ReplaceAllStringFunc(s, func(arn string) string {
			m := mockARN.FindStringSubmatch(arn)
			switch svc := service[m[3]]; svc {
			case "":
				return arn
			case "secretsmanager":
				return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s", m[1], m[2], m[3])
			default:
				return fmt.Sprintf("arn:aws:%s:%s:%s:%s", svc, m[1], m[2], m[3])
			}
		})
	}
	out := policy.FromCapture(res.Resources)
	for i := range out {
		out[i].Inputs = mapStrings(resource.NewObjectProperty(out[i].Inputs), fix).ObjectValue()
	}
	return out
}

// mapStrings rewrites every string in a property value, keeping secrets secret.
func mapStrings(v resource.PropertyValue, f func(string) string) resource.PropertyValue {
	switch {
	case v.IsString():
		return resource.NewStringProperty(f(v.StringValue()))
	case v.IsSecret():
		return resource.MakeSecret(mapStrings(v.SecretValue().Element, f))
	case v.IsArray():
		var xs []resource.PropertyValue
		for _, e := range v.ArrayValue() {
			xs = append(xs, mapStrings(e, f))
		}
		return resource.NewArrayProperty(xs)
	case v.IsObject():
		m := resource.PropertyMap{}
		for k, e := range v.ObjectValue() {
			m[k] = mapStrings(e, f)
		}
		return resource.NewObjectProperty(m)
	}
	return v
}

// TestPolicyEveryScenarioIsClean is the guardrail: every rule holds for every resource the
// program registers, in both stacks, with either region primary, in both profiles.
func TestPolicyEveryScenarioIsClean(t *testing.T) {
	for _, s := range scenarios() {
		t.Run(s.String(), func(t *testing.T) {
			res := runScenario(t, s)
			require.NotEmpty(t, res.Resources)
			vs, advisory := policy.Split(policy.Evaluate(resources(res)))
			assert.Empty(t, vs, "policy violations in %s:\n%s", s, policy.Format(vs))
			if len(advisory) > 0 {
				t.Logf("advisory (documented exceptions, not failing):\n%s", policy.Format(advisory))
			}
		})
	}
}

// TestPolicyFlipContract is AGM-DR-004 for each stack and profile.
func TestPolicyFlipContract(t *testing.T) {
	for _, stack := range config.Stacks() {
		for _, p := range []config.Profile{config.Production, config.Dev} {
			a := resources(runScenario(t, scenario{stack, config.Tokyo, p}))
			b := resources(runScenario(t, scenario{stack, config.Osaka, p}))
			vs := policy.Flip(stack, a, b, stacks.FlipAllowed)
			assert.Empty(t, vs, "flip contract broken for %s/%s:\n%s", stack, p, policy.Format(vs))
		}
	}
}

// TestPolicySameImageInBothStacks is AGM-DR-005 for each role and profile.
func TestPolicySameImageInBothStacks(t *testing.T) {
	for _, primary := range config.Regions() {
		for _, p := range []config.Profile{config.Production, config.Dev} {
			tokyo := policy.StackResources{Stack: config.TokyoStack, Region: config.Tokyo,
				Resources: resources(runScenario(t, scenario{config.TokyoStack, primary, p}))}
			osaka := policy.StackResources{Stack: config.OsakaStack, Region: config.Osaka,
				Resources: resources(runScenario(t, scenario{config.OsakaStack, primary, p}))}
			vs := policy.SameImage(tokyo, osaka)
			assert.Empty(t, vs, "primary %s, %s:\n%s", primary, p, policy.Format(vs))
		}
	}
}

// TestPolicyPrimaryRegionOnlyInProjectFile is AGM-DR-006 on the repo's stack files.
func TestPolicyPrimaryRegionOnlyInProjectFile(t *testing.T) {
	for _, stack := range config.Stacks() {
		keys, err := capture.StackKeys(repoRoot, stack)
		require.NoError(t, err)
		vs := policy.ProjectOnly(stack, keys, config.KeyPrimaryRegion, config.KeyHomeRegion)
		assert.Empty(t, vs, policy.Format(vs))
	}
}

// TestPolicyRulesSeeTheirResources makes sure no rule passes vacuously: every per-resource
// rule's types are registered by the program (in some scenario).
func TestPolicyRulesSeeTheirResources(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range scenarios() {
		for _, r := range runScenario(t, s).Resources {
			seen[r.Type] = true
		}
	}
	for _, rule := range policy.Rules {
		found := false
		for _, typ := range rule.ResourceTypes {
			found = found || seen[typ]
		}
		assert.True(t, found, "%s checks %v, which the program never registers", rule.ID, rule.ResourceTypes)
	}
}

// mutate returns a copy of rs where the first resource of type typ gets input key = v (nil
// deletes it), or, with key "", is changed by f.
func mutate(t *testing.T, rs []policy.Resource, typ, key string, v any, f func(*policy.Resource)) []policy.Resource {
	t.Helper()
	out := append([]policy.Resource(nil), rs...)
	for i := range out {
		if out[i].Type != typ {
			continue
		}
		in := out[i].Inputs.Copy()
		switch {
		case f != nil:
			f(&out[i])
			return out
		case v == nil:
			delete(in, resource.PropertyKey(key))
		default:
			in[resource.PropertyKey(key)] = resource.NewPropertyValue(v)
		}
		out[i].Inputs = in
		return out
	}
	t.Fatalf("the program registers no %s", typ)
	return nil
}

func without(rs []policy.Resource, typ string) []policy.Resource {
	var out []policy.Resource
	for _, r := range rs {
		if r.Type != typ {
			out = append(out, r)
		}
	}
	return out
}

// TestPolicyCatchesABrokenProgram shows the suite can fail: each case breaks one thing in a real
// captured run (the tokyo stack, primary, production) and the rules must report it.
func TestPolicyCatchesABrokenProgram(t *testing.T) {
	base := resources(runScenario(t, scenario{config.TokyoStack, config.Tokyo, config.Production}))
	mandatory, _ := policy.Split(policy.Evaluate(base))
	require.Empty(t, mandatory, "the baseline must be clean:\n%s", policy.Format(mandatory))

	openSSH := []any{map[string]any{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"0.0.0.0/0"}}}
	cases := []struct {
		rule   string
		broken []policy.Resource
	}{
		{"AGM-RDS-001", mutate(t, base, policy.TypeCluster, "storageEncrypted", false, nil)},
		{"AGM-RDS-003", mutate(t, base, policy.TypeGlobalCluster, "deletionProtection", false, nil)},
		{"AGM-RDS-004", mutate(t, base, policy.TypeCluster, "backupRetentionPeriod", 1, nil)},
		{"AGM-RDS-005", mutate(t, base, policy.TypeCluster, "iamDatabaseAuthenticationEnabled", nil, nil)},
		{"AGM-RDS-006", mutate(t, base, policy.TypeCluster, "enabledCloudwatchLogsExports", []any{}, nil)},
		{"AGM-RDS-007", mutate(t, base, policy.TypeClusterInstance, "publiclyAccessible", true, nil)},
		{"AGM-CACHE-002", mutate(t, base, policy.TypeReplicationGroup, "transitEncryptionEnabled", false, nil)},
		{"AGM-CACHE-003", mutate(t, base, policy.TypeReplicationGroup, "authToken", "plain", nil)},
		{"AGM-SQS-001", mutate(t, base, policy.TypeQueue, "kmsMasterKeyId", nil, nil)},
		{"AGM-SQS-002", mutate(t, base, policy.TypeQueue, "redrivePolicy", `{"deadLetterTargetArn":"arn:x","maxReceiveCount":1000}`, nil)},
		{"AGM-ECS-001", mutate(t, base, policy.TypeECSService, "networkConfiguration", map[string]any{"assignPublicIp": true}, nil)},
		{"AGM-ECS-006", mutate(t, base, policy.TypeECSCluster, "settings", []any{}, nil)},
		{"AGM-ALB-002", mutate(t, base, policy.TypeListener, "", nil, func(r *policy.Resource) {
			r.Inputs = r.Inputs.Copy()
			r.Inputs["protocol"] = resource.NewStringProperty("HTTP")
			r.Inputs["defaultActions"] = resource.NewPropertyValue([]any{map[string]any{"type": "forward"}})
		})},
		{"AGM-ALB-003", mutate(t, base, policy.TypeLoadBalancer, "dropInvalidHeaderFields", false, nil)},
		{"AGM-S3-001", without(base, policy.TypePublicAccessBlock)},
		{"AGM-S3-005", without(base, policy.TypeReplication)},
		{"AGM-NET-001", mutate(t, base, policy.TypeSecurityGroup, "ingress", openSSH, nil)},
		{"AGM-NET-003", without(base, policy.TypeFlowLog)},
		{"AGM-KMS-001", mutate(t, base, policy.TypeKmsKey, "enableKeyRotation", false, nil)},
		{"AGM-LOG-001", mutate(t, base, policy.TypeLogGroup, "retentionInDays", nil, nil)},
		{"AGM-DR-001", mutate(t, base, policy.TypeBucketV2, "", nil, func(r *policy.Resource) { r.Protect = false })},
		{"AGM-DR-002", mutate(t, base, policy.TypeCluster, "", nil, func(r *policy.Resource) { r.IgnoreChanges = nil })},
		{"AGM-DR-003", without(base, policy.TypeGlobalCluster)}, // the home cluster now looks like a secondary with credentials
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			vs, _ := policy.Split(policy.Evaluate(c.broken))
			require.NotEmpty(t, vs)
			var ids []string
			for _, v := range vs {
				ids = append(ids, v.Rule)
			}
			assert.Contains(t, ids, c.rule, policy.Format(vs))
		})
	}

	t.Run("AGM-DR-004", func(t *testing.T) {
		b := mutate(t, base, policy.TypeCluster, "backupRetentionPeriod", 30, nil)
		assert.NotEmpty(t, policy.Flip(config.TokyoStack, base, b, stacks.FlipAllowed))
	})
	t.Run("AGM-DR-005", func(t *testing.T) {
		osaka := resources(runScenario(t, scenario{config.OsakaStack, config.Tokyo, config.Production}))
		var td policy.Resource
		for _, r := range osaka {
			if r.Type == policy.TypeTaskDefinition {
				td = r
			}
		}
		defs := strings.Replace(td.Inputs["containerDefinitions"].StringValue(), ":2026.06.1", ":2026.06.2", 1)
		drifted := mutate(t, osaka, policy.TypeTaskDefinition, "containerDefinitions", defs, nil)
		vs := policy.SameImage(policy.StackResources{Stack: config.TokyoStack, Region: config.Tokyo, Resources: base},
			policy.StackResources{Stack: config.OsakaStack, Region: config.Osaka, Resources: drifted})
		assert.Contains(t, policy.Format(vs), "different images")
	})
	t.Run("AGM-DR-006", func(t *testing.T) {
		vs := policy.ProjectOnly(config.OsakaStack, []string{config.KeyRegion, config.KeyPrimaryRegion}, config.KeyPrimaryRegion)
		assert.NotEmpty(t, vs)
	})
}
