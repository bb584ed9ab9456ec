package fakeaws

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/agm-dr/agm-dr/stacks"
)

func props(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := marshal(resource.NewPropertyMapFromMap(m))
	require.NoError(t, err)
	return s
}

func TestDiffReplacesExactlyOnForceNew(t *testing.T) {
	const cluster = "aws:rds/cluster:Cluster"
	old := map[string]any{"engine": "aurora-postgresql", "storageEncrypted": true, "backupRetentionPeriod": 7,
		"globalClusterIdentifier": "agm-dr-global"}
	cases := []struct {
		name             string
		typ              string
		change           map[string]any
		ignore           []string
		changed, replace []string
	}{
		{"no change", cluster, nil, nil, nil, nil},
		{"in-place update", cluster, map[string]any{"backupRetentionPeriod": 14}, nil, []string{"backupRetentionPeriod"}, nil},
		{"ForceNew", cluster, map[string]any{"storageEncrypted": false}, nil, []string{"storageEncrypted"}, []string{"storageEncrypted"}},
		{"ignored", cluster, map[string]any{"globalClusterIdentifier": "other"}, []string{"globalClusterIdentifier"}, nil, nil},
		{"detach is an update, not a replacement", cluster, map[string]any{"globalClusterIdentifier": "other"}, nil, []string{"globalClusterIdentifier"}, nil},
		{"unknown type never replaces", "aws:new/thing:Thing", map[string]any{"engine": "x"}, nil, []string{"engine"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			news := map[string]any{}
			for k, v := range old {
				news[k] = v
			}
			for k, v := range c.change {
				news[k] = v
			}
			res, err := New().Diff(context.Background(), &pulumirpc.DiffRequest{Type: c.typ, Urn: "urn:pulumi:tokyo::agm-dr::" + c.typ + "::x",
				OldInputs: props(t, old), Olds: props(t, old), News: props(t, news), IgnoreChanges: c.ignore})
			require.NoError(t, err)
			assert.Equal(t, c.changed, res.Diffs)
			assert.Equal(t, c.replace, res.Replaces)
			for _, p := range c.replace {
				assert.Equal(t, pulumirpc.PropertyDiff_UPDATE_REPLACE, res.DetailedDiff[p].Kind)
			}
		})
	}
}

// The flip contract allows changing these inputs: none of them may be one AWS replaces on, or
// the contract would promise an update that is really a replacement.
func TestFlipAllowedInputsNeverReplace(t *testing.T) {
	for typ, allowed := range stacks.FlipAllowed {
		for _, p := range allowed {
			assert.False(t, Replaces(typ, p), "%s.%s is in stacks.FlipAllowed but AWS replaces on it (%s)", typ, p, Source(typ))
		}
	}
}

func TestCreateIsStableAndPlausible(t *testing.T) {
	p := New()
	p.region = "ap-northeast-1"
	req := &pulumirpc.CreateRequest{Type: "aws:lb/loadBalancer:LoadBalancer", Name: "alb", Urn: "urn:pulumi:tokyo::agm-dr::aws:lb/loadBalancer:LoadBalancer::alb",
		Properties: props(t, map[string]any{"internal": false})}
	a, err := p.Create(context.Background(), req)
	require.NoError(t, err)
	b, err := p.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, a.Id, b.Id, "the same resource gets the same id")
	out, err := unmarshal(a.Properties)
	require.NoError(t, err)
	assert.Contains(t, str(out, "arn"), "arn:aws:elasticloadbalancing:ap-northeast-1:")
	assert.Contains(t, str(out, "dnsName"), ".ap-northeast-1.elb.amazonaws.com")
	assert.Equal(t, false, out["internal"].BoolValue(), "inputs are echoed")
}

func TestElastiCacheFakeThroughTheSDK(t *testing.T) {
	fake := NewElastiCache()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := func(region string) *elasticache.Client {
		return elasticache.New(elasticache.Options{Region: region, BaseEndpoint: aws.String(srv.URL),
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
			})})
	}
	ctx := context.Background()
	tokyo, osaka := client("ap-northeast-1"), client("ap-northeast-3")
	_, err := tokyo.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String("home"), ReplicationGroupDescription: aws.String("d")})
	require.NoError(t, err)
	g, err := tokyo.CreateGlobalReplicationGroup(ctx, &elasticache.CreateGlobalReplicationGroupInput{GlobalReplicationGroupIdSuffix: aws.String("s"), PrimaryReplicationGroupId: aws.String("home")})
	require.NoError(t, err)
	id := aws.ToString(g.GlobalReplicationGroup.GlobalReplicationGroupId)
	assert.Equal(t, GlobalDatastorePrefix+"s", id)
	_, err = osaka.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String("peer"), ReplicationGroupDescription: aws.String("d"), GlobalReplicationGroupId: aws.String(id)})
	require.NoError(t, err)
	d, err := osaka.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{GlobalReplicationGroupId: aws.String(id)})
	require.NoError(t, err)
	require.Len(t, d.GlobalReplicationGroups[0].Members, 2)
	assert.Equal(t, "PRIMARY", aws.ToString(d.GlobalReplicationGroups[0].Members[0].Role))

	_, err = osaka.FailoverGlobalReplicationGroup(ctx, &elasticache.FailoverGlobalReplicationGroupInput{GlobalReplicationGroupId: aws.String(id),
		PrimaryRegion: aws.String("ap-northeast-3"), PrimaryReplicationGroupId: aws.String("peer")})
	require.NoError(t, err)
	assert.Equal(t, "ap-northeast-3", fake.PrimaryRegion(id))

	fake.SetDown("ap-northeast-1", true)
	_, err = tokyo.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{GlobalReplicationGroupId: aws.String(id)})
	assert.Error(t, err, "a region marked down fails")
}

func TestAutoScalingFakeThroughTheSDK(t *testing.T) {
	fake := NewAutoScaling()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := func(region string) *applicationautoscaling.Client {
		return applicationautoscaling.New(applicationautoscaling.Options{Region: region, BaseEndpoint: aws.String(srv.URL),
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
			})})
	}
	ctx := context.Background()
	osaka := client("ap-northeast-3")
	describe := func() []aastypes.ScalableTarget {
		out, err := osaka.DescribeScalableTargets(ctx, &applicationautoscaling.DescribeScalableTargetsInput{
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceIds: []string{"service/app/app"},
			ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount})
		require.NoError(t, err)
		return out.ScalableTargets
	}
	assert.Empty(t, describe())
	for _, floor := range []int32{2, 6} {
		_, err := osaka.RegisterScalableTarget(ctx, &applicationautoscaling.RegisterScalableTargetInput{
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String("service/app/app"),
			ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount, MinCapacity: aws.Int32(floor), MaxCapacity: aws.Int32(40)})
		require.NoError(t, err)
		got := describe()
		require.Len(t, got, 1, "register is an upsert")
		assert.Equal(t, floor, aws.ToInt32(got[0].MinCapacity))
	}
	f, ok := fake.Floor("ap-northeast-1", "service/app/app")
	assert.False(t, ok, "targets are per region: %d", f)
	fake.SetDown("ap-northeast-3", true)
	_, err := osaka.DescribeScalableTargets(ctx, &applicationautoscaling.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	assert.Error(t, err)
}
