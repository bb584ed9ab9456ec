// Package tests runs the real program (stacks.Program) for both stacks under Pulumi's mock
// monitor, with the repo's own Pulumi.yaml and stack files, and checks the rules that keep a
// switchover safe.
package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/stacks"
)

// repoRoot is where Pulumi.yaml lives, relative to this package.
const repoRoot = ".."

// peerOutputs is what each stack's peer has exported after its first deployment.
var peerOutputs = map[string]map[string]any{
	config.TokyoStack: {
		stacks.OutBucketName:         "agm-dr-site-123456789012-ap-northeast-1",
		stacks.OutCacheGlobalID:      "ldgnf-agm-dr-sessions",
		stacks.OutZoneID:             "ZHOMEZONE123",
		stacks.OutAuroraGlobalWriter: "agm-dr-global.global-abc123.global.rds.amazonaws.com",
		stacks.OutVpcID:              "vpc-0tokyo",
		stacks.OutCacheEndpoint:      "master.peer-cache.example",
	},
	config.OsakaStack: {
		stacks.OutBucketName:    "agm-dr-site-123456789012-ap-northeast-3",
		stacks.OutCacheEndpoint: "master.peer-cache.example",
		stacks.OutPeeringID:     "pcx-0osaka",
	},
}

// run runs the program for a stack with the repo's config plus overrides ("" deletes a key).
func run(t testing.TB, stack string, overrides map[string]string) (*capture.Result, error) {
	t.Helper()
	cfg, err := capture.ProjectConfig(repoRoot, stack)
	require.NoError(t, err)
	for k, v := range overrides {
		if v == "" {
			delete(cfg, k)
			continue
		}
		cfg[k] = v
	}
	return capture.Run(stacks.Program, capture.Options{
		Project: config.Namespace, Stack: stack, Config: cfg, StackOutputs: peerOutputs,
	})
}

// mustRun is run for configs that must be valid.
func mustRun(t testing.TB, stack string, overrides map[string]string) *capture.Result {
	t.Helper()
	res, err := run(t, stack, overrides)
	require.NoError(t, err)
	return res
}

func primary(region string) map[string]string {
	return map[string]string{config.KeyPrimaryRegion: region}
}

func only(t *testing.T, res *capture.Result, typ string) capture.Resource {
	t.Helper()
	rs := res.Find(typ)
	require.Len(t, rs, 1, "exactly one %s", typ)
	return rs[0]
}

func resourceKey(k string) resource.PropertyKey { return resource.PropertyKey(k) }
