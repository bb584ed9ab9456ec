package cost_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/cost"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/stacks"
)

const repoRoot = ".."

// profiles are the configurations whose resources must all be priced.
var profiles = map[string]map[string]string{
	"production":  nil,
	"dev awake":   {config.KeyProfile: "dev", config.KeySleeping: "false"},
	"dev asleep":  {config.KeyProfile: "dev", config.KeySleeping: "true"},
	"osaka first": {config.KeyPrimaryRegion: config.Osaka},
}

func estimates(t testing.TB, overrides map[string]string) []cost.Estimate {
	t.Helper()
	res, err := runbook.Capture(stacks.Program, repoRoot, overrides)
	require.NoError(t, err)
	return runbook.Costs(res)
}

func total(es []cost.Estimate) float64 {
	t := 0.0
	for _, e := range es {
		t += e.Total()
	}
	return t
}

// TestPriceTableCoversEveryRegisteredType: every custom resource type (and class: node type,
// instance class, endpoint type) the program registers in any profile has a price or a reason
// it is free. A new type fails here with the exact type to add to cost/prices.go.
func TestPriceTableCoversEveryRegisteredType(t *testing.T) {
	for name, o := range profiles {
		for _, e := range estimates(t, o) {
			assert.NoError(t, cost.MissingError(e.Missing), "%s, stack %s", name, e.Stack)
		}
	}
}

func TestANewTypeIsNamedInTheFailure(t *testing.T) {
	res := &capture.Result{Resources: []capture.Resource{
		{Type: "aws:shield/protection:Protection", Name: "shield", Custom: true},
		{Type: "aws:elasticache/replicationGroup:ReplicationGroup", Name: "cache", Custom: true,
			Inputs: resource.NewPropertyMapFromMap(map[string]any{"nodeType": "cache.x9.huge", "numCacheClusters": 2})},
		{Type: "aws:kms/key:Key", Name: "key", Custom: true},
	}}
	e := cost.ForStack(config.TokyoStack, config.Tokyo, res)
	err := cost.MissingError(e.Missing)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aws:shield/protection:Protection")
	assert.Contains(t, err.Error(), `aws:elasticache/replicationGroup:ReplicationGroup (class "cache.x9.huge")`)
	assert.Contains(t, err.Error(), "cost/prices.go")
	assert.NotContains(t, err.Error(), "aws:kms/key:Key")
	assert.InDelta(t, 1.0, e.Total(), 0.001, "the known key is still priced")
}

// TestEveryPriceStatesSourceDateAndAssumption: a charge without its source, date, usage
// assumption or a price for both regions is not an estimate anyone can check.
func TestEveryPriceStatesSourceDateAndAssumption(t *testing.T) {
	for typ, e := range cost.Table {
		if e.Free != "" {
			assert.Empty(t, e.Prices, "%s is free and priced", typ)
			continue
		}
		require.NotEmpty(t, e.Prices, "%s has neither prices nor a free reason", typ)
		for _, p := range e.Prices {
			if strings.HasSuffix(p.What, "(no charge)") {
				continue
			}
			assert.NotEmpty(t, p.Source, "%s %s: source", typ, p.What)
			assert.NotEmpty(t, p.Date, "%s %s: date", typ, p.What)
			assert.NotEmpty(t, p.Assume, "%s %s: usage assumption", typ, p.What)
			assert.NotEmpty(t, p.Unit, "%s %s: unit", typ, p.What)
			for _, r := range config.Regions() {
				assert.Greater(t, p.USD[r], 0.0, "%s %s: price in %s", typ, p.What, r)
			}
		}
	}
}

func TestProfilesCostInTheExpectedOrder(t *testing.T) {
	prod, awake, asleep := total(estimates(t, nil)), total(estimates(t, profiles["dev awake"])), total(estimates(t, profiles["dev asleep"]))
	assert.Greater(t, prod, awake, "production costs more than dev")
	assert.Greater(t, awake, asleep, "sleeping saves money")
	assert.Greater(t, asleep, 0.0, "data, cache nodes and the load balancer still cost while asleep")
}

func TestItemsAreBiggestFirstAndSleepDropsNatAndTasks(t *testing.T) {
	for _, e := range estimates(t, profiles["dev asleep"]) {
		for i := 1; i < len(e.Items); i++ {
			assert.GreaterOrEqual(t, e.Items[i-1].USD, e.Items[i].USD, "stack %s item %d", e.Stack, i)
		}
		for _, it := range e.Items {
			assert.NotEqual(t, "aws:ec2/natGateway:NatGateway", it.Type)
			assert.NotContains(t, it.What, "Fargate")
			assert.NotContains(t, it.What, "interface endpoint")
		}
	}
}

// TestUsageFollowsRegisteredInputs: the quantities come from what the program registers
// (task size and count, node count and type, ACU floor), not from the profile's name.
func TestUsageFollowsRegisteredInputs(t *testing.T) {
	items := map[string]cost.Item{}
	for _, e := range estimates(t, nil) {
		if e.Stack != config.TokyoStack { // tokyo is primary in Pulumi.yaml: 6 tasks of 1 vCPU / 2 GB
			continue
		}
		for _, it := range e.Items {
			items[it.What] = it
		}
	}
	assert.InDelta(t, 6*1*cost.HoursPerMonth, items["Fargate vCPU-hours"].Quantity, 0.01)
	assert.InDelta(t, 6*2*cost.HoursPerMonth, items["Fargate memory GB-hours"].Quantity, 0.01)
	assert.InDelta(t, 2*cost.HoursPerMonth, items["ElastiCache cache.r7g.large node-hours (Valkey)"].Quantity, 0.01)

	dev := map[string]float64{}
	for _, e := range estimates(t, profiles["dev awake"]) {
		for _, it := range e.Items {
			dev[e.Stack+" "+it.What] += it.Quantity
		}
	}
	assert.InDelta(t, 0.5*cost.HoursPerMonth, dev["osaka Aurora Serverless v2 capacity (ACU-hours)"], 0.01)
	assert.InDelta(t, 2*cost.HoursPerMonth, dev["osaka ElastiCache cache.m7g.large node-hours (Valkey)"], 0.01,
		"the secondary inherits its node type from the home group")
}

// TestBackupStorageCountsThePeersCopies: each region's vault holds its own recovery points and
// the copies the peer's plan sends it, kept as long, so each stack pays backup storage twice.
func TestBackupStorageCountsThePeersCopies(t *testing.T) {
	for _, e := range estimates(t, nil) {
		gb := 0.0
		for _, it := range e.Items {
			if it.Type == "aws:backup/plan:Plan" && it.Unit == "GB-month" {
				gb += it.Quantity
			}
		}
		assert.InDelta(t, 2*40, gb, 0.01, "stack %s: own points (40 GB) and the peer's copies (40 GB)", e.Stack)
	}
}

// BenchmarkEstimateStack is one stack's estimate from scratch: run the program under mocks and
// price what it registered. It must stay under a second per stack (no timing assert here).
func BenchmarkEstimateStack(b *testing.B) {
	raw, err := capture.ProjectConfig(repoRoot, config.TokyoStack)
	require.NoError(b, err)
	b.ResetTimer()
	for range b.N {
		res, err := capture.Run(stacks.Program, capture.Options{Project: config.Namespace, Stack: config.TokyoStack, Config: raw,
			StackOutputs: map[string]map[string]any{config.OsakaStack: {stacks.OutBucketName: "agm-dr-site-123456789012-ap-northeast-3"}}})
		if err != nil {
			b.Fatal(err)
		}
		if e := cost.ForStack(config.TokyoStack, config.Tokyo, res); len(e.Missing) > 0 {
			b.Fatal(cost.MissingError(e.Missing))
		}
	}
}

// BenchmarkPriceOnly is the pricing alone, over an already captured stack.
func BenchmarkPriceOnly(b *testing.B) {
	res, err := runbook.Capture(stacks.Program, repoRoot, nil)
	require.NoError(b, err)
	b.ResetTimer()
	for range b.N {
		runbook.Costs(res)
	}
}
