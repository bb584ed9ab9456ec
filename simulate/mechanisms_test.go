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
//
// The step order (cache after the writer, traffic last) and the role-following health checks
// protect the same bound twice: with both, a refused step leaves one serving region; with
// either alone, too. So the order is shown with liveness-only checks (before the app serves
// the readiness path), and the checks with the order removed.
func TestEachMechanismIsSeenByABound(t *testing.T) {
	const refused = "a refused or failed step leaves one region serving with a writable writer and cache"
	for _, tc := range []struct {
		mechanism, preset, bound string
		also                     string // a mechanism removed in both runs
	}{
		{OffCacheOrder, "aurora-refuses", refused, OffRoleReadiness},
		{OffCacheOrder, "aurora-lag", refused, OffRoleReadiness},
		{OffTrafficLast, "aurora-refuses", refused, OffRoleReadiness},
		{OffTrafficLast, "cache-fails", refused, OffRoleReadiness},
		{OffRoleReadiness, "aurora-refuses", refused, OffTrafficLast},
		{OffAtomicTraffic, "planned", "planned: traffic never split across regions for longer than one record TTL", ""},
		{OffAtomicTraffic, "planned-peak", "planned: traffic never split across regions for longer than one record TTL", ""},
	} {
		t.Run(tc.mechanism+" in "+tc.preset, func(t *testing.T) {
			sc, err := PresetFor(tc.preset, config.Osaka)
			require.NoError(t, err)
			if tc.also != "" {
				sc.Remove = map[string]bool{tc.also: true}
			}
			with := bound(t, run(t, sc), tc.bound)
			assert.True(t, with.Held, "with %s: %s", tc.mechanism, with.Detail)
			sc.Remove = map[string]bool{tc.mechanism: true}
			if tc.also != "" {
				sc.Remove[tc.also] = true
			}
			without := bound(t, run(t, sc), tc.bound)
			assert.False(t, without.Held, "without %s the bound must break: %s", tc.mechanism, without.Detail)
		})
	}
}
