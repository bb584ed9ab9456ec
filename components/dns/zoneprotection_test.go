package dns_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/dns"
	"github.com/agm-dr/agm-dr/config"
)

func protectionArgs() *dns.ZoneProtectionArgs {
	return &dns.ZoneProtectionArgs{ZoneID: pulumi.String("Z123"), DomainName: "agm.example.jp",
		AccountID: "123456789012", NamePrefix: "agm-dr", LogRetentionDays: 365}
}

func runProtection(t *testing.T, a *dns.ZoneProtectionArgs) (*capture.Result, error) {
	t.Helper()
	return run(t, config.Tokyo, func(ctx *pulumi.Context) error {
		_, err := dns.NewZoneProtection(ctx, "zone-protection", a)
		return err
	})
}

func mustGet(t *testing.T, res *capture.Result, typ, name string) capture.Resource {
	t.Helper()
	r, ok := res.Get(typ, name)
	require.True(t, ok, "%s %s is registered", typ, name)
	return r
}

// TestDNSSECKeyAndQueryLogsAreInUsEast1: Route 53 accepts the DNSSEC key and the query-log group
// only in us-east-1, so they (and the log key) go through the explicit us-east-1 provider, not
// the stack's region.
func TestDNSSECKeyAndQueryLogsAreInUsEast1(t *testing.T) {
	res, err := runProtection(t, protectionArgs())
	require.NoError(t, err)
	prov := mustGet(t, res, "pulumi:providers:aws", "zone-protection-us-east-1")
	assert.Equal(t, "us-east-1", prov.Inputs["region"].StringValue())
	for _, r := range []struct{ typ, name string }{
		{"aws:kms/key:Key", "zone-protection-dnssec"},
		{"aws:kms/key:Key", "zone-protection-logs-key"},
		{"aws:cloudwatch/logGroup:LogGroup", "zone-protection-query-logs"},
		{"aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "zone-protection-query-logs"},
	} {
		got := mustGet(t, res, r.typ, r.name)
		assert.Contains(t, got.Provider, "pulumi:providers:aws::"+prov.Name+"::", "%s %s must use the us-east-1 provider, got %q", r.typ, r.name, got.Provider)
	}
	stackRegion := mustGet(t, res, "aws:route53/keySigningKey:KeySigningKey", "zone-protection-ksk")
	assert.Empty(t, stackRegion.Provider, "Route 53 itself is global: default provider")
}

func TestZoneIsSignedWithAnAsymmetricKey(t *testing.T) {
	res, err := runProtection(t, protectionArgs())
	require.NoError(t, err)
	key := mustGet(t, res, "aws:kms/key:Key", "zone-protection-dnssec")
	assert.Equal(t, "ECC_NIST_P256", key.Inputs["customerMasterKeySpec"].StringValue())
	assert.Equal(t, "SIGN_VERIFY", key.Inputs["keyUsage"].StringValue())
	assert.True(t, key.Protect && key.RetainOnDelete)
	var policy struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(key.Inputs["policy"].StringValue()), &policy))
	assert.Contains(t, key.Inputs["policy"].StringValue(), "dnssec-route53.amazonaws.com")
	for _, s := range policy.Statement {
		assert.NotEqual(t, "*", s["Principal"], "no wildcard principal")
	}
	ksk := mustGet(t, res, "aws:route53/keySigningKey:KeySigningKey", "zone-protection-ksk")
	assert.Equal(t, "Z123", ksk.Inputs["hostedZoneId"].StringValue())
	assert.Equal(t, "ACTIVE", ksk.Inputs["status"].StringValue())
	sign := mustGet(t, res, "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec", "zone-protection-dnssec")
	assert.Equal(t, "SIGNING", sign.Inputs["signingStatus"].StringValue())
	assert.True(t, dependsOn(sign, ksk), "signing starts after the key-signing key exists")
}

func TestQueryLogsAreEncryptedAndAllowed(t *testing.T) {
	res, err := runProtection(t, protectionArgs())
	require.NoError(t, err)
	group := mustGet(t, res, "aws:cloudwatch/logGroup:LogGroup", "zone-protection-query-logs")
	assert.Equal(t, "/aws/route53/agm.example.jp", group.Inputs["name"].StringValue())
	assert.NotEmpty(t, group.Inputs["kmsKeyId"].StringValue())
	assert.Equal(t, 365.0, group.Inputs["retentionInDays"].NumberValue())
	rp := mustGet(t, res, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "zone-protection-query-logs")
	assert.Contains(t, rp.Inputs["policyDocument"].StringValue(), "route53.amazonaws.com")
	assert.Contains(t, rp.Inputs["policyDocument"].StringValue(), "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/*")
	ql := mustGet(t, res, "aws:route53/queryLog:QueryLog", "zone-protection-query-log")
	assert.Equal(t, "Z123", ql.Inputs["zoneId"].StringValue())
	assert.True(t, dependsOn(ql, rp), "the resource policy must exist before Route 53 writes")
}

func TestZoneProtectionBadArgs(t *testing.T) {
	for name, mutate := range map[string]func(*dns.ZoneProtectionArgs){
		"no zone":      func(a *dns.ZoneProtectionArgs) { a.ZoneID = nil },
		"no domain":    func(a *dns.ZoneProtectionArgs) { a.DomainName = "" },
		"bad account":  func(a *dns.ZoneProtectionArgs) { a.AccountID = "1" },
		"no retention": func(a *dns.ZoneProtectionArgs) { a.LogRetentionDays = 0 },
	} {
		t.Run(name, func(t *testing.T) {
			a := protectionArgs()
			mutate(a)
			_, err := runProtection(t, a)
			assert.Error(t, err)
		})
	}
}

// dependsOn reports whether r depends on d (capture records dependencies as URNs).
func dependsOn(r, d capture.Resource) bool {
	for _, u := range r.DependsOn {
		if strings.HasSuffix(u, "$"+d.Type+"::"+d.Name) || strings.HasSuffix(u, "::"+d.Type+"::"+d.Name) {
			return true
		}
	}
	return false
}
