// Package simulate is a deterministic discrete-event simulation of both
// regions and of the shareholders' traffic, on which the real switchover
// runs: the runbook's steps (package runbook), each `pulumi up` ordered by
// the real program's dependency graph (stacks.Program captured under
// mocks) and the real engine code (package switchover) against simulated
// AWS APIs. A virtual clock ticks once a second; a seed and a Scenario
// decide every run, so thousands of virtual seconds take a fraction of a
// real one and every result can be reproduced.
//
// Files by idea: world (clock, events, tick), sched (engine operations
// taking turns on virtual time), aurora, cache, ecs, dns, traffic (the world
// model, every duration a cited Params field), peering (which cross-region
// writes the captured programs' VPC peering carries), aws (the simulated API
// clients), program and stacks/apply (the captured program and the
// simulated `pulumi up`), scenario and run (what happens when), bounds and
// report (what shareholders saw, checked against the switchover's bounds).
package simulate
