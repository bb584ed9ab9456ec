package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/network"
)

var tokyoZoneIDs = []string{"apne1-az1", "apne1-az2", "apne1-az4"}

func byID() *network.Args {
	a := validArgs()
	a.AZs, a.ZoneIDs, a.Region = nil, tokyoZoneIDs, "ap-northeast-1"
	return a
}

// TestSubnetsArePlacedByZoneID: an AZ ID is the same physical zone in every account, a name is not.
func TestSubnetsArePlacedByZoneID(t *testing.T) {
	res := run(t, byID())
	subnets := res.Find(subnetT)
	require.Len(t, subnets, 9)
	for _, s := range subnets {
		assert.Contains(t, tokyoZoneIDs, str(s, "availabilityZoneId"), s.Name)
		assert.Empty(t, str(s, "availabilityZone"), "%s: placed by ID only", s.Name)
	}
	get(t, res, subnetT, "net-public-apne1-az1")
}

func TestBadZoneIDsGiveError(t *testing.T) {
	cases := map[string]struct {
		mutate func(a *network.Args)
		want   string
	}{
		"names and IDs":  {func(a *network.Args) { a.AZs = tokyoAZs }, "not both"},
		"two IDs":        {func(a *network.Args) { a.ZoneIDs = tokyoZoneIDs[:2] }, "exactly 3"},
		"not an ID":      {func(a *network.Args) { a.ZoneIDs = []string{"ap-northeast-1a", "apne1-az2", "apne1-az4"} }, "not an availability zone ID"},
		"two regions":    {func(a *network.Args) { a.ZoneIDs = []string{"apne1-az1", "apne3-az2", "apne1-az4"} }, "not all in one region"},
		"listed twice":   {func(a *network.Args) { a.ZoneIDs = []string{"apne1-az1", "apne1-az1", "apne1-az4"} }, "twice"},
		"missing region": {func(a *network.Args) { a.Region = "" }, "Region"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := byID()
			tc.mutate(a)
			_, err := capture.Run(func(ctx *pulumi.Context) error {
				_, err := network.New(ctx, "net", a)
				return err
			}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
