package dns_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/dns"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/readiness"
)

const (
	recordType   = "aws:route53/record:Record"
	healthType   = "aws:route53/healthCheck:HealthCheck"
	zoneType     = "aws:route53/zone:Zone"
	certType     = "aws:acm/certificate:Certificate"
	validateType = "aws:acm/certificateValidation:CertificateValidation"
	trafficType  = "agmdr:index:Traffic"
)

func run(t *testing.T, region string, program func(ctx *pulumi.Context) error) (*capture.Result, error) {
	t.Helper()
	return capture.Run(program, capture.Options{
		Project: "agm-dr", Stack: config.StackFor(region),
		Config: map[string]string{"aws:region": region},
	})
}

func recordArgs(region, primary string) *dns.Args {
	return &dns.Args{
		ZoneID:              pulumi.String("Z123"),
		RecordName:          "agm.example.com",
		Region:              region,
		PrimaryRegion:       primary,
		LoadBalancerDNSName: pulumi.String("alb-" + region + ".elb.amazonaws.com"),
		LoadBalancerZoneID:  pulumi.String("ZALB"),
		HealthCheckPath:     "/readyz/primary",
		Mode:                "planned",
		TimeoutSeconds:      1800,
		PollSeconds:         10,
		ClientTTLSeconds:    60,
	}
}

// Both stacks declare the same routing (all traffic to the primary); no stack registers a
// weighted aws Record any more, so no stack can give its region a record of its own.
func TestTrafficIsDeclaredAlikeByBothStacks(t *testing.T) {
	for _, primary := range []string{config.Tokyo, config.Osaka} {
		for _, region := range []string{config.Tokyo, config.Osaka} {
			t.Run(region+" with primary "+primary, func(t *testing.T) {
				res, err := run(t, region, func(ctx *pulumi.Context) error {
					_, err := dns.New(ctx, "web", recordArgs(region, primary))
					return err
				})
				require.NoError(t, err)
				assert.Empty(t, res.Find(recordType), "no per-stack weighted record: the Traffic resource owns the records")
				tr, ok := res.Get(trafficType, "web-route")
				require.True(t, ok, "traffic web-route not registered")
				assert.Equal(t, primary, tr.Inputs["primaryRegion"].StringValue())
				assert.Equal(t, region, tr.Inputs["region"].StringValue(), "set identifier is the stack's own region")
				assert.Equal(t, "agm.example.com", tr.Inputs["recordName"].StringValue())
				assert.Equal(t, "alb-"+region+".elb.amazonaws.com", tr.Inputs["loadBalancerDnsName"].StringValue())
			})
		}
	}
}

func TestTrafficCarriesTheRegionsHealthCheck(t *testing.T) {
	res, err := run(t, config.Tokyo, func(ctx *pulumi.Context) error {
		_, err := dns.New(ctx, "web", recordArgs(config.Tokyo, config.Tokyo))
		return err
	})
	require.NoError(t, err)

	hc, ok := res.Get(healthType, "web-health")
	require.True(t, ok, "health check web-health not registered")
	in := hc.Inputs
	assert.Equal(t, "HTTPS_STR_MATCH", in["type"].StringValue(), "a 200 or a redirect alone must not pass")
	assert.Equal(t, readiness.SearchString(config.Tokyo), in["searchString"].StringValue(),
		"the check passes only on this region's ready answer (docs/app-contract.md)")
	assert.Equal(t, "alb-ap-northeast-1.elb.amazonaws.com", in["fqdn"].StringValue(), "health check must probe this region's ALB")
	assert.Equal(t, float64(443), in["port"].NumberValue())
	assert.Equal(t, "/readyz/primary", in["resourcePath"].StringValue())
	assert.Equal(t, float64(3), in["failureThreshold"].NumberValue())
	assert.Equal(t, float64(10), in["requestInterval"].NumberValue())
	assert.True(t, in["measureLatency"].BoolValue())
	assert.False(t, in.HasValue("regions"), "health checker regions are left at Route 53's default")

	tr, ok := res.Get(trafficType, "web-route")
	require.True(t, ok)
	assert.Equal(t, "web-health-id", tr.Inputs["healthCheckId"].StringValue())
	assert.Equal(t, float64(60), tr.Inputs["clientTtlSeconds"].NumberValue(),
		"the move waits out the ALB alias TTL, so no client still goes to the old region when `up` ends")
	assert.Equal(t, "ZALB", tr.Inputs["loadBalancerZoneId"].StringValue())
	assert.Equal(t, hc.Parent, tr.Parent, "both children belong to the component")
	assert.Contains(t, tr.Parent, "agm-dr:dns:Record")
}

func TestRecordRejectsBadArgs(t *testing.T) {
	cases := map[string]func(a *dns.Args){
		"no region":            func(a *dns.Args) { a.Region = "" },
		"no primary region":    func(a *dns.Args) { a.PrimaryRegion = "" },
		"no record name":       func(a *dns.Args) { a.RecordName = "" },
		"relative health path": func(a *dns.Args) { a.HealthCheckPath = "healthz" },
		"no zone":              func(a *dns.Args) { a.ZoneID = nil },
		"no load balancer":     func(a *dns.Args) { a.LoadBalancerDNSName = nil },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			args := recordArgs(config.Tokyo, config.Tokyo)
			mutate(args)
			_, err := run(t, config.Tokyo, func(ctx *pulumi.Context) error {
				_, err := dns.New(ctx, "web", args)
				return err
			})
			require.Error(t, err)
		})
	}
	t.Run("nil args", func(t *testing.T) {
		_, err := run(t, config.Tokyo, func(ctx *pulumi.Context) error {
			_, err := dns.New(ctx, "web", nil)
			return err
		})
		require.Error(t, err)
	})
}

func TestZoneCreatedOnlyWhenAskedAndProtected(t *testing.T) {
	cases := []struct {
		name    string
		args    dns.ZoneArgs
		created bool
		zoneID  string
	}{
		{"home creates", dns.ZoneArgs{DomainName: "example.com", Create: true}, true, ""},
		{"given id wins over create", dns.ZoneArgs{DomainName: "example.com", ZoneID: "ZGIVEN", Create: true}, false, "ZGIVEN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := run(t, config.Tokyo, func(ctx *pulumi.Context) error {
				z, err := dns.NewZone(ctx, "zone", &tc.args)
				if err != nil {
					return err
				}
				// A record in the zone shows which zone id the component resolved to.
				args := recordArgs(config.Tokyo, config.Tokyo)
				args.ZoneID = z.ZoneID
				_, err = dns.New(ctx, "web", args)
				return err
			})
			require.NoError(t, err)
			zones := res.Find(zoneType)
			if !tc.created {
				assert.Empty(t, zones, "no hosted zone may be created")
				rec, ok := res.Get(trafficType, "web-route")
				require.True(t, ok)
				assert.Equal(t, tc.zoneID, rec.Inputs["zoneId"].StringValue())
				return
			}
			require.Len(t, zones, 1)
			z := zones[0]
			assert.Equal(t, "example.com", z.Inputs["name"].StringValue())
			assert.True(t, z.Protect, "the hosted zone must be protected")
			assert.True(t, z.RetainOnDelete, "the hosted zone must be retained on delete")
			assert.False(t, z.Inputs["forceDestroy"].BoolValue(), "never forceDestroy the zone")
		})
	}
}

// A zone lookup is a Route 53 control-plane call: the peer stack must be given the id (from the
// home stack's outputs or config) and never look it up, or its program cannot build while
// Route 53's control plane is down.
func TestZoneNeverLooksUpTheZone(t *testing.T) {
	res, err := run(t, config.Osaka, func(ctx *pulumi.Context) error {
		_, err := dns.NewZone(ctx, "zone", &dns.ZoneArgs{DomainName: "example.com"})
		return err
	})
	require.Error(t, err, "no id and no create: refused, not looked up")
	assert.Contains(t, err.Error(), "no hosted zone id")
	assert.Empty(t, res.Calls, "the zone component made a data-source call")
}

func TestZoneRejectsMissingDomain(t *testing.T) {
	_, err := run(t, config.Tokyo, func(ctx *pulumi.Context) error {
		_, err := dns.NewZone(ctx, "zone", &dns.ZoneArgs{Create: true})
		return err
	})
	require.Error(t, err)
}

func TestCertificateValidationRecordIsSharedSafely(t *testing.T) {
	res, err := run(t, config.Osaka, func(ctx *pulumi.Context) error {
		_, err := dns.NewCertificate(ctx, "cert", &dns.CertificateArgs{
			DomainName: "agm.example.com", ZoneID: pulumi.String("Z123"),
		})
		return err
	})
	require.NoError(t, err)

	cert, ok := res.Get(certType, "cert")
	require.True(t, ok, "ACM certificate not registered")
	assert.Equal(t, "agm.example.com", cert.Inputs["domainName"].StringValue())
	assert.Equal(t, "DNS", cert.Inputs["validationMethod"].StringValue())

	rec, ok := res.Get(recordType, "cert-validation")
	require.True(t, ok, "validation record not registered")
	assert.True(t, rec.Inputs["allowOverwrite"].BoolValue(),
		"both regional certificates write the same validation record: allowOverwrite must be set")
	assert.True(t, rec.RetainOnDelete, "destroying one stack must not remove the other region's validation record")
	assert.Equal(t, "Z123", rec.Inputs["zoneId"].StringValue())

	v, ok := res.Get(validateType, "cert")
	require.True(t, ok, "certificate validation not registered")
	assert.Equal(t, "arn:aws:mock:ap-northeast-3:123456789012:cert", v.Inputs["certificateArn"].StringValue())
	assert.Len(t, v.Inputs["validationRecordFqdns"].ArrayValue(), 1)
}

func TestCertificateRejectsMissingArgs(t *testing.T) {
	for name, args := range map[string]*dns.CertificateArgs{
		"nil":       nil,
		"no domain": {ZoneID: pulumi.String("Z123")},
		"no zone":   {DomainName: "agm.example.com"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := run(t, config.Tokyo, func(ctx *pulumi.Context) error {
				_, err := dns.NewCertificate(ctx, "cert", args)
				return err
			})
			require.Error(t, err)
		})
	}
}
