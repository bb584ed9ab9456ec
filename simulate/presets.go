package simulate

import (
	"fmt"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// Preset is one of the named switchover scenarios by a short key, for
// `drctl simulate --scenario` and the scenario tests.
type Preset struct {
	Key      string
	Scenario Scenario
}

// Presets are the named scenarios for a switchover to `to`; the
// region that fails is always the other one (today's primary).
func Presets(to string) []Preset {
	from := config.Peer(to)
	return []Preset{
		{"planned", Scenario{Name: "planned off-season", To: to, Mode: config.Planned}},
		{"planned-season", Scenario{Name: "planned in the June window", To: to, Mode: config.Planned, Season: true}},
		{"unplanned", Scenario{Name: "unplanned, Tokyo dead at t0, operator 5 min later", To: to, Mode: config.Unplanned,
			OutageRegion: from, OperatorAt: 5 * time.Minute}},
		{"recover-during", Scenario{Name: "unplanned, Tokyo recovers while the failover runs", To: to, Mode: config.Unplanned,
			OutageRegion: from, OperatorAt: 5 * time.Minute, RecoverAt: 6 * time.Minute}},
		{"recover-after", Scenario{Name: "unplanned, Tokyo recovers after the failover", To: to, Mode: config.Unplanned,
			OutageRegion: from, OperatorAt: 5 * time.Minute, RecoverAt: 20 * time.Minute}},
		{"rejoin", Scenario{Name: "unplanned, Tokyo recovers and its stack is brought up as standby", To: to, Mode: config.Unplanned,
			OutageRegion: from, OperatorAt: 5 * time.Minute, RecoverAt: 20 * time.Minute, RejoinAfter: 2 * time.Minute}},
		{"aurora-lag", Scenario{Name: "Aurora refuses the switchover (lag over budget)", To: to, Mode: config.Planned, Lag: 45 * time.Second}},
		{"aurora-refuses", Scenario{Name: "Aurora refuses the switchover call (InvalidGlobalClusterStateFault)", To: to,
			Mode: config.Planned, AuroraRefuses: 1}},
		{"cache-fails", Scenario{Name: "cache failover fails after Aurora moved", To: to, Mode: config.Planned, CacheFails: 1}},
		{"interrupt", Scenario{Name: "operator interrupts after step 2 and re-runs", To: to, Mode: config.Planned,
			InterruptAfterStep: 2, RerunAfter: 3 * time.Minute}},
		// 235 s: with the default durations the writer has just moved and
		// the cache failover is under way.
		{"interrupt-mid", Scenario{Name: "operator interrupts mid step 2 (writer moved, cache not yet) and re-runs", To: to,
			Mode: config.Planned, InterruptAt: 235 * time.Second, RerunAfter: 2 * time.Minute}},
		{"unplanned-r53-down", Scenario{Name: "unplanned, Tokyo dead and Route 53's control plane down", To: to, Mode: config.Unplanned,
			OutageRegion: from, OperatorAt: 5 * time.Minute, Route53Down: true}},
		{"planned-r53-down", Scenario{Name: "planned, Route 53's control plane down", To: to, Mode: config.Planned, Route53Down: true}},
		{"escalate", Scenario{Name: "planned, old primary dies mid-switchover, escalated to unplanned", To: to, Mode: config.Planned,
			OutageRegion: from, OutageAt: 150 * time.Second, EscalateAfter: 3 * time.Minute}},
		// The primary has autoscaled well above its floor before the switchover:
		// 900 requests/s want 54 tasks (maxTasks 40) against a June floor of 20;
		// a 500 requests/s burst off-season wants 30 against a floor of 6.
		{"planned-peak", Scenario{Name: "planned at the season's peak (primary autoscaled to maxTasks)", To: to,
			Mode: config.Planned, Season: true, Load: 900}},
		{"planned-burst", Scenario{Name: "planned during an off-season burst (primary autoscaled to 30 tasks)", To: to,
			Mode: config.Planned, Load: 500}},
	}
}

// PresetFor returns the preset named key for a switchover to `to`.
func PresetFor(key, to string) (Scenario, error) {
	var keys []string
	for _, p := range Presets(to) {
		if p.Key == key {
			return p.Scenario, nil
		}
		keys = append(keys, p.Key)
	}
	return Scenario{}, fmt.Errorf("--scenario %q: allowed: %s", key, strings.Join(keys, ", "))
}
