package provider_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/blang/semver"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/provider"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// TestEmulatorReadSeesASwitchoverMadeThroughTheAPI runs the real provider
// (real AWS SDK clients, AWS_ENDPOINT_URL at ministack): after an operator
// switches the writer by hand, Read (`pulumi refresh`) reports it and the
// next up puts the declared writer back.
func TestEmulatorReadSeesASwitchoverMadeThroughTheAPI(t *testing.T) {
	switchovertest.UseEmulator(t)
	gc := switchovertest.NewEmulatorCluster(t, tokyo, osaka)
	prov, err := provider.New()
	require.NoError(t, err)
	s, err := integration.NewServer(context.Background(), provider.Name, semver.MustParse(provider.Version),
		integration.WithProvider(prov))
	require.NoError(t, err)

	r := newResource(t, s, auroraToken, "writer")
	in := map[string]any{"globalClusterId": gc.GlobalID, "region": tokyo, "clusterArn": gc.HomeArn,
		"writer": true, "mode": "planned", "timeoutSeconds": 20, "pollSeconds": 1}
	_, err = r.up(in)
	require.NoError(t, err)
	assert.Equal(t, tokyo, r.out("actualWriter"))

	_, err = switchovertest.EmulatorRDS(t, osaka).SwitchoverGlobalCluster(context.Background(), &rds.SwitchoverGlobalClusterInput{
		GlobalClusterIdentifier: aws.String(gc.GlobalID), TargetDbClusterIdentifier: aws.String(gc.PeerArn)})
	require.NoError(t, err)

	changed, err := r.up(in)
	require.NoError(t, err)
	assert.False(t, changed, "without a refresh the recorded state still matches the declaration")

	r.refresh()
	assert.Equal(t, osaka, r.out("actualWriter"), "Read must report the real writer")

	changed, err = r.up(in)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, gc.HomeArn, switchovertest.WriterArn(t, switchovertest.EmulatorRDS(t, tokyo), gc.GlobalID))
}

// TestEmulatorTrafficFlipAndRefresh runs the real provider's Traffic resource against
// ministack's Route 53: each stack makes its own health-checked record, the flip moves both
// weights in one change, and a hand edit (a record without its health check) shows on refresh
// and is repaired by the next ups.
func TestEmulatorTrafficFlipAndRefresh(t *testing.T) {
	switchovertest.UseEmulator(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(osaka))
	require.NoError(t, err)
	api := route53.NewFromConfig(cfg)
	zoneName := fmt.Sprintf("agm%d.example.jp", time.Now().UnixNano()%1_000_000_000)
	z, err := api.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(zoneName), CallerReference: aws.String(zoneName)})
	require.NoError(t, err)
	zoneID := aws.ToString(z.HostedZone.Id)
	prov, err := provider.New()
	require.NoError(t, err)
	s, err := integration.NewServer(ctx, provider.Name, semver.MustParse(provider.Version), integration.WithProvider(prov))
	require.NoError(t, err)

	in := func(region, primary string) map[string]any {
		m := trafficInputs(region, primary)
		m["zoneId"], m["recordName"] = zoneID, "agm."+zoneName
		m["healthCheckId"] = map[string]string{tokyo: "11111111-1111-4111-8111-111111111111", osaka: "33333333-3333-4333-8333-333333333333"}[region]
		return m
	}
	tk := newResource(t, s, trafficToken, "traffic-tokyo")
	_, err = tk.up(in(tokyo, tokyo))
	require.NoError(t, err)
	os := newResource(t, s, trafficToken, "traffic-osaka")
	_, err = os.up(in(osaka, tokyo))
	require.NoError(t, err)
	both := func(tokyoWeight, osakaWeight int) []any {
		return []any{fmt.Sprintf("ap-northeast-1=%d", tokyoWeight), fmt.Sprintf("ap-northeast-3=%d", osakaWeight)}
	}
	assert.Equal(t, both(100, 0), records(os), "the standby's stack adds only its own record, at 0")

	_, err = os.up(in(osaka, osaka))
	require.NoError(t, err)
	assert.Equal(t, both(0, 100), records(os))
	_, err = tk.up(in(tokyo, osaka))
	require.NoError(t, err)
	assert.Equal(t, both(0, 100), records(tk))

	// A hand edit replaces Tokyo's record by one without a health check. UPSERT, not CREATE: the SDK may
	// resend the call after a dropped connection, and a resent CREATE is refused.
	_, err = api.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zoneID),
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert,
			ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String("agm." + zoneName), Type: r53types.RRTypeA,
				SetIdentifier: aws.String(tokyo), Weight: aws.Int64(0), AliasTarget: &r53types.AliasTarget{
					DNSName: aws.String("app-tokyo.elb.amazonaws.com"), HostedZoneId: aws.String("Z-ALB")}}}}}})
	require.NoError(t, err)
	os.refresh()
	assert.ElementsMatch(t, []any{"ap-northeast-1=0", "ap-northeast-3=100"}, records(os))
	changed, err := os.up(in(osaka, osaka))
	require.NoError(t, err)
	assert.True(t, changed, "a record without a health check would take traffic whatever its roles")
	assert.Equal(t, []any{"ap-northeast-3=100"}, records(os))
	tk.refresh()
	changed, err = tk.up(in(tokyo, osaka))
	require.NoError(t, err)
	assert.True(t, changed, "the standby's stack puts its health-checked record back")
	assert.Equal(t, both(0, 100), records(tk))
}
