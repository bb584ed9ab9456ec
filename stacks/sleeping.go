package stacks

import "github.com/agm-dr/agm-dr/config"

// A sleeping dev environment (agm-dr:sleeping: true, refused by config for production) keeps
// every resource that holds data and both global memberships, and drops what costs by the hour
// and comes back in minutes:
//   - ECS: the service scales to zero tasks and the season windows are not scheduled;
//   - network: no NAT gateway (nor its elastic IP and private default routes) and no interface
//     endpoints; subnets, route tables and the free S3 gateway endpoint stay;
//   - the load balancer, DNS records and health checks stay, so waking changes no name.
//
// What it does not change, and why:
//   - Aurora stays at the dev minimum of 0.5 ACU. Serverless v2 can scale to 0 ACU with
//     auto-pause (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html;
//     MinCapacity 0 only on engine versions with auto-pause: API_ServerlessV2ScalingConfiguration),
//     but not on the primary cluster of a global database (AWS's agent toolkit,
//     skills/specialized-skills/database-skills/amazon-aurora-postgresql/references/serverless-advisory-concepts.md:
//     "Incompatible with: RDS Proxy, ..., Global Database (primary), ..."). Which member is the
//     global primary moves with every switchover, and a data resource's inputs must not depend
//     on primaryRegion (the flip contract), so both members keep 0.5 ACU, the smallest minimum
//     without auto-pause, and sleeping leaves the clusters untouched. Not verified on AWS.
//   - ElastiCache cannot pause or scale to zero. Every cluster of a global datastore must keep
//     the same node type and number of shards, and with automatic failover each needs at least
//     a primary and a replica (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.md).
//     The only way to stop paying for a member is DisassociateGlobalReplicationGroup, which
//     detaches it for good (re-seeding on wake), so the sleeping environment keeps both groups.

// runningFloor is the number of tasks the running-tasks alarm and dashboard expect: none asleep.
func (r *region) runningFloor() int {
	if r.cfg.Sleeping {
		return 0
	}
	return r.cfg.MinTasks()
}

// taskCeiling is the most tasks autoscaling may run: none asleep (no NAT to pull images through).
func (r *region) taskCeiling() int {
	if r.cfg.Sleeping {
		return 0
	}
	return r.cfg.Capacity.MaxTasks
}

// loadPeer is the region whose desired task count the gate follows on the new primary: the
// peer, except asleep, when the floor is 0 and there is no load to follow (a standby put to
// sleep first can still report its warm desired count).
func (r *region) loadPeer() string {
	if r.cfg.Sleeping {
		return ""
	}
	return config.Peer(r.cfg.Region)
}

// awakeWindows are the season windows the Capacity gate honours: none asleep, as for the
// scheduled actions, so a wake inside June raises the floor through the gate, not before.
func (r *region) awakeWindows() []config.Window {
	if r.cfg.Sleeping {
		return nil
	}
	return r.cfg.Season.Windows
}
