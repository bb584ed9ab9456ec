package stacks

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/agm-dr/agm-dr/config"
)

func TestPhysicalNamesDifferByRegionOnly(t *testing.T) {
	n := names{prefix: "agm-dr", account: "123456789012"}
	cases := []struct{ got, want string }{
		{n.cacheGroup(config.Tokyo), "agm-dr-sessions-apne1"},
		{n.cacheGroup(config.Osaka), "agm-dr-sessions-apne3"},
		{n.cluster(config.Osaka), "agm-dr-ap-northeast-3"},
		{n.bucket(config.Tokyo), "agm-dr-site-123456789012-ap-northeast-1"},
		{n.keyAliasArn(config.Osaka), "arn:aws:kms:ap-northeast-3:123456789012:alias/agm-dr"},
		{n.globalCluster(), "agm-dr-global"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.got)
	}
	// ElastiCache replication group ids are at most 40 characters, S3 bucket names 63.
	long := names{prefix: "abcdefghijklmnopqrst", account: "123456789012"}
	assert.LessOrEqual(t, len(long.cacheGroup(config.Tokyo)), 40)
	assert.LessOrEqual(t, len(long.logBucket(config.Tokyo)), 63)
}

func TestEachRegionHasThreeZonesByIDNeverTheRestrictedOne(t *testing.T) {
	prefix := map[string]string{config.Tokyo: "apne1-az", config.Osaka: "apne3-az"}
	for _, r := range config.Regions() {
		zones := zoneIDs[r]
		assert.Len(t, zones, 3, r)
		for _, z := range zones {
			assert.True(t, strings.HasPrefix(z, prefix[r]), "%s is not an AZ ID of %s", z, r)
			assert.NotContains(t, restrictedZoneIDs, z, "%s is restricted", z)
		}
	}
}
