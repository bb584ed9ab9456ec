package simulate

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover"
)

// deployedWorld is both regions as the stacks were deployed before the
// scenario: roles with the current primary, task floors by role (and
// season), DNS records as the program declares them, and the load.
func deployedWorld(cfg config.Config, p Params, sc Scenario, start time.Time, window string, initial map[string]*capture.Result) *World {
	from, home := cfg.PrimaryRegion, cfg.HomeRegion
	w := newWorld(p, start, []string{home, config.Peer(home)}, sc.Seed)

	// Aurora and the cache, as the home stack created them.
	w.aurora = &aurora{id: cfg.NamePrefix + "-global", arn: map[string]string{}, writer: from, lag: p.ReplicationLag}
	w.cache = &cacheStore{id: "ldgnf-" + cfg.NamePrefix + "-sessions", group: map[string]string{}, primary: from,
		fail: sc.CacheFails}
	w.aurora.refuse = sc.AuroraRefuses
	if sc.Lag > 0 {
		w.aurora.lag = sc.Lag
	}
	for _, r := range w.regions {
		w.aurora.arn[r] = fmt.Sprintf("arn:aws:rds:%s:123456789012:cluster:%s-%s", r, cfg.NamePrefix, r)
		w.cache.group[r] = cfg.NamePrefix + "-sessions-" + r
	}
	// The service ran before the simulation starts: writes up to now are
	// committed, and the secondary has them up to the replication lag.
	w.aurora.replicated, w.aurora.lastCommit = start.Add(-w.aurora.lag), start

	// Load: off-season meetings, or the June peak.
	perSecond, holders := 120.0, 1000
	if sc.Season {
		perSecond, holders = 300.0, 2500
	}
	if sc.Load > 0 {
		perSecond, holders = sc.Load, max(holders, int(sc.Load*8))
	}
	w.off = sc.Remove
	w.traffic = newTraffic(holders, perSecond)
	for _, r := range w.regions {
		primary := r == from
		floor := floorAt(cfg, primary, start)
		desired := floor
		if primary {
			desired = min(max(floor, int(math.Ceil(perSecond/p.TaskTarget))), max(cfg.Capacity.MaxTasks, floor))
		}
		w.ecs[r] = newService(w, r, floor, max(cfg.Capacity.MaxTasks, floor), desired)
	}
	w.floor = func(t time.Time) int { return floorAt(cfg, true, t) }

	// DNS as both stacks deployed it.
	weights := map[string]int{}
	for _, s := range config.Stacks() {
		for _, rec := range initial[s].Find(typeRecord) {
			if set := strIn(rec, "setIdentifier"); set != "" {
				if wt, ok := recordWeight(rec); ok {
					weights[set] = wt
				}
			}
		}
	}
	if len(weights) == 0 {
		// Both stacks' Traffic made their records: the primary's at 100, the standby's at 0,
		// each with its health check.
		for _, r := range w.regions {
			weights[r] = switchover.StandbyWeight
		}
		weights[from] = switchover.TrafficWeight
	}
	if w.route53Down = sc.Route53Down; w.route53Down {
		w.log("world", "Route 53's control plane (us-east-1) is down for the whole run: record changes are refused; health checks and DNS answers still work")
	}
	// The cross-region path as the programs build it (a flip adds and deletes nothing, so the
	// deployed programs decide it for the whole run).
	if sc.WithoutPeering {
		w.paths = paths{cache: map[string]bool{}, db: map[string]bool{}, missing: []string{"the scenario takes the VPC peering away"}}
		w.log("world", "no VPC peering: each region's tasks reach only their own data stores")
	} else if w.paths = peeredPaths(cfg, initial); len(w.paths.missing) > 0 {
		w.log("world", "no complete cross-region path: %s", strings.Join(w.paths.missing, "; "))
	} else {
		w.log("world", "VPC peering %s ↔ %s: tasks write sessions to the other region's cache primary (CACHE_PEER_ENDPOINT) and votes to the writer there", w.regions[0], w.regions[1])
	}
	w.dns = newDNS(w, cfg.Domain.Name, weights)
	for _, r := range w.regions {
		w.dns.target[r] = "app-alb-" + r + ".elb.amazonaws.com"
	}
	w.log("world", "start: primary %s, %s, %.0f requests/s from %d shareholders; writer %s, cache primary %s, DNS %s",
		from, seasonText(window), perSecond, holders, w.aurora.writer, w.cache.primary, w.dns.describe(w))
	return w
}
