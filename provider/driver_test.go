package provider_test

import (
	"context"
	"sync"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/provider"
	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

const (
	tokyo = "ap-northeast-1"
	osaka = "ap-northeast-3"
	tkArn = "arn:aws:rds:ap-northeast-1:123456789012:cluster:agm-tokyo"
	osArn = "arn:aws:rds:ap-northeast-3:123456789012:cluster:agm-osaka"
	gcID  = "agm-global"
	dsID  = "ldgnf-agm-sessions"
)

// fakeAWS hands the provider per-region fake clients and records which
// regions it asked for.
type fakeAWS struct {
	w       *switchovertest.World
	mu      sync.Mutex
	regions []string
}

func (f *fakeAWS) clients(_ context.Context, region string) (switchover.Clients, error) {
	f.mu.Lock()
	f.regions = append(f.regions, region)
	f.mu.Unlock()
	return switchover.Clients{RDS: f.w.RDS(region), Lag: f.w.Lag(region), ElastiCache: f.w.ElastiCache(region),
		Route53: f.w.Route53(region), ECS: f.w.ECS(region), AutoScaling: f.w.AutoScaling(region), ELB: f.w.ELB(region)}, nil
}

func (f *fakeAWS) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.regions...)
}

func newFake(t *testing.T, opts ...provider.Option) (*fakeAWS, integration.Server) {
	t.Helper()
	w := switchovertest.NewWorld()
	w.AddGlobalCluster(gcID, tkArn, osArn)
	w.AddDatastore(dsID,
		switchovertest.CacheMember{ID: "agm-tokyo", Region: tokyo},
		switchovertest.CacheMember{ID: "agm-osaka", Region: osaka})
	f := &fakeAWS{w: w}
	prov, err := provider.NewWith(f.clients, opts...)
	require.NoError(t, err)
	s, err := integration.NewServer(context.Background(), provider.Name, semver.MustParse(provider.Version),
		integration.WithProvider(prov))
	require.NoError(t, err)
	return f, s
}

// resource drives one resource through engine-like steps: check, then
// create or diff+update (preview first), and refresh.
type resource struct {
	t     *testing.T
	s     integration.Server
	urn   presource.URN
	id    string
	state property.Map
	diff  p.DiffResponse
}

func newResource(t *testing.T, s integration.Server, token, name string) *resource {
	return &resource{t: t, s: s, urn: presource.NewURN("dev", "agm-dr", "", tokens.Type(token), name)}
}

// up returns whether anything changed, and the provider's error.
func (r *resource) up(inputs map[string]any) (bool, error) {
	r.t.Helper()
	check, err := r.s.Check(p.CheckRequest{Urn: r.urn, State: r.state, Inputs: props(inputs)})
	require.NoError(r.t, err)
	require.Empty(r.t, check.Failures)
	if r.state.Len() == 0 {
		_, err := r.s.Create(p.CreateRequest{Urn: r.urn, Properties: check.Inputs, DryRun: true})
		require.NoError(r.t, err)
		resp, err := r.s.Create(p.CreateRequest{Urn: r.urn, Properties: check.Inputs})
		if err != nil {
			return false, err
		}
		r.id, r.state = resp.ID, resp.Properties
		return true, nil
	}
	r.diff, err = r.s.Diff(p.DiffRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: check.Inputs})
	require.NoError(r.t, err)
	if !r.diff.HasChanges {
		return false, nil
	}
	for k, d := range r.diff.DetailedDiff {
		require.Equal(r.t, p.Update, d.Kind, "%s: a role flip must be an update, never a replacement", k)
	}
	_, err = r.s.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: check.Inputs, DryRun: true})
	require.NoError(r.t, err)
	resp, err := r.s.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: check.Inputs})
	if err != nil {
		return false, err // the engine keeps the old state
	}
	r.state = resp.Properties
	return true, nil
}

func (r *resource) refresh() {
	r.t.Helper()
	resp, err := r.s.Read(p.ReadRequest{ID: r.id, Urn: r.urn, Properties: r.state})
	require.NoError(r.t, err)
	r.state = resp.Properties
}

func (r *resource) out(key string) any {
	v := r.state.Get(key)
	switch {
	case v.IsString():
		return v.AsString()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsBool():
		return v.AsBool()
	}
	return nil
}

func props(m map[string]any) property.Map {
	out := map[string]property.Value{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = property.New(v)
		case bool:
			out[k] = property.New(v)
		case int:
			out[k] = property.New(float64(v))
		case []map[string]any:
			var arr []property.Value
			for _, m := range v {
				arr = append(arr, property.New(props(m)))
			}
			out[k] = property.New(property.NewArray(arr))
		}
	}
	return property.NewMap(out)
}

func auroraInputs(region, arn string, writer bool, mode string) map[string]any {
	return map[string]any{"globalClusterId": gcID, "region": region, "clusterArn": arn, "writer": writer,
		"mode": mode, "rpoBudgetSeconds": 30, "timeoutSeconds": 5, "pollSeconds": 1}
}

func cacheInputs(region, group string, primary bool, mode string) map[string]any {
	return map[string]any{"globalReplicationGroupId": dsID, "region": region, "replicationGroupId": group,
		"primary": primary, "mode": mode, "timeoutSeconds": 5, "pollSeconds": 1}
}
