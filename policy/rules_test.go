package policy

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGoodStackIsClean(t *testing.T) {
	vs := Evaluate(good())
	assert.Empty(t, vs, Format(vs))
}

// TestEveryRuleCatchesItsViolation shows no rule is a check that cannot fail: each hand-made
// break is reported under its rule, while good() is clean.
func TestEveryRuleCatchesItsViolation(t *testing.T) {
	for _, b := range breaks {
		t.Run(b.rule+"/"+b.name, func(t *testing.T) {
			vs := Evaluate(b.apply(good()))
			var ids []string
			for _, v := range vs {
				ids = append(ids, v.Rule)
			}
			assert.Contains(t, ids, b.rule, "got:\n%s", Format(vs))
		})
	}
}

// TestEveryRuleHasABreak keeps the table above complete.
func TestEveryRuleHasABreak(t *testing.T) {
	covered := map[string]bool{}
	for _, b := range breaks {
		covered[b.rule] = true
	}
	for _, r := range Rules {
		assert.True(t, covered[r.ID], "rule %s has no violating case", r.ID)
	}
	for _, r := range StackRules {
		assert.True(t, covered[r.ID], "stack rule %s has no violating case", r.ID)
	}
}

func TestRuleIDsAreUniqueAndDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, id := range IDs() {
		assert.False(t, seen[id], "duplicate rule id %s", id)
		seen[id] = true
		assert.Regexp(t, `^AGM-[A-Z0-9]+-\d{3}$`, id)
	}
	for _, r := range Rules {
		assert.NotEmpty(t, r.Description, r.ID)
		assert.NotEmpty(t, r.ResourceTypes, r.ID)
	}
}

// TestUnknownValuesAreNotViolations: during a preview, computed values are checked later.
func TestUnknownValuesAreNotViolations(t *testing.T) {
	rs := good()
	computed := resource.MakeComputed(resource.NewStringProperty(""))
	for _, c := range []struct{ typ, name, key string }{
		{TypeCluster, "cluster", "kmsKeyId"},
		{TypeTaskDefinition, "task", "containerDefinitions"},
		{TypeBucketPolicy, "site-policy", "policy"},
		{TypeQueue, "queue", "redrivePolicy"},
		{TypeKmsKey, "key", "policy"},
		{TypeReplication, "site-replication", "rules"},
	} {
		rs = set(rs, c.typ, c.name, c.key, computed)
	}
	vs := Evaluate(rs)
	assert.Empty(t, vs, Format(vs))
}

func TestRetainUnknownIsNotJudged(t *testing.T) {
	rs := good()
	for i := range rs {
		rs[i].RetainOnDelete, rs[i].RetainUnknown = false, true
	}
	assert.Empty(t, Evaluate(rs))
}

func TestViolationFormat(t *testing.T) {
	v := Violation{Rule: "AGM-X-001", Resource: "aws:t::n", Message: "broken"}
	assert.Equal(t, "AGM-X-001: aws:t::n: broken", v.String())
}

func TestImageRef(t *testing.T) {
	for _, c := range []struct{ in, repo, ref string }{
		{"1.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app:2026.06.1", "1.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app", "2026.06.1"},
		{"registry:5000/app@sha256:abc", "registry:5000/app", "sha256:abc"},
	} {
		repo, ref, err := ImageRef(c.in)
		require.NoError(t, err)
		assert.Equal(t, c.repo, repo)
		assert.Equal(t, c.ref, ref)
	}
	_, _, err := ImageRef("registry:5000/app")
	assert.Error(t, err)
}

func TestStatementShapes(t *testing.T) {
	var d document
	require.NoError(t, jsonUnmarshal(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"x:*"}}`, &d))
	assert.Equal(t, []string{"statement 0"}, d.allowsAnyone())
	require.NoError(t, jsonUnmarshal(`{"Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:*"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`, &d))
	assert.True(t, d.deniesInsecureTransport("s3"))
	assert.Empty(t, d.allowsAnyone())
}

func TestBadJSONIsReported(t *testing.T) {
	vs := Evaluate(set(good(), TypeTaskDefinition, "task", "containerDefinitions", "[{"))
	require.NotEmpty(t, vs)
	assert.True(t, strings.Contains(Format(vs), "not valid JSON"), Format(vs))
}

func jsonUnmarshal(s string, into any) error { return json.Unmarshal([]byte(s), into) }

// TestDocsListEveryRule keeps the rule table of docs/policies.md in step with the code.
func TestDocsListEveryRule(t *testing.T) {
	b, err := os.ReadFile("../docs/policies.md")
	require.NoError(t, err)
	for _, id := range IDs() {
		assert.Contains(t, string(b), "| "+id+" ", "docs/policies.md lacks rule %s", id)
	}
}
