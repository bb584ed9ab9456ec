package tests

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/network"
	"github.com/agm-dr/agm-dr/config"
)

// AWS minimums per subnet tier (sources in config/network.go):
//   - public: the ALB needs a /27 or larger with 8 free addresses, plus one NAT gateway address;
//   - private: Fargate tasks (maxTasks at a 200% deployment, over 3 zones) and one address per
//     interface endpoint;
//   - isolated: Aurora (2 instances, plus one while an instance is replaced) and ElastiCache
//     (2 nodes, plus one while a node is replaced).
const (
	albMaxBits           = 27
	albFreeAddresses     = 8
	natPerPublicSubnet   = 1
	dataNodesPerSubnet   = (2 + 1) + (2 + 1) // worst case: every data node in one subnet
	reservedPerSubnet    = 5                 // first four and last address (VPC User Guide)
	endpointsPerSubnet   = config.InterfaceEndpoints
	deploymentMultiplier = 2
)

// TestEveryAcceptedVpcSizeGivesSubnetsAWSAccepts: for every prefix length, the config accepts it
// (with the capacity it is given) exactly when the network plan's subnets are accepted by the ALB
// and hold the tasks, endpoints and data nodes.
func TestEveryAcceptedVpcSizeGivesSubnetsAWSAccepts(t *testing.T) {
	require.Equal(t, network.InterfaceEndpoints(), config.InterfaceEndpoints, "config counts the network's interface endpoints")
	base, err := capture.ProjectConfig(repoRoot, config.TokyoStack)
	require.NoError(t, err)
	for _, maxTasks := range []int{2, 40, 500} {
		for bits := 8; bits <= 28; bits++ {
			cidr := fmt.Sprintf("10.0.0.0/%d", bits)
			t.Run(fmt.Sprintf("%s/maxTasks=%d", cidr, maxTasks), func(t *testing.T) {
				raw := map[string]string{}
				for k, v := range base {
					raw[k] = v
				}
				raw[config.KeyVpcCidrs] = fmt.Sprintf(`{"ap-northeast-1":%q,"ap-northeast-3":"172.16.0.0/16"}`, cidr)
				delete(raw, config.KeySeason) // its windows' minTasks are bounded by maxTasks
				raw[config.KeyCapacity] = fmt.Sprintf(`{"primaryTasks":1,"standbyTasks":1,"maxTasks":%d}`, maxTasks)
				_, cfgErr := config.Parse(config.TokyoStack, raw)

				plan, planErr := network.SubnetPlan(cidr)
				fits := planErr == nil && len(plan) == 9
				for i, s := range plan {
					usable := 1<<(32-s.Bits()) - reservedPerSubnet
					switch i / 3 {
					case 0: // public
						fits = fits && s.Bits() <= albMaxBits && usable-natPerPublicSubnet >= albFreeAddresses
					case 1: // private
						need := (maxTasks*deploymentMultiplier+2)/3 + endpointsPerSubnet
						fits = fits && usable >= need
					case 2: // isolated
						fits = fits && usable >= dataNodesPerSubnet
					}
				}
				if fits {
					assert.NoError(t, cfgErr, "%s fits every tier but the config refuses it", cidr)
				} else {
					assert.Error(t, cfgErr, "config accepts %s, whose subnets AWS would refuse or which cannot hold %d tasks (plan %v)", cidr, maxTasks, plan)
				}
			})
		}
	}
}
