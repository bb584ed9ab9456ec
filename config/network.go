package config

import "net/netip"

// VPC sizing. The network component cuts each VPC into 9 equal subnets of the VPC prefix plus
// SubnetExtraBits (3 tiers x 3 AZs); tests/subnets_test.go checks these numbers against its plan.
// AWS facts, with sources:
//   - a VPC is /16 to /28 (Amazon VPC User Guide, "VPC CIDR blocks");
//   - AWS reserves 5 addresses in every subnet: the first four and the last (VPC User Guide,
//     "Subnet CIDR blocks");
//   - an ALB subnet needs at least a /27 and 8 free addresses (ELB User Guide, Application Load
//     Balancers, "Subnets for your load balancer");
//   - every Fargate task (awsvpc) and every interface endpoint takes an address in its subnet
//     (ECS Developer Guide, "Fargate task networking"; PrivateLink, "Interface endpoints");
//   - a rolling deployment at deploymentMaximumPercent 200 runs up to twice the tasks.
const (
	MinVpcPrefix      = 16
	MaxVpcPrefix      = 23 // /27 subnets, the ALB minimum; a /24 would give /28
	SubnetExtraBits   = 4
	ReservedPerSubnet = 5
	// InterfaceEndpoints is how many interface endpoints share each private subnet with the
	// tasks (ecr.api, ecr.dkr, secretsmanager, logs, sqs, kms, sts).
	InterfaceEndpoints = 7
	deploymentPercent  = 200
	zones              = 3
)

// TaskAddressesPerSubnet is how many task addresses one private subnet of a VPC with the given
// prefix has after AWS's reserved addresses and the interface endpoints.
func TaskAddressesPerSubnet(vpcPrefix int) int {
	return 1<<(32-vpcPrefix-SubnetExtraBits) - ReservedPerSubnet - InterfaceEndpoints
}

// TasksPerSubnet is how many task addresses a subnet must hold for maxTasks during a deployment,
// spread over the three zones.
func TasksPerSubnet(maxTasks int) int {
	n := maxTasks * deploymentPercent / 100
	return (n + zones - 1) / zones
}

// subnetCapacity refuses a VPC whose private subnets cannot hold capacity.maxTasks during a
// deployment.
func (p *parser) subnetCapacity(key string, cidrs map[string]string, c Capacity) {
	for _, r := range Regions() {
		pfx, err := netip.ParsePrefix(cidrs[r])
		if err != nil || pfx.Bits() < MinVpcPrefix || pfx.Bits() > MaxVpcPrefix {
			continue // reported by vpcCidrs
		}
		if have, need := TaskAddressesPerSubnet(pfx.Bits()), TasksPerSubnet(c.MaxTasks); have < need {
			p.failf(key, "%s: %s leaves %d task addresses per private subnet, but %s.maxTasks %d needs %d during a deployment; use a larger range or fewer tasks",
				r, pfx, have, KeyCapacity, c.MaxTasks, need)
		}
	}
}
