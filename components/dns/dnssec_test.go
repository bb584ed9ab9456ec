package dns_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/components/dns"
	"github.com/agm-dr/agm-dr/config"
)

// Deleting or deactivating the key-signing key, or disabling signing, while the parent zone
// still holds the DS record takes the zone off the air for validating resolvers: like the KMS
// key, both are protected and retained, and disabling DNSSEC is the documented manual order.
func TestDNSSECSigningCannotBeDeletedByAnUp(t *testing.T) {
	res, err := runProtection(t, protectionArgs())
	require.NoError(t, err)
	for _, r := range []struct{ typ, name string }{
		{"aws:kms/key:Key", "zone-protection-dnssec"},
		{"aws:route53/keySigningKey:KeySigningKey", "zone-protection-ksk"},
		{"aws:route53/hostedZoneDnsSec:HostedZoneDnsSec", "zone-protection-dnssec"},
	} {
		got := mustGet(t, res, r.typ, r.name)
		assert.True(t, got.Protect, "%s %s is not protected", r.typ, r.name)
		assert.True(t, got.RetainOnDelete, "%s %s is not retained on delete", r.typ, r.name)
	}
}

// AWS strongly recommends alarms on DNSSECInternalFailure and DNSSECKeySigningKeysNeedingAction;
// Route 53 publishes them in us-east-1 only, so the alarms and their topic are there.
func TestDNSSECAlarmsInUsEast1(t *testing.T) {
	a := protectionArgs()
	a.AlarmEmail = "ops@example.jp"
	res, err := runProtection(t, a)
	require.NoError(t, err)
	prov := mustGet(t, res, "pulumi:providers:aws", "zone-protection-us-east-1")
	topic := mustGet(t, res, "aws:sns/topic:Topic", "zone-protection-dnssec-alarms")
	assert.Contains(t, topic.Provider, "::"+prov.Name+"::")
	assert.NotEmpty(t, topic.Inputs["kmsMasterKeyId"].StringValue(), "the topic is encrypted")
	sub := mustGet(t, res, "aws:sns/topicSubscription:TopicSubscription", "zone-protection-dnssec-email")
	assert.Equal(t, "ops@example.jp", sub.Inputs["endpoint"].StringValue())
	var metrics []string
	for _, r := range res.Resources {
		if r.Type != "aws:cloudwatch/metricAlarm:MetricAlarm" {
			continue
		}
		metrics = append(metrics, r.Inputs["metricName"].StringValue())
		assert.Contains(t, r.Provider, "::"+prov.Name+"::", "%s: the metric exists in us-east-1 only", r.Name)
		assert.Equal(t, "AWS/Route53", r.Inputs["namespace"].StringValue())
		assert.Equal(t, "Z123", r.Inputs["dimensions"].ObjectValue()["HostedZoneId"].StringValue())
		assert.Equal(t, 1.0, r.Inputs["threshold"].NumberValue())
		assert.Equal(t, "GreaterThanOrEqualToThreshold", r.Inputs["comparisonOperator"].StringValue())
		actions := r.Inputs["alarmActions"].ArrayValue()
		require.Len(t, actions, 1, r.Name)
		assert.Contains(t, actions[0].StringValue(), "dnssec-alarms")
	}
	assert.ElementsMatch(t, []string{"DNSSECInternalFailure", "DNSSECKeySigningKeysNeedingAction"}, metrics)
}

// Signing waits for proof that resolvers reach the zone through its parent (the certificate's
// DNS validation), so the first `up` does not sign a zone whose delegation is not in place.
func TestSigningWaitsForTheDelegation(t *testing.T) {
	res, err := run(t, config.Tokyo, func(ctx *pulumi.Context) error {
		cert, err := dns.NewCertificate(ctx, "certificate", &dns.CertificateArgs{DomainName: "agm.example.jp", ZoneID: pulumi.String("Z123")})
		if err != nil {
			return err
		}
		require.NotNil(t, cert.Validated)
		a := protectionArgs()
		a.DelegationProven = []pulumi.Resource{cert.Validated}
		_, err = dns.NewZoneProtection(ctx, "zone-protection", a)
		return err
	})
	require.NoError(t, err)
	valid := mustGet(t, res, "aws:acm/certificateValidation:CertificateValidation", "certificate")
	sign := mustGet(t, res, "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec", "zone-protection-dnssec")
	assert.True(t, dependsOn(sign, valid), "signing is enabled before the delegation is proven")
}
