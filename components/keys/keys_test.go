package keys_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/keys"
)

const (
	keyType   = "aws:kms/key:Key"
	aliasType = "aws:kms/alias:Alias"
	account   = "123456789012"
	tokyo     = "ap-northeast-1"
)

func validArgs() *keys.Args {
	return &keys.Args{Alias: "alias/agm-dr", Description: "agm-dr data", AccountID: account, Region: tokyo}
}

func run(t *testing.T, args *keys.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := keys.New(ctx, "key", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": tokyo}})
}

func mustKey(t *testing.T) capture.Resource {
	t.Helper()
	res, err := run(t, validArgs())
	require.NoError(t, err)
	k, ok := res.Get(keyType, "key")
	require.True(t, ok, "the KMS key is registered")
	return k
}

type policyDoc struct {
	Statement []struct {
		Sid       string
		Effect    string
		Principal any
		Action    []string
		Condition map[string]map[string]string
	}
}

func policy(t *testing.T, k capture.Resource) policyDoc {
	t.Helper()
	var doc policyDoc
	require.NoError(t, json.Unmarshal([]byte(k.Inputs["policy"].StringValue()), &doc))
	require.NotEmpty(t, doc.Statement)
	return doc
}

// principals flattens a policy Principal ("*", {"AWS": "..."}, {"Service": [...]}) to strings.
func principals(p any) []string {
	switch v := p.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, principals(x)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, principals(x)...)
		}
		return out
	}
	return nil
}

func TestKeyRotates(t *testing.T) {
	k := mustKey(t)
	assert.True(t, k.Inputs["enableKeyRotation"].BoolValue(), "key rotation must be on")
	assert.Equal(t, float64(30), k.Inputs["deletionWindowInDays"].NumberValue(), "longest deletion window")
}

func TestKeyIsProtectedAndRetained(t *testing.T) {
	k := mustKey(t)
	assert.True(t, k.Protect, "key must be protected")
	assert.True(t, k.RetainOnDelete, "key must be retained on delete")
	assert.NotEmpty(t, k.Parent, "key is a child of the component")
}

func TestKeyPolicyHasNoWildcardPrincipal(t *testing.T) {
	doc := policy(t, mustKey(t))
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			continue
		}
		ps := principals(s.Principal)
		require.NotEmpty(t, ps, "statement %s names a principal", s.Sid)
		for _, p := range ps {
			assert.NotEqual(t, "*", p, "statement %s allows a wildcard principal", s.Sid)
		}
	}
}

func TestKeyPolicyGrants(t *testing.T) {
	doc := policy(t, mustKey(t))
	bySid := map[string][]string{}
	for _, s := range doc.Statement {
		bySid[s.Sid] = principals(s.Principal)
	}
	assert.Equal(t, []string{"arn:aws:iam::" + account + ":root"}, bySid["AccountAdministers"])
	assert.Equal(t, []string{"logs." + tokyo + ".amazonaws.com"}, bySid["CloudWatchLogsOfThisAccount"])
	assert.ElementsMatch(t, []string{"sns.amazonaws.com", "cloudwatch.amazonaws.com"}, bySid["AlarmsToEncryptedTopic"])
	for _, s := range doc.Statement {
		if s.Sid == "CloudWatchLogsOfThisAccount" {
			assert.Equal(t, "arn:aws:logs:"+tokyo+":"+account+":log-group:*",
				s.Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"], "logs limited to this account's log groups")
		}
		if s.Sid == "AlarmsToEncryptedTopic" {
			assert.Equal(t, account, s.Condition["StringEquals"]["aws:SourceAccount"])
			assert.NotContains(t, s.Action, "kms:*")
		}
	}
}

func TestAliasName(t *testing.T) {
	res, err := run(t, validArgs())
	require.NoError(t, err)
	a, ok := res.Get(aliasType, "key-alias")
	require.True(t, ok)
	assert.Equal(t, "alias/agm-dr", a.Inputs["name"].StringValue())
}

func TestAliasArn(t *testing.T) {
	assert.Equal(t, "arn:aws:kms:ap-northeast-3:123456789012:alias/agm-dr",
		keys.AliasArn("ap-northeast-3", account, "alias/agm-dr"))
}

func TestBadArgsAreErrors(t *testing.T) {
	cases := map[string]func(a *keys.Args){
		"alias without prefix": func(a *keys.Args) { a.Alias = "agm-dr" },
		"reserved alias":       func(a *keys.Args) { a.Alias = "alias/aws/s3" },
		"short account":        func(a *keys.Args) { a.AccountID = "1234" },
		"no region":            func(a *keys.Args) { a.Region = "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			a := validArgs()
			mutate(a)
			_, err := run(t, a)
			assert.Error(t, err)
		})
	}
	t.Run("nil args", func(t *testing.T) {
		_, err := run(t, nil)
		assert.Error(t, err)
	})
}
