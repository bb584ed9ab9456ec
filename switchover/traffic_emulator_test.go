package switchover_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// TestEmulatorTrafficMovesInOneChange runs the traffic engine against ministack's Route 53
// (real SDK client, real wire format): both regions' health-checked records change weight in
// one ChangeResourceRecordSets call, and a second run changes nothing.
func TestEmulatorTrafficMovesInOneChange(t *testing.T) {
	switchovertest.UseEmulator(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(osaka))
	require.NoError(t, err)
	api := route53.NewFromConfig(cfg)
	zoneName := fmt.Sprintf("agm%d.example.jp", time.Now().UnixNano()%1_000_000_000)
	z, err := api.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(zoneName),
		CallerReference: aws.String(zoneName)})
	require.NoError(t, err)
	zone := aws.ToString(z.HostedZone.Id)
	name := "agm." + zoneName
	// UPSERT, not CREATE: the SDK may resend the setup after a dropped connection, and a
	// resent CREATE is refused.
	rec := func(region string, weight int64, target string) r53types.Change {
		return r53types.Change{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String(name), Type: r53types.RRTypeA, SetIdentifier: aws.String(region), Weight: aws.Int64(weight),
			HealthCheckId: aws.String(hcID(region)),
			AliasTarget:   &r53types.AliasTarget{DNSName: aws.String(target), HostedZoneId: aws.String(albZone), EvaluateTargetHealth: true}}}
	}
	_, err = api.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zone),
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{rec(tokyo, 100, tkALB), rec(osaka, 0, osALB)}}})
	require.NoError(t, err)

	calls := &countingRoute53{Route53: api}
	l := &logs{}
	eng := &switchover.Traffic{API: calls, Log: l}
	target := switchover.TrafficTarget{ZoneID: zone, RecordName: name, Primary: osaka,
		LoadBalancerDNSName: osALB, LoadBalancerZoneID: albZone, HealthCheckID: hcID(osaka)}
	o := switchover.Options{Mode: switchover.Planned, Timeout: 30 * time.Second, Poll: 100 * time.Millisecond}
	out, err := eng.EnsureTraffic(ctx, target, o)
	require.NoError(t, err, l)
	assert.True(t, out.Switched)
	assert.Equal(t, 1, calls.changes)

	rs, err := eng.Describe(ctx, zone, name)
	require.NoError(t, err)
	assert.Equal(t, switchover.OnlyTo(osaka, tokyo), rs.Weights(), "osaka 100, tokyo 0: %s", rs)
	assert.Equal(t, []string{tokyo, osaka}, rs.Checked(), "both keep their health checks: %s", rs)

	out, err = eng.EnsureTraffic(ctx, target, o)
	require.NoError(t, err)
	assert.False(t, out.Switched)
	assert.Equal(t, 1, calls.changes, "idempotent against the emulator too")
}

type countingRoute53 struct {
	switchover.Route53
	changes int
}

func (c *countingRoute53) ChangeResourceRecordSets(ctx context.Context, in *route53.ChangeResourceRecordSetsInput, o ...func(*route53.Options)) (*route53.ChangeResourceRecordSetsOutput, error) {
	c.changes++
	return c.Route53.ChangeResourceRecordSets(ctx, in, o...)
}

// hcID is a health check id in Route 53's format (a UUID) for region.
func hcID(region string) string {
	if region == tokyo {
		return "11111111-1111-4111-8111-111111111111"
	}
	return "33333333-3333-4333-8333-333333333333"
}
