package tests

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/policy"
	"github.com/agm-dr/agm-dr/stacks"
)

func components(res *capture.Result) []string {
	var out []string
	for _, r := range res.Resources {
		if strings.HasPrefix(r.Type, config.Namespace+":") && !homeOnly(r) {
			out = append(out, r.Key())
		}
	}
	sort.Strings(out)
	return out
}

func TestBothStacksRegisterSameComponentTree(t *testing.T) {
	tokyo := mustRun(t, config.TokyoStack, nil)
	osaka := mustRun(t, config.OsakaStack, nil)
	require.NotEmpty(t, components(tokyo))
	assert.Equal(t, components(tokyo), components(osaka))
	for _, typ := range []string{
		"agm-dr:network:Network", "agm-dr:app:App", "agm-dr:database:Database", "agm-dr:cache:Cache",
		"agm-dr:queue:Queue", "agm-dr:storage:Bucket", "agm-dr:keys:Key", "agm-dr:registry:Registry",
		"agm-dr:secrets:Secret", "agm-dr:dns:Record", "agm-dr:monitoring:Monitoring",
	} {
		assert.NotEmpty(t, tokyo.Find(typ), "missing component %s", typ)
	}
}

// TestFlipChangesNoDataResource is the flip contract: for each stack, primary = tokyo and
// primary = osaka register the same resources, data resources get identical inputs, and every
// other change is one the contract allows.
func TestFlipChangesNoDataResource(t *testing.T) {
	for _, stack := range config.Stacks() {
		t.Run(stack, func(t *testing.T) {
			a := mustRun(t, stack, primary(config.Tokyo))
			b := mustRun(t, stack, primary(config.Osaka))
			changes := capture.Diff(a, b)
			require.NotEmpty(t, changes, "the flip must change the desired writer at least")
			for _, c := range changes {
				require.Equal(t, "update", c.Kind, "flip must not add or delete: %s", c)
				assert.False(t, policy.DataTypes[c.Type], "flip changes a data resource: %s", c)
				assert.Contains(t, stacks.FlipAllowed[c.Type], c.Property, "flip changes an input the contract does not allow: %s", c)
			}
		})
	}
}

func TestGlobalResourcesOnlyInHomeStack(t *testing.T) {
	for _, tc := range []struct {
		stack   string
		globals int
	}{{config.TokyoStack, 1}, {config.OsakaStack, 0}} {
		res := mustRun(t, tc.stack, nil)
		assert.Len(t, res.Find("aws:rds/globalCluster:GlobalCluster"), tc.globals, tc.stack)
		assert.Len(t, res.Find("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"), tc.globals, tc.stack)
		assert.Len(t, res.Find("aws:ecr/replicationConfiguration:ReplicationConfiguration"), tc.globals, tc.stack)
	}
}

func TestSecondaryClusterHasNoCredentials(t *testing.T) {
	osaka := only(t, mustRun(t, config.OsakaStack, nil), "aws:rds/cluster:Cluster")
	for _, k := range []string{"masterUsername", "masterPassword", "manageMasterUserPassword"} {
		v, ok := osaka.Inputs[resourceKey(k)]
		assert.True(t, !ok || v.IsNull(), "secondary cluster sets %s", k)
	}
	assert.Equal(t, "agm-dr-global", osaka.Inputs["globalClusterIdentifier"].StringValue())
	tokyo := only(t, mustRun(t, config.TokyoStack, nil), "aws:rds/cluster:Cluster")
	assert.True(t, tokyo.Inputs["masterPassword"].IsSecret() || tokyo.Inputs["masterPassword"].IsComputed(),
		"home cluster's master password must be a secret")
}

func TestDataLossGuards(t *testing.T) {
	for _, stack := range config.Stacks() {
		res := mustRun(t, stack, nil)
		for _, r := range res.Resources {
			switch r.Type {
			case "aws:rds/globalCluster:GlobalCluster", "aws:rds/cluster:Cluster",
				"aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
				"aws:elasticache/replicationGroup:ReplicationGroup",
				"aws:s3/bucketV2:BucketV2", "aws:kms/key:Key":
				assert.True(t, r.Protect, "%s %s in %s must be protected", r.Type, r.Name, stack)
				assert.True(t, r.RetainOnDelete, "%s %s in %s must be retained on delete", r.Type, r.Name, stack)
			}
			switch r.Type {
			case "aws:rds/cluster:Cluster":
				assert.Subset(t, r.IgnoreChanges, []string{"globalClusterIdentifier", "replicationSourceIdentifier"}, stack)
				assert.True(t, r.Inputs["deletionProtection"].BoolValue(), stack)
				assert.GreaterOrEqual(t, r.Inputs["backupRetentionPeriod"].NumberValue(), 7.0, stack)
			case "aws:rds/globalCluster:GlobalCluster":
				assert.True(t, r.Inputs["deletionProtection"].BoolValue())
			case "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup":
				assert.Contains(t, r.IgnoreChanges, "primaryReplicationGroupId")
			case "aws:s3/bucketV2:BucketV2":
				assert.False(t, r.Inputs["forceDestroy"].IsBool() && r.Inputs["forceDestroy"].BoolValue(), "%s forceDestroy", r.Name)
			}
		}
	}
}

func TestPrimaryCapacityAtLeastStandby(t *testing.T) {
	for _, stack := range config.Stacks() {
		asPrimary := only(t, mustRun(t, stack, primary(config.RegionFor(stack))), "aws:appautoscaling/target:Target")
		asStandby := only(t, mustRun(t, stack, primary(config.Peer(config.RegionFor(stack)))), "aws:appautoscaling/target:Target")
		p, s := asPrimary.Inputs["minCapacity"].NumberValue(), asStandby.Inputs["minCapacity"].NumberValue()
		assert.Equal(t, 6.0, p, "primary runs primaryTasks from Pulumi.yaml")
		assert.Equal(t, 2.0, s, "standby keeps standbyTasks warm from Pulumi.yaml")
		assert.GreaterOrEqual(t, p, s)
	}
}

func TestStandbyWarmCapacityIsConfigurable(t *testing.T) {
	res := mustRun(t, config.OsakaStack, map[string]string{
		config.KeyCapacity: `{"primaryTasks":8,"standbyTasks":5,"maxTasks":20}`,
	})
	target := only(t, res, "aws:appautoscaling/target:Target")
	assert.Equal(t, 5.0, target.Inputs["minCapacity"].NumberValue())
	assert.Equal(t, 20.0, target.Inputs["maxCapacity"].NumberValue())
}

func TestSeasonSchedulesComeFromConfig(t *testing.T) {
	res := mustRun(t, config.TokyoStack, map[string]string{
		config.KeySeason: `{"timezone":"Asia/Tokyo","windows":[{"name":"june","start":"06-20 08:00","end":"06-28 22:30","minTasks":25}]}`,
	})
	var crons []string
	for _, a := range res.Find("aws:appautoscaling/scheduledAction:ScheduledAction") {
		crons = append(crons, a.Inputs["schedule"].StringValue())
		assert.Equal(t, "Asia/Tokyo", a.Inputs["timezone"].StringValue())
	}
	assert.ElementsMatch(t, []string{"cron(0 8 20 6 ? *)", "cron(30 22 28 6 ? *)"}, crons)
}

func TestSameImageInBothStacksFromOwnRegistry(t *testing.T) {
	for _, stack := range config.Stacks() {
		res := mustRun(t, stack, nil)
		td := only(t, res, "aws:ecs/taskDefinition:TaskDefinition")
		defs := td.Inputs["containerDefinitions"].StringValue()
		want := "123456789012.dkr.ecr." + config.RegionFor(stack) + ".amazonaws.com/agm-dr/app:2026.06.1"
		assert.Contains(t, defs, want, stack)
	}
}

func TestStackOutputsForOperators(t *testing.T) {
	res := mustRun(t, config.OsakaStack, nil)
	for _, k := range []string{
		stacks.OutRole, stacks.OutLoadBalancerDNSName, stacks.OutAuroraGlobalWriter, stacks.OutAuroraCluster,
		stacks.OutCacheReplicationGrp, stacks.OutCacheGlobalID, stacks.OutQueueURL, stacks.OutDeadLetterQueueURL,
		stacks.OutBucketName, stacks.OutAppImage,
	} {
		assert.Contains(t, res.Outputs, k)
	}
	assert.Equal(t, "standby", res.Outputs[stacks.OutRole])
	assert.Equal(t, peerOutputs[config.TokyoStack][stacks.OutAuroraGlobalWriter], res.Outputs[stacks.OutAuroraGlobalWriter],
		"the secondary writes through the home stack's global writer endpoint")
}

func TestPeerStackMustExistBeforeJoining(t *testing.T) {
	cfg, err := capture.ProjectConfig(repoRoot, config.OsakaStack)
	require.NoError(t, err)
	res, err := capture.Run(stacks.Program, capture.Options{Project: config.Namespace, Stack: config.OsakaStack, Config: cfg})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pulumi up -s tokyo")
	for _, r := range res.Resources {
		assert.False(t, strings.HasPrefix(r.Type, "aws:"), "nothing registered before the check: %s", r.Key())
	}
}

func TestReplicationWaitsForPeerBucket(t *testing.T) {
	cfg, err := capture.ProjectConfig(repoRoot, config.TokyoStack)
	require.NoError(t, err)
	res, err := capture.Run(stacks.Program, capture.Options{Project: config.Namespace, Stack: config.TokyoStack, Config: cfg})
	require.NoError(t, err, "the home stack deploys first, before its peer exists")
	assert.Empty(t, res.Find("aws:s3/bucketReplicationConfig:BucketReplicationConfig"))
	assert.Len(t, mustRun(t, config.TokyoStack, nil).Find("aws:s3/bucketReplicationConfig:BucketReplicationConfig"), 1)
}

func TestPrimaryRegionOnlyInProjectFile(t *testing.T) {
	for _, stack := range config.Stacks() {
		keys, err := capture.StackKeys(repoRoot, stack)
		require.NoError(t, err)
		assert.NotContains(t, keys, config.KeyPrimaryRegion, "Pulumi.%s.yaml must not override primaryRegion", stack)
		assert.NotContains(t, keys, config.KeyHomeRegion, "Pulumi.%s.yaml must not override homeRegion", stack)
	}
}
