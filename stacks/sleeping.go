package stacks

// A sleeping dev environment (agm-dr:sleeping: true, refused by config for production) keeps
// every resource that holds data and both global memberships, and drops what costs by the hour
// and comes back in minutes:
//   - ECS: the service scales to zero tasks and the season windows are not scheduled;
//   - network: no NAT gateway (nor its elastic IP and private default routes) and no interface
//     endpoints; subnets, route tables and the free S3 gateway endpoint stay;
//   - the load balancer, DNS records and health checks stay, so waking changes no name.
//
// What it does not change, and why:
//   - Aurora stays at the dev minimum of 0.5 ACU. Scaling to 0 ACU with auto-pause exists for
//     Serverless v2 (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html,
//     MinCapacity 0 only on engine versions with auto-pause: API_ServerlessV2ScalingConfiguration),
//     but AWS lists Aurora global databases among the configurations auto-pause does not work
//     with (same page, "Prerequisites and limitations"; aws/agent-toolkit-for-aws
//     serverless-advisory-concepts.md: "Incompatible with: ... Global Database"). 0.5 ACU is the
//     smallest supported minimum without auto-pause, and the cluster's inputs stay untouched.
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
