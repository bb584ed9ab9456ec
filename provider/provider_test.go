package provider_test

import (
	"encoding/json"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
)

// These tests run the provider in-process (pulumi-go-provider's integration
// server) against the switchovertest fakes; the e2e package runs it under
// the real engine against the emulator.

const (
	auroraToken = "agmdr:index:AuroraWriter"
	cacheToken  = "agmdr:index:CachePrimary"
)

func TestSchemaHasTheContractTokens(t *testing.T) {
	_, s := newFake(t)
	resp, err := s.GetSchema(p.GetSchemaRequest{})
	require.NoError(t, err)
	var schema struct {
		Name      string                     `json:"name"`
		Resources map[string]json.RawMessage `json:"resources"`
	}
	require.NoError(t, json.Unmarshal([]byte(resp.Schema), &schema))
	assert.Equal(t, "agmdr", schema.Name)
	assert.Contains(t, schema.Resources, auroraToken)
	assert.Contains(t, schema.Resources, cacheToken)
}

func TestFlipIsAnUpdateThatMovesTheWriterThenNothing(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = 0
	r := newResource(t, s, auroraToken, "writer")
	_, err := r.up(auroraInputs(osaka, osArn, false, "planned"))
	require.NoError(t, err)
	assert.Equal(t, tokyo, r.out("actualWriter"))

	changed, err := r.up(auroraInputs(osaka, osArn, true, "planned"))
	require.NoError(t, err)
	require.True(t, changed)
	assert.Contains(t, r.diff.DetailedDiff, "writer")
	assert.Equal(t, osArn, f.w.Writer(gcID))
	assert.Equal(t, osaka, r.out("actualWriter"))
	assert.Equal(t, "planned", r.out("lastSwitchoverMode"))
	for _, k := range []string{"lastSwitchoverStarted", "lastSwitchoverFinished"} {
		_, err := time.Parse(time.RFC3339, r.out(k).(string))
		assert.NoError(t, err, "%s must be RFC3339", k)
	}
	assert.GreaterOrEqual(t, r.out("lastSwitchoverSeconds"), 0.0)

	changed, err = r.up(auroraInputs(osaka, osArn, true, "planned"))
	require.NoError(t, err)
	assert.False(t, changed, "a second up after success must change nothing")
	assert.Equal(t, 1, f.w.Count("SwitchoverGlobalCluster"))
}

func TestUnplannedFlipAsksOnlyForTheNewPrimaryRegion(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = 0
	f.w.SetDown(tokyo, true)
	r := newResource(t, s, auroraToken, "writer")
	_, err := r.up(auroraInputs(osaka, osArn, false, "unplanned"))
	require.NoError(t, err)
	_, err = r.up(auroraInputs(osaka, osArn, true, "unplanned"))
	require.NoError(t, err)
	assert.Equal(t, osArn, f.w.Writer(gcID))
	assert.NotContains(t, f.asked(), tokyo, "the provider built a client for the failed region")
	assert.Empty(t, f.w.Calls(tokyo))
	assert.Equal(t, 1, f.w.Count("FailoverGlobalCluster"))
}

func TestStandbyDeclarationNeverMovesRoles(t *testing.T) {
	f, s := newFake(t)
	r := newResource(t, s, auroraToken, "writer")
	_, err := r.up(auroraInputs(tokyo, tkArn, true, "planned"))
	require.NoError(t, err)
	_, err = r.up(auroraInputs(tokyo, tkArn, false, "planned")) // Tokyo steps down
	require.NoError(t, err)
	assert.Equal(t, tkArn, f.w.Writer(gcID), "only the new primary's stack moves the writer")
	assert.Zero(t, f.w.Count("SwitchoverGlobalCluster")+f.w.Count("FailoverGlobalCluster"))
	assert.Equal(t, tokyo, r.out("actualWriter"))
}

func TestRefreshRevealsAHandMadeSwitchover(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = 0
	r := newResource(t, s, auroraToken, "writer")
	in := auroraInputs(tokyo, tkArn, true, "planned")
	_, err := r.up(in)
	require.NoError(t, err)

	f.w.StartChange(gcID, osArn, false, 0) // an operator switches by hand
	r.refresh()
	assert.Equal(t, osaka, r.out("actualWriter"))

	changed, err := r.up(in)
	require.NoError(t, err)
	assert.True(t, changed, "declared and real roles differ, so up acts")
	assert.Equal(t, tkArn, f.w.Writer(gcID))
}

func TestFailedRunIsResumedNotRestarted(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = -1 // the switchover hangs past the timeout
	r := newResource(t, s, auroraToken, "writer")
	_, err := r.up(auroraInputs(osaka, osArn, false, "planned"))
	require.NoError(t, err)
	in := auroraInputs(osaka, osArn, true, "planned")
	in["timeoutSeconds"] = 1
	_, err = r.up(in)
	require.ErrorContains(t, err, "timed out")

	f.w.StartChange(gcID, osArn, false, 0) // AWS finishes it later
	changed, err := r.up(in)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, osaka, r.out("actualWriter"))
	assert.Equal(t, 1, f.w.Count("SwitchoverGlobalCluster"), "the re-run must not start a second switchover")
}

func TestCachePrimaryFlipMovesPrimaryThenNothing(t *testing.T) {
	f, s := newFake(t)
	f.w.SwitchPolls = 0
	r := newResource(t, s, cacheToken, "cache")
	_, err := r.up(cacheInputs(osaka, "agm-osaka", false, "planned"))
	require.NoError(t, err)
	assert.Equal(t, tokyo, r.out("actualPrimary"))
	_, err = r.up(cacheInputs(osaka, "agm-osaka", true, "planned"))
	require.NoError(t, err)
	_, region := f.w.Primary(dsID)
	assert.Equal(t, osaka, region)
	assert.Equal(t, osaka, r.out("actualPrimary"))
	changed, err := r.up(cacheInputs(osaka, "agm-osaka", true, "planned"))
	require.NoError(t, err)
	assert.False(t, changed)
}

func TestCheckRejectsInputsThatWouldSwitchTheWrongThing(t *testing.T) {
	_, s := newFake(t)
	r := newResource(t, s, auroraToken, "writer")
	for name, tc := range map[string]struct {
		mutate func(map[string]any)
		prop   string
	}{
		"unknown mode":          {func(m map[string]any) { m["mode"] = "forced" }, "mode"},
		"other region's member": {func(m map[string]any) { m["clusterArn"] = tkArn }, "clusterArn"},
		"negative timeout":      {func(m map[string]any) { m["timeoutSeconds"] = -1 }, "timeoutSeconds"},
		"poll above timeout":    {func(m map[string]any) { m["pollSeconds"] = 10 }, "pollSeconds"},
		"not an ARN":            {func(m map[string]any) { m["clusterArn"] = "agm-osaka" }, "clusterArn"},
	} {
		t.Run(name, func(t *testing.T) {
			in := auroraInputs(osaka, osArn, true, "planned")
			tc.mutate(in)
			resp, err := s.Check(p.CheckRequest{Urn: r.urn, Inputs: props(in)})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Failures)
			assert.Equal(t, tc.prop, resp.Failures[0].Property)
		})
	}
}

func TestDefaultsMatchTheEngine(t *testing.T) {
	assert.Equal(t, 30*time.Minute, switchover.DefaultTimeout, "documented as timeoutSeconds 0 = 1800")
	assert.Equal(t, 10*time.Second, switchover.DefaultPoll, "documented as pollSeconds 0 = 10")
}

// TestPreviewWithUnknownClusterArn: on a first preview the cluster ARN is an
// output of a resource not yet created; Check must not reject it and the
// preview Create must not call AWS.
func TestPreviewWithUnknownClusterArn(t *testing.T) {
	f, s := newFake(t)
	r := newResource(t, s, auroraToken, "writer")
	in := props(auroraInputs(osaka, osArn, true, "planned")).Set("clusterArn", property.New(property.Computed))
	check, err := s.Check(p.CheckRequest{Urn: r.urn, Inputs: in})
	require.NoError(t, err)
	assert.Empty(t, check.Failures)
	_, err = s.Create(p.CreateRequest{Urn: r.urn, Properties: check.Inputs, DryRun: true})
	require.NoError(t, err)
	assert.Empty(t, f.w.Calls(""), "a preview must not call AWS")
}
