package stacks

import (
	"fmt"
	"strings"

	"github.com/agm-dr/agm-dr/config"
)

// Stack output names. Other stacks (through StackReference) and drctl read them, so they are
// part of the project's contract.
const (
	OutRegion               = "region"
	OutRole                 = "role"
	OutPrimaryRegion        = "primaryRegion"
	OutAppImage             = "appImage"
	OutURL                  = "url"
	OutLoadBalancerDNSName  = "loadBalancerDnsName"
	OutAuroraGlobalWriter   = "auroraGlobalWriterEndpoint"
	OutAuroraGlobalCluster  = "auroraGlobalClusterId"
	OutAuroraCluster        = "auroraClusterId"
	OutAuroraClusterArn     = "auroraClusterArn"
	OutAuroraEngineVersion  = "auroraEngineVersion" // the global cluster's, which the peer's secondary must run
	OutCacheGlobalID        = "cacheGlobalReplicationGroupId"
	OutCacheReplicationGrp  = "cacheReplicationGroupId"
	OutQueueURL             = "queueUrl"
	OutDeadLetterQueueURL   = "deadLetterQueueUrl"
	OutBucketName           = "bucketName"
	OutClusterName          = "ecsClusterName"
	OutServiceName          = "ecsServiceName"
	OutZoneNameServers      = "zoneNameServers"
	OutZoneID               = "zoneId" // the hosted zone; the peer stack reads it instead of looking the zone up
	OutDashboardName        = "dashboardName"
	OutAlarmTopicArn        = "alarmTopicArn"
	OutSwitchoverWriter     = "auroraActualWriter"
	OutSwitchoverCache      = "cacheActualPrimary"
	OutLastSwitchoverSecond = "lastSwitchoverSeconds"
	OutTrafficRecords       = "trafficRecords" // "region=weight" of the service name's records, as last read
	// What the peer stack needs for the VPC peering and the cross-region session writes.
	OutVpcID         = "vpcId"
	OutCacheEndpoint = "cacheEndpoint"          // this region's cluster (writable when it is the Global Datastore primary)
	OutPeeringID     = "vpcPeeringConnectionId" // exported by the requesting (non-home) stack
)

// GlobalClusterID is the Aurora global cluster's identifier for a name prefix (drctl adopt
// creates it from an existing cluster under this name).
func GlobalClusterID(prefix string) string { return prefix + "-global" }

// CacheGlobalSuffix is the ElastiCache global datastore's id suffix for a name prefix.
func CacheGlobalSuffix(prefix string) string { return prefix + "-sessions" }

// names derives every physical name from the name prefix and the region, so the two stacks
// never collide and each can name the peer's resources without reading the peer's state.
type names struct {
	prefix  string
	account string
}

func (n names) globalCluster() string           { return GlobalClusterID(n.prefix) }
func (n names) cluster(region string) string    { return n.prefix + "-" + region }
func (n names) cacheGlobalSuffix() string       { return CacheGlobalSuffix(n.prefix) }
func (n names) cacheGroup(region string) string { return n.prefix + "-sessions-" + short(region) }
func (n names) bucket(region string) string {
	return fmt.Sprintf("%s-site-%s-%s", n.prefix, n.account, region)
}
func (n names) logBucket(region string) string {
	return fmt.Sprintf("%s-alblogs-%s-%s", n.prefix, n.account, region)
}
func (n names) keyAlias() string    { return "alias/" + n.prefix }
func (n names) repository() string  { return n.prefix + "/app" }
func (n names) dbSecret() string    { return n.prefix + "/aurora-master" }
func (n names) cacheSecret() string { return n.prefix + "/cache-auth" }
func (n names) keyAliasArn(region string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, n.account, n.keyAlias())
}

// short turns ap-northeast-1 into apne1, for names with tight length limits.
func short(region string) string { return shortener.Replace(region) }

var shortener = strings.NewReplacer("north", "n", "south", "s", "east", "e", "west", "w", "central", "c", "-", "")

// zoneIDs are the three availability zones of each region, by AZ ID: a name such as
// ap-northeast-1b maps to a different physical zone in each account, an AZ ID does not
// (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
//   - Tokyo: apne1-az1, apne1-az2, apne1-az4. apne1-az3 is the constrained zone that accounts
//     created since 2018 cannot use (an account created then lists 1a=apne1-az4, 1c=apne1-az1,
//     1d=apne1-az2 and no az3: gist.github.com/matsubo/9308b3a91e75d1ce62fe6f0d047a3c7d; AWS
//     EFS "Supported Availability Zones for One Zone" lists the same three IDs).
//   - Osaka: apne3-az1, apne3-az2, apne3-az3, its three zones.
var zoneIDs = map[string][]string{
	config.Tokyo: {"apne1-az1", "apne1-az2", "apne1-az4"},
	config.Osaka: {"apne3-az1", "apne3-az2", "apne3-az3"},
}

// restrictedZoneIDs must never be chosen.
var restrictedZoneIDs = []string{"apne1-az3"}
