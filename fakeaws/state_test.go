package fakeaws

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testURN = "urn:pulumi:osaka::agm-dr::" + typeReplicationGroup + "::sessions"

func check(t *testing.T, olds, news map[string]any) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	t.Helper()
	res, err := New().Check(context.Background(), &pulumirpc.CheckRequest{Type: typeReplicationGroup, Urn: testURN,
		Olds: props(t, olds), News: props(t, news)})
	require.NoError(t, err)
	in, err := unmarshal(res.Inputs)
	require.NoError(t, err)
	return in, res.Failures
}

func TestCheckFillsDefaultsAndRefusesConflicts(t *testing.T) {
	in, failures := check(t, nil, map[string]any{"replicationGroupId": "home", "engine": "valkey", "nodeType": "cache.r7g.large"})
	assert.Empty(t, failures)
	assert.Equal(t, "valkey", str(in, "engine"), "an explicit engine stays")

	in, failures = check(t, nil, map[string]any{"replicationGroupId": "peer", "globalReplicationGroupId": "ldgnf-s"})
	assert.Empty(t, failures)
	assert.Equal(t, "redis", str(in, "engine"), "pulumi-aws v6.83.4 defaults an absent engine to redis")

	for _, p := range []string{"engine", "nodeType", "atRestEncryptionEnabled", "transitEncryptionEnabled", "engineVersion"} {
		news := map[string]any{"replicationGroupId": "peer", "globalReplicationGroupId": "ldgnf-s", p: "x"}
		_, failures = check(t, nil, news)
		require.Len(t, failures, 1, "%s next to globalReplicationGroupId is refused", p)
		assert.Equal(t, p, failures[0].Property)
		assert.Contains(t, failures[0].Reason, "ConflictsWith")
	}

	// ignoreChanges copies the old (defaulted) engine into the new inputs: still a default.
	olds := map[string]any{"replicationGroupId": "peer", "globalReplicationGroupId": "ldgnf-s", "engine": "redis", "__defaults": []any{"engine"}}
	_, failures = check(t, olds, map[string]any{"replicationGroupId": "peer", "globalReplicationGroupId": "ldgnf-s", "engine": "redis"})
	assert.Empty(t, failures)
}

func diff(t *testing.T, typ string, state, oldIn, news map[string]any, ignore ...string) *pulumirpc.DiffResponse {
	t.Helper()
	res, err := New().Diff(context.Background(), &pulumirpc.DiffRequest{Type: typ, Urn: "urn:pulumi:tokyo::agm-dr::" + typ + "::x",
		Olds: props(t, state), OldInputs: props(t, oldIn), News: props(t, news), IgnoreChanges: ignore})
	require.NoError(t, err)
	return res
}

// The bridge diffs state (what AWS reported) against config, not old inputs against new.
func TestDiffComparesStateWithInputs(t *testing.T) {
	const rds = "aws:rds/cluster:Cluster"
	alias := map[string]any{"clusterIdentifier": "agm", "kmsKeyId": "alias/agm"}
	state := readBack(rds, "ap-northeast-1", resource.NewPropertyMapFromMap(alias)).Mappable()
	res := diff(t, rds, state, alias, alias)
	assert.Equal(t, []string{"kmsKeyId"}, res.Replaces, "an alias reads back as the key ARN: every plan replaces")

	upper := map[string]any{"clusterIdentifier": "AGM"}
	state = readBack(rds, "ap-northeast-1", resource.NewPropertyMapFromMap(upper)).Mappable()
	assert.Equal(t, []string{"clusterIdentifier"}, diff(t, rds, state, upper, upper).Replaces, "identifiers are stored lower case")

	// The secondary cache group: AWS reports the datastore's valkey, the provider plans its
	// default redis, and the downgrade forces new (customizeDiffEngineForceNewOnDowngrade).
	sec := map[string]any{"replicationGroupId": "peer", "globalReplicationGroupId": "ldgnf-s", "engine": "redis"}
	secState := map[string]any{"replicationGroupId": "peer", "globalReplicationGroupId": "ldgnf-s", "engine": "valkey"}
	assert.Equal(t, []string{"engine"}, diff(t, typeReplicationGroup, secState, sec, sec).Replaces)
	assert.Empty(t, diff(t, typeReplicationGroup, secState, sec, sec, "engine").Diffs, "ignoreChanges hides it, as the bridge does")
	up := map[string]any{"engine": "valkey"}
	assert.Empty(t, diff(t, typeReplicationGroup, map[string]any{"engine": "redis"}, map[string]any{"engine": "redis"}, up).Replaces,
		"redis → valkey upgrades in place")

	// An output the program never set is not a diff; a dropped input is.
	res = diff(t, rds, map[string]any{"clusterIdentifier": "agm", "arn": "arn:x", "port": 5432},
		map[string]any{"clusterIdentifier": "agm", "port": 5432}, map[string]any{"clusterIdentifier": "agm"})
	assert.Equal(t, []string{"port"}, res.Diffs)
}

func TestOutputsInAWSFormats(t *testing.T) {
	create := func(region, typ string, in map[string]any) resource.PropertyMap {
		p := New()
		p.region = region
		res, err := p.Create(context.Background(), &pulumirpc.CreateRequest{Type: typ, Name: "x",
			Urn: "urn:pulumi:s::agm-dr::" + typ + "::x", Properties: props(t, in)})
		require.NoError(t, err)
		out, err := unmarshal(res.Properties)
		require.NoError(t, err)
		out["id"] = resource.NewProperty(res.Id)
		return out
	}
	const alb = "aws:lb/loadBalancer:LoadBalancer"
	assert.Equal(t, "Z14GRHDCWA56QT", str(create("ap-northeast-1", alb, nil), "zoneId"))
	assert.Equal(t, "Z5LXEXXYW11ES", str(create("ap-northeast-3", alb, nil), "zoneId"))
	pcx := str(create("ap-northeast-3", "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", map[string]any{"vpcId": "vpc-1"}), "id")
	assert.Regexp(t, `^pcx-`, pcx)
	acc := create("ap-northeast-1", "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter", map[string]any{"vpcPeeringConnectionId": pcx})
	assert.Equal(t, pcx, str(acc, "id"), "the accepter's id is the connection's")
	assert.NotEqual(t, GlobalDatastoreID("ap-northeast-1", "s"), GlobalDatastoreID("ap-northeast-3", "s"), "each region has its own prefix")
	assert.Regexp(t, `^[a-z]{5}-s$`, GlobalDatastoreID("ap-northeast-3", "s"))
}

// Through the world: a secondary reads back the datastore's engine at create, and after a
// failover a refresh of the old primary reports another key and the new datastore primary.
func TestReadReportsWhatTheWorldChanged(t *testing.T) {
	fake := NewElastiCache()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Setenv(WorldEnv, "1")
	t.Setenv("AWS_ENDPOINT_URL_ELASTICACHE", srv.URL)
	t.Setenv("AWS_ENDPOINT_URL", srv.URL) // nothing else is called
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	ctx := context.Background()
	prov := func(region string) *Provider { p := New(); p.region = region; return p }
	tokyo, osaka := prov("ap-northeast-1"), prov("ap-northeast-3")
	homeKey, peerKey := "arn:aws:kms:ap-northeast-1:000000000000:key/home", "arn:aws:kms:ap-northeast-3:000000000000:key/peer"
	home := map[string]any{"replicationGroupId": "home", "engine": "valkey", "kmsKeyId": homeKey, "description": "d"}
	_, err := tokyo.Create(ctx, &pulumirpc.CreateRequest{Type: typeReplicationGroup, Name: "home", Urn: "urn:pulumi:tokyo::p::t::home", Properties: props(t, home)})
	require.NoError(t, err)
	g, err := tokyo.Create(ctx, &pulumirpc.CreateRequest{Type: "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup", Name: "g",
		Urn: "urn:pulumi:tokyo::p::t::g", Properties: props(t, map[string]any{"globalReplicationGroupIdSuffix": "s", "primaryReplicationGroupId": "home"})})
	require.NoError(t, err)
	peer := map[string]any{"replicationGroupId": "peer", "engine": "redis", "kmsKeyId": peerKey, "description": "d", "globalReplicationGroupId": "ldgnf-s"}
	res, err := osaka.Create(ctx, &pulumirpc.CreateRequest{Type: typeReplicationGroup, Name: "peer", Urn: "urn:pulumi:osaka::p::t::peer", Properties: props(t, peer)})
	require.NoError(t, err)
	state, err := unmarshal(res.Properties)
	require.NoError(t, err)
	assert.Equal(t, "valkey", str(state, "engine"), "a secondary reports the datastore's engine, not the default it was sent")

	fake.mu.Lock()
	fake.global["ldgnf-s"].primary = "peer"
	fake.mu.Unlock()
	read, err := tokyo.Read(ctx, &pulumirpc.ReadRequest{Type: typeReplicationGroup, Id: "home", Urn: "urn:pulumi:tokyo::p::t::home", Properties: props(t, home), Inputs: props(t, home)})
	require.NoError(t, err)
	got, err := unmarshal(read.Properties)
	require.NoError(t, err)
	assert.Equal(t, peerKey, str(got, "kmsKeyId"), "the old primary, now a secondary, reports the modelled stand-in key")
	assert.Equal(t, "ldgnf-s", str(got, "globalReplicationGroupId"))
	gState, err := unmarshal(g.Properties)
	require.NoError(t, err)
	read, err = tokyo.Read(ctx, &pulumirpc.ReadRequest{Type: "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup", Id: g.Id, Urn: "urn:pulumi:tokyo::p::t::g", Properties: props(t, gState.Mappable())})
	require.NoError(t, err)
	got, err = unmarshal(read.Properties)
	require.NoError(t, err)
	assert.Equal(t, "peer", str(got, "primaryReplicationGroupId"), "a refresh shows the switchover")
}
