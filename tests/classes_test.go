package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

// TestClassesAreConfigurablePerProfileAndTheSameInBothRegions: the classes come from one
// project-level key; the home group sets the node type and the secondary inherits it (a global
// datastore requires the same node type in every member), and both regions' Aurora instances
// use the same class.
func TestClassesAreConfigurablePerProfileAndTheSameInBothRegions(t *testing.T) {
	o := map[string]string{config.KeyClasses: `{"production":{"dbInstanceClass":"db.r7g.xlarge","cacheNodeType":"cache.r6g.xlarge"}}`}
	tokyo, osaka := mustRun(t, config.TokyoStack, o), mustRun(t, config.OsakaStack, o)

	home := only(t, tokyo, "aws:elasticache/replicationGroup:ReplicationGroup")
	assert.Equal(t, "cache.r6g.xlarge", home.Inputs["nodeType"].StringValue())
	sec := only(t, osaka, "aws:elasticache/replicationGroup:ReplicationGroup")
	_, set := sec.Inputs["nodeType"]
	assert.False(t, set, "the secondary inherits the datastore's node type; setting it is refused by the provider")

	for stack, r := range map[string]*capture.Result{config.TokyoStack: tokyo, config.OsakaStack: osaka} {
		instances := r.Find("aws:rds/clusterInstance:ClusterInstance")
		require.NotEmpty(t, instances)
		for _, i := range instances {
			assert.Equal(t, "db.r7g.xlarge", i.Inputs["instanceClass"].StringValue(), "%s %s", stack, i.Name)
		}
	}
}

func TestClassesAreValidatedAgainstTheCitedLists(t *testing.T) {
	for name, tc := range map[string]struct{ value, want string }{
		"burstable cache node": {`{"production":{"cacheNodeType":"cache.t4g.medium"}}`, "not a node type a global datastore accepts"},
		"unknown db class":     {`{"production":{"dbInstanceClass":"db.t4g.large"}}`, "not allowed"},
		"provisioned in dev":   {`{"dev":{"dbInstanceClass":"db.r6g.large"}}`, "Serverless v2"},
		"unknown profile":      {`{"staging":{"cacheNodeType":"cache.r7g.large"}}`, "unknown profile"},
		"not an object":        {`"cache.r7g.large"`, config.KeyClasses},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := run(t, config.TokyoStack, map[string]string{config.KeyClasses: tc.value})
			require.Error(t, err)
			assert.Contains(t, err.Error(), config.KeyClasses)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, res.Resources, "bad config registers nothing")
		})
	}
}
