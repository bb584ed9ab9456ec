package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

// TestInvalidConfigRegistersNothing runs the whole program with each kind of bad config: it
// must fail with an error naming the key and what is allowed, before registering anything.
func TestInvalidConfigRegistersNothing(t *testing.T) {
	cases := []struct {
		name  string
		stack string
		set   map[string]string
		want  []string
	}{
		{"unknown region", "tokyo", map[string]string{config.KeyRegion: "us-west-2"}, []string{"aws:region", "us-west-2", "allowed"}},
		{"primary not a stack region", "osaka", map[string]string{config.KeyPrimaryRegion: "ap-southeast-2"}, []string{"agm-dr:primaryRegion", "ap-northeast-1 (tokyo), ap-northeast-3 (osaka)"}},
		{"overlapping cidrs", "tokyo", map[string]string{config.KeyVpcCidrs: `{"ap-northeast-1":"10.0.0.0/16","ap-northeast-3":"10.0.0.0/20"}`}, []string{"agm-dr:vpcCidrs", "overlap"}},
		{"missing image", "osaka", map[string]string{config.KeyAppImage: ""}, []string{"agm-dr:appImage", "required"}},
		{"bad schedule", "tokyo", map[string]string{config.KeySeason: `{"windows":[{"name":"x","start":"13-01 00:00","end":"13-02 00:00","minTasks":2}]}`}, []string{"agm-dr:season", "never fire"}},
		{"bad profile", "osaka", map[string]string{config.KeyProfile: "cheap"}, []string{"agm-dr:profile", "production, dev"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := run(t, tc.stack, tc.set)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, res.Resources, "an invalid config must register nothing")
		})
	}
}

func TestDevProfileIsCheap(t *testing.T) {
	res := mustRun(t, config.TokyoStack, map[string]string{config.KeyProfile: "dev", config.KeySeason: `{"windows":[]}`})
	for _, inst := range res.Find("aws:rds/clusterInstance:ClusterInstance") {
		assert.Equal(t, "db.serverless", inst.Inputs["instanceClass"].StringValue())
	}
	assert.Len(t, res.Find("aws:ec2/natGateway:NatGateway"), 1, "dev runs one NAT gateway")
	prod := mustRun(t, config.TokyoStack, nil)
	assert.Len(t, prod.Find("aws:ec2/natGateway:NatGateway"), 3, "production runs a NAT gateway per AZ")
}

func BenchmarkProgramOneStack(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := run(b, config.TokyoStack, nil); err != nil {
			b.Fatal(err)
		}
	}
}
