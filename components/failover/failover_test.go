package failover_test

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/components/failover"
)

// captured records what the program registered.
type captured struct {
	mu     sync.Mutex
	tokens map[string]string
	inputs map[string]resource.PropertyMap
}

func (c *captured) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens[args.Name] = args.TypeToken
	c.inputs[args.Name] = args.Inputs
	out := args.Inputs.Copy()
	out["actualWriter"] = resource.NewStringProperty("ap-northeast-3")
	return args.Name + "-id", out, nil
}

func (c *captured) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) { return nil, nil }

func TestRegistersTheProviderTokensWithTheirInputs(t *testing.T) {
	c := &captured{tokens: map[string]string{}, inputs: map[string]resource.PropertyMap{}}
	var actual pulumi.StringOutput
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		w, err := failover.NewAuroraWriter(ctx, "aurora-writer", &failover.AuroraWriterArgs{
			GlobalClusterId:  pulumi.String("agm-global"),
			Region:           pulumi.String("ap-northeast-3"),
			ClusterArn:       pulumi.String("arn:aws:rds:ap-northeast-3:123456789012:cluster:agm-osaka"),
			Writer:           pulumi.Bool(true),
			Mode:             pulumi.String("unplanned"),
			RpoBudgetSeconds: pulumi.Int(10),
			TimeoutSeconds:   pulumi.Int(1800),
			PollSeconds:      pulumi.Int(10),
		})
		if err != nil {
			return err
		}
		actual = w.ActualWriter
		_, err = failover.NewCachePrimary(ctx, "cache-primary", &failover.CachePrimaryArgs{
			GlobalReplicationGroupId: pulumi.String("ldgnf-agm-sessions"),
			Region:                   pulumi.String("ap-northeast-3"),
			ReplicationGroupId:       pulumi.String("agm-osaka"),
			Primary:                  pulumi.Bool(false),
		})
		return err
	}, pulumi.WithMocks("agm-dr", "osaka", c))
	require.NoError(t, err)

	assert.Equal(t, failover.AuroraWriterType, c.tokens["aurora-writer"])
	assert.Equal(t, "agmdr:index:AuroraWriter", c.tokens["aurora-writer"])
	w := c.inputs["aurora-writer"]
	assert.Equal(t, "agm-global", w["globalClusterId"].StringValue())
	assert.Equal(t, "ap-northeast-3", w["region"].StringValue())
	assert.Contains(t, w["clusterArn"].StringValue(), ":cluster:agm-osaka")
	assert.True(t, w["writer"].BoolValue())
	assert.Equal(t, "unplanned", w["mode"].StringValue())
	assert.Equal(t, 10.0, w["rpoBudgetSeconds"].NumberValue())
	assert.Equal(t, 1800.0, w["timeoutSeconds"].NumberValue())
	assert.Equal(t, 10.0, w["pollSeconds"].NumberValue())

	assert.Equal(t, "agmdr:index:CachePrimary", c.tokens["cache-primary"])
	cp := c.inputs["cache-primary"]
	assert.Equal(t, "ldgnf-agm-sessions", cp["globalReplicationGroupId"].StringValue())
	assert.Equal(t, "agm-osaka", cp["replicationGroupId"].StringValue())
	assert.False(t, cp["primary"].BoolValue())
	assert.NotContains(t, cp, resource.PropertyKey("mode"), "unset optional inputs are left to the provider's defaults")

	got := make(chan string, 1)
	actual.ApplyT(func(s string) string { got <- s; return s })
	assert.Equal(t, "ap-northeast-3", <-got, "outputs come back typed")
}

func TestMissingRequiredInputsAreRefused(t *testing.T) {
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := failover.NewAuroraWriter(ctx, "w", &failover.AuroraWriterArgs{Region: pulumi.String("ap-northeast-1")})
		return err
	}, pulumi.WithMocks("agm-dr", "tokyo", &captured{tokens: map[string]string{}, inputs: map[string]resource.PropertyMap{}}))
	require.ErrorContains(t, err, "required")
}
