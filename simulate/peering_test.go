package simulate

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

func realCaptures(t *testing.T) (config.Config, map[string]*capture.Result) {
	t.Helper()
	progs, err := loadPrograms("..")
	require.NoError(t, err)
	cfg := progs.cfg[config.TokyoStack]
	caps, err := progs.run(cfg.PrimaryRegion, cfg.Switchover.Mode)
	require.NoError(t, err)
	return cfg, caps
}

// TestTheRealProgramPeersBothWays: after README's bring-up (tokyo, osaka, tokyo) each region's
// tasks reach the other's cache and Aurora writer.
func TestTheRealProgramPeersBothWays(t *testing.T) {
	cfg, caps := realCaptures(t)
	p := peeredPaths(cfg, caps)
	assert.Empty(t, p.missing)
	for _, r := range []string{config.Tokyo, config.Osaka} {
		assert.True(t, p.cache[r], "%s → sessions in the peer", r)
		assert.True(t, p.db[r], "%s → votes in the peer", r)
	}
}

// TestPathNeedsEveryPiece takes one piece of the path out of the captured programs at a time:
// the region whose tasks lose the way, and only that way, is the one the piece served.
func TestPathNeedsEveryPiece(t *testing.T) {
	type reach struct{ cache, db bool }
	all := reach{true, true}
	none := reach{}
	tk, osk := config.TokyoStack, config.OsakaStack
	for _, tc := range []struct {
		name  string
		stack string
		drop  func(capture.Resource) bool
		edit  func(capture.Resource) resource.PropertyMap
		want  map[string]reach
		say   string
	}{
		{name: "Osaka requests no connection", stack: osk, drop: is(typePeering, "network-peering"),
			want: map[string]reach{config.Tokyo: none, config.Osaka: none}, say: "0 stack(s) request"},
		{name: "Tokyo does not accept", stack: tk, drop: is(typeAccepter, "network-peering-accepter"),
			want: map[string]reach{config.Tokyo: none, config.Osaka: none}, say: "does not accept"},
		{name: "Tokyo accepts another connection", stack: tk, drop: is(typeAccepter, "network-peering-accepter"),
			edit: set("vpcPeeringConnectionId", resource.NewStringProperty("pcx-other")),
			want: map[string]reach{config.Tokyo: none, config.Osaka: none}, say: "does not accept"},
		{name: "Osaka requests another VPC", stack: osk, drop: is(typePeering, "network-peering"),
			edit: set("peerVpcId", resource.NewStringProperty("vpc-other")),
			want: map[string]reach{config.Tokyo: none, config.Osaka: none}, say: "peerVpcId"},
		{name: "an app route table of Tokyo has no route", stack: tk, drop: is(typeRoute, "network-private-apne1-az2-peer"),
			want: map[string]reach{config.Tokyo: none, config.Osaka: all}, say: "network-private-rt-apne1-az2-id"},
		{name: "an app route of Tokyo leads to another connection", stack: tk, drop: is(typeRoute, "network-private-apne1-az1-peer"),
			edit: set("vpcPeeringConnectionId", resource.NewStringProperty("pcx-other")),
			want: map[string]reach{config.Tokyo: none, config.Osaka: all}, say: "network-private-rt-apne1-az1-id"},
		{name: "Tokyo's data subnets do not route back", stack: tk, drop: is(typeRoute, "network-isolated-peer"),
			want: map[string]reach{config.Tokyo: all, config.Osaka: none}, say: "the peer's"},
		{name: "Tokyo's tasks may not leave for Redis", stack: tk, drop: is(typeSGRule, "network-tasks-egress-peer-redis"),
			want: map[string]reach{config.Tokyo: {false, true}, config.Osaka: all}, say: "egress"},
		{name: "Osaka's tasks may not leave for PostgreSQL", stack: osk, drop: is(typeSGRule, "network-tasks-egress-peer-postgres"),
			want: map[string]reach{config.Tokyo: all, config.Osaka: {true, false}}, say: "egress"},
		{name: "Osaka's cache does not admit Tokyo", stack: osk, drop: is(typeSG, "cache-sg"),
			edit: func(r capture.Resource) resource.PropertyMap {
				in := r.Inputs.Copy()
				in["ingress"] = resource.NewArrayProperty(r.Inputs["ingress"].ArrayValue()[:1])
				return in
			},
			want: map[string]reach{config.Tokyo: {false, true}, config.Osaka: all}, say: "does not admit"},
		{name: "Tokyo's tasks do not know Osaka's cache", stack: tk, drop: is(typeTaskDef, "app-task"),
			edit: func(r capture.Resource) resource.PropertyMap {
				in := r.Inputs.Copy()
				in["containerDefinitions"] = resource.NewStringProperty(strings.ReplaceAll(strIn(r, "containerDefinitions"), "CACHE_PEER_ENDPOINT", "UNUSED"))
				return in
			},
			want: map[string]reach{config.Tokyo: {false, true}, config.Osaka: all}, say: "CACHE_PEER_ENDPOINT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, caps := realCaptures(t)
			changed := alter(t, caps, tc.stack, tc.drop, tc.edit)
			p := peeredPaths(cfg, changed)
			for region, want := range tc.want {
				assert.Equal(t, want, reach{p.cache[region], p.db[region]}, region)
			}
			assert.Contains(t, strings.Join(p.missing, "\n"), tc.say)
		})
	}
}

func is(typ, name string) func(capture.Resource) bool {
	return func(r capture.Resource) bool { return r.Type == typ && r.Name == name }
}

func set(key string, v resource.PropertyValue) func(capture.Resource) resource.PropertyMap {
	return func(r capture.Resource) resource.PropertyMap {
		in := r.Inputs.Copy()
		in[resource.PropertyKey(key)] = v
		return in
	}
}

// alter copies the captures, then in stack drops the resource match finds, or, with edit,
// replaces its inputs. The shared captures stay as they were.
func alter(t *testing.T, caps map[string]*capture.Result, stack string, match func(capture.Resource) bool,
	edit func(capture.Resource) resource.PropertyMap) map[string]*capture.Result {
	t.Helper()
	out := map[string]*capture.Result{}
	for s, c := range caps {
		out[s] = &capture.Result{Resources: slices.Clone(c.Resources), Outputs: maps.Clone(c.Outputs), Region: c.Region}
	}
	c := out[stack]
	i := slices.IndexFunc(c.Resources, match)
	require.GreaterOrEqual(t, i, 0, "the program no longer has this piece: update the test")
	if edit == nil {
		c.Resources = slices.Delete(c.Resources, i, i+1)
	} else {
		c.Resources[i].Inputs = edit(c.Resources[i])
	}
	return out
}

// TestWithoutThePeeringSessionWritesFailOutsideTheFailover: the bounds of a planned switchover
// hold because of the peering. Without it, the old region's clients (DNS caches them for a TTL)
// meet a read-only cache and a writer they cannot reach.
func TestWithoutThePeeringSessionWritesFailOutsideTheFailover(t *testing.T) {
	sc := scenarios[0]
	sc.WithoutPeering = true
	res := run(t, sc)
	broken := map[string]bool{}
	for _, b := range res.Bounds() {
		if b.Applies && !b.Held {
			broken[b.Name] = true
		}
	}
	assert.True(t, broken["planned: no session write fails outside the cache failover window"], "%v", res.Summary())
	assert.True(t, broken["planned: failed votes only inside Aurora's write pause"], "%v", res.Summary())
	im := res.Impact()
	assert.Positive(t, im.FailedSessionWrites[ReasonCacheReadOnly])
	assert.Positive(t, im.FailedVotes[ReasonWriterDown])
	assert.Zero(t, im.CrossRegionSessions)

	with := run(t, scenarios[0]).Impact()
	assert.Positive(t, with.CrossRegionSessions, "with the peering those writes went to the new primary")
	assert.Zero(t, with.FailedSessionWrites[ReasonCacheReadOnly])
}
