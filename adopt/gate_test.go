package adopt_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/policy"
)

func TestRefuseDataChanges(t *testing.T) {
	const cluster, alarm = "aws:rds/cluster:Cluster", "aws:cloudwatch/metricAlarm:MetricAlarm"
	isData := func(typ string) bool { return policy.DataTypes[typ] }
	for _, tc := range []struct {
		op, typ string
		refused bool
	}{
		{"import", cluster, false},
		{"update", cluster, false},
		{"same", cluster, false},
		{"create", alarm, false},
		{"replace", alarm, false}, // not data: an alarm may be replaced
		{"replace", cluster, true},
		{"create-replacement", cluster, true},
		{"delete-replaced", cluster, true},
		{"import-replacement", cluster, true},
		{"delete", cluster, true},
		{"delete", alarm, true}, // an adoption deletes nothing
	} {
		t.Run(tc.op+" "+tc.typ, func(t *testing.T) {
			err := adopt.RefuseDataChanges([]adopt.PlanStep{{URN: "urn:x::" + tc.typ, Type: tc.typ, Op: tc.op}}, isData)
			if tc.refused {
				assert.ErrorContains(t, err, tc.op+" urn:x::"+tc.typ)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
