package database_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/components/database"
)

const paramsType = "aws:rds/clusterParameterGroup:ClusterParameterGroup"

// TestEachMemberHasItsOwnLoggingParameterGroup: both the primary and the secondary cluster get
// a cluster parameter group with slow-query and DDL logging, the same values in both.
func TestEachMemberHasItsOwnLoggingParameterGroup(t *testing.T) {
	for _, tc := range roles {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, tc.args())
			pg, ok := res.Get(paramsType, "db-params")
			require.True(t, ok)
			assert.Equal(t, tc.cluster+"-pg", pg.Inputs["name"].StringValue())
			assert.Equal(t, "aurora-postgresql16", pg.Inputs["family"].StringValue())
			got := map[string]string{}
			for _, p := range pg.Inputs["parameters"].ArrayValue() {
				got[p.ObjectValue()["name"].StringValue()] = p.ObjectValue()["value"].StringValue()
			}
			assert.Equal(t, map[string]string{"log_min_duration_statement": "1000", "log_statement": "ddl"}, got)
			assert.Equal(t, tc.cluster+"-pg", cluster(t, res).Inputs["dbClusterParameterGroupName"].StringValue(),
				"the cluster uses its parameter group")
		})
	}
}

func TestEnhancedMonitoringWhenAsked(t *testing.T) {
	for _, on := range []bool{true, false} {
		a := homeArgs()
		a.EnhancedMonitoring = on
		res := run(t, a)
		for _, in := range res.Find(instanceType) {
			_, has := in.Inputs["monitoringInterval"]
			if !on {
				assert.False(t, has, "%s: no enhanced monitoring", in.Name)
				continue
			}
			assert.Equal(t, float64(database.MonitoringIntervalSeconds), in.Inputs["monitoringInterval"].NumberValue(), in.Name)
			assert.Contains(t, in.Inputs["monitoringRoleArn"].StringValue(), "db-monitoring", in.Name)
			assert.True(t, in.Inputs["performanceInsightsEnabled"].BoolValue(), in.Name)
		}
		roles := 0
		for _, r := range res.Find("aws:iam/role:Role") {
			if r.Name == "db-monitoring" {
				roles++
				assert.Contains(t, r.Inputs["assumeRolePolicy"].StringValue(), "monitoring.rds.amazonaws.com")
			}
		}
		assert.Equal(t, map[bool]int{true: 1, false: 0}[on], roles)
	}
}

func TestFamilyFollowsTheMajorVersion(t *testing.T) {
	assert.Equal(t, "aurora-postgresql16", database.Family("16.6"))
	assert.Equal(t, "aurora-postgresql15", database.Family("15"))
}
