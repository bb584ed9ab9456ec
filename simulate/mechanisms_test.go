package simulate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

// Each safety mechanism of the switchover is seen by a bound: with it the
// scenario holds the bound, without it the bound breaks. (The capacity gate's
// two parts are in load_test.go, the peering in peering_test.go.)
func TestEachMechanismIsSeenByABound(t *testing.T) {
	const refused = "a refused or failed step leaves one region serving with a writable writer and cache"
	for _, tc := range []struct {
		mechanism, preset, bound string
	}{
		{OffCacheOrder, "aurora-refuses", refused},
		{OffCacheOrder, "aurora-lag", refused},
		{OffTrafficLast, "aurora-refuses", refused},
		{OffTrafficLast, "cache-fails", refused},
		{OffAtomicTraffic, "planned", "planned: traffic never split across regions for longer than one record TTL"},
		{OffAtomicTraffic, "planned-peak", "planned: traffic never split across regions for longer than one record TTL"},
	} {
		t.Run(tc.mechanism+" in "+tc.preset, func(t *testing.T) {
			sc, err := PresetFor(tc.preset, config.Osaka)
			require.NoError(t, err)
			with := bound(t, run(t, sc), tc.bound)
			assert.True(t, with.Held, "with %s: %s", tc.mechanism, with.Detail)
			sc.Remove = map[string]bool{tc.mechanism: true}
			without := bound(t, run(t, sc), tc.bound)
			assert.False(t, without.Held, "without %s the bound must break: %s", tc.mechanism, without.Detail)
		})
	}
}
