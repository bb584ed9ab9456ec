package provider_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
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
