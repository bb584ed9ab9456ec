package runbook_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// peerings answers DescribeVpcPeeringConnections with one connection in a state (none: "").
type peerings struct {
	status  string
	expires time.Time
	asked   []string // region/id
	region  string
}

func (p *peerings) DescribeVpcPeeringConnections(_ context.Context, in *ec2.DescribeVpcPeeringConnectionsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcPeeringConnectionsOutput, error) {
	p.asked = append(p.asked, p.region+"/"+strings.Join(in.VpcPeeringConnectionIds, ","))
	if p.status == "" {
		return &ec2.DescribeVpcPeeringConnectionsOutput{}, nil
	}
	pc := ec2types.VpcPeeringConnection{VpcPeeringConnectionId: &in.VpcPeeringConnectionIds[0],
		Status: &ec2types.VpcPeeringConnectionStateReason{Code: ec2types.VpcPeeringConnectionStateReasonCode(p.status)}}
	if !p.expires.IsZero() {
		pc.ExpirationTime = &p.expires
	}
	return &ec2.DescribeVpcPeeringConnectionsOutput{VpcPeeringConnections: []ec2types.VpcPeeringConnection{pc}}, nil
}

// TestCheckReportsThePeering: `drctl check` fails unless the VPC peering the osaka stack requested
// is active; a pending request says when it expires (7 days after the request) and how to accept
// it, an expired or missing one how to request it again.
func TestCheckReportsThePeering(t *testing.T) {
	requested := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		status  string
		want    runbook.Status
		detail  []string
		fix     string
		expires time.Time
	}{
		{"active", runbook.Pass, []string{"pcx-0osaka active"}, "", time.Time{}},
		{"pending-acceptance", runbook.Fail, []string{"pending acceptance", "expires at 2026-06-08T09:00:00Z", "7 days"},
			"`pulumi up -s tokyo`: it accepts", requested.Add(runbook.PeeringRequestLifetime)},
		{"expired", runbook.Fail, []string{"pcx-0osaka is expired", "cannot be accepted"}, "`pulumi refresh -s osaka`", time.Time{}},
		{"rejected", runbook.Fail, []string{"is rejected"}, "`pulumi up -s osaka` (a new request)", time.Time{}},
		{"", runbook.Fail, []string{"not found in ap-northeast-3"}, "`pulumi up -s tokyo` (accepts it)", time.Time{}},
		{"provisioning", runbook.Warn, []string{"is provisioning"}, "re-run", time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.status, func(t *testing.T) {
			w := newWorld()
			d := readDeps(t, w, healthy(w))
			p := &peerings{status: tc.status, expires: tc.expires}
			d.Peerings = func(_ context.Context, region string) (runbook.PeeringAPI, error) {
				p.region = region
				return p, nil
			}
			c, ok := byName(runbook.Readiness(context.Background(), d, config.Osaka, config.Planned))["VPC peering between the regions"]
			require.True(t, ok, "the readiness check reports the peering")
			assert.Equal(t, tc.want, c.Status, c.Detail)
			for _, s := range tc.detail {
				assert.Contains(t, c.Detail, s)
			}
			assert.Contains(t, c.Fix, tc.fix)
			assert.Equal(t, []string{config.Osaka + "/pcx-0osaka"}, p.asked, "read once, in the target region")
		})
	}
}
