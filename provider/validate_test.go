package provider_test

import (
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func inputsOf(token string) map[string]any {
	if token == cacheToken {
		return cacheInputs(osaka, "agm-osaka", false, "planned")
	}
	return auroraInputs(osaka, osArn, false, "planned")
}

// TestCheckRefusesBadRegionAndPolling: an unknown region is named as such (AWS would answer
// "not a member"), and pollSeconds above timeoutSeconds is refused also when either is left at
// its default (timeout 0 = 1800 s, poll 0 = 10 s).
func TestCheckRefusesBadRegionAndPolling(t *testing.T) {
	cases := map[string]struct {
		set  map[string]any
		prop string
	}{
		"unknown region":                {map[string]any{"region": "ap-northeast-9"}, "region"},
		"poll above timeout":            {map[string]any{"timeoutSeconds": 5, "pollSeconds": 6}, "pollSeconds"},
		"default poll above timeout":    {map[string]any{"timeoutSeconds": 5, "pollSeconds": 0}, "pollSeconds"},
		"poll above default timeout":    {map[string]any{"timeoutSeconds": 0, "pollSeconds": 1801}, "pollSeconds"},
		"poll equal to timeout is fine": {map[string]any{"timeoutSeconds": 5, "pollSeconds": 5}, ""},
		"both defaults are fine":        {map[string]any{"timeoutSeconds": 0, "pollSeconds": 0}, ""},
	}
	for _, token := range []string{auroraToken, cacheToken} {
		for name, tc := range cases {
			t.Run(token+"/"+name, func(t *testing.T) {
				_, s := newFake(t)
				r := newResource(t, s, token, "x")
				in := inputsOf(token)
				for k, v := range tc.set {
					in[k] = v
				}
				if tc.prop == "region" && token == auroraToken {
					in["clusterArn"] = "arn:aws:rds:ap-northeast-9:123456789012:cluster:agm-x"
				}
				resp, err := s.Check(p.CheckRequest{Urn: r.urn, Inputs: props(in)})
				require.NoError(t, err)
				if tc.prop == "" {
					assert.Empty(t, resp.Failures)
					return
				}
				require.NotEmpty(t, resp.Failures)
				assert.Equal(t, tc.prop, resp.Failures[0].Property, "%v", resp.Failures)
			})
		}
	}
}

// TestIdentityChangesReplace: region and the global id form the resource ID, so changing either
// is a replacement, never an in-place update of a resource that would then describe another one.
func TestIdentityChangesReplace(t *testing.T) {
	cases := []struct {
		token, prop string
		set         map[string]any
	}{
		{auroraToken, "region", map[string]any{"region": tokyo, "clusterArn": tkArn}},
		{auroraToken, "globalClusterId", map[string]any{"globalClusterId": "other-global"}},
		{cacheToken, "region", map[string]any{"region": tokyo, "replicationGroupId": "agm-tokyo"}},
		{cacheToken, "globalReplicationGroupId", map[string]any{"globalReplicationGroupId": "ldgnf-other"}},
	}
	for _, tc := range cases {
		t.Run(tc.token+"/"+tc.prop, func(t *testing.T) {
			_, s := newFake(t)
			r := newResource(t, s, tc.token, "x")
			_, err := r.up(inputsOf(tc.token))
			require.NoError(t, err)
			in := inputsOf(tc.token)
			for k, v := range tc.set {
				in[k] = v
			}
			d, err := s.Diff(p.DiffRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: props(in)})
			require.NoError(t, err)
			require.Contains(t, d.DetailedDiff, tc.prop)
			assert.Equal(t, p.UpdateReplace, d.DetailedDiff[tc.prop].Kind, "%s change must replace", tc.prop)
		})
	}
}
