package capture

// AssignedOutputs are outputs AWS assigns at create that no input names; the mock reports them
// so a stack that reads them from its peer (through the state backend) can be walked in order.
var AssignedOutputs = map[string]func(r Resource) map[string]string{
	// A hosted zone's id (API_CreateHostedZone, HostedZone.Id): the peer stack reads it from
	// the home stack's outputs instead of looking the zone up.
	"aws:route53/zone:Zone": func(r Resource) map[string]string {
		return map[string]string{"zoneId": "ZMOCKZONE0001"}
	},
	// "ElastiCache automatically applies a prefix to the Global datastore ID when it is
	// created. Each AWS Region has its own prefix." (API_CreateGlobalReplicationGroup,
	// GlobalReplicationGroupIdSuffix). "ldgnf" stands for that prefix.
	typeGlobalRG: func(r Resource) map[string]string {
		return map[string]string{"globalReplicationGroupId": "ldgnf-" + str(inputAt(r, "globalReplicationGroupIdSuffix"))}
	},
	// A replication group's primary and reader endpoints (API_ReplicationGroup NodeGroups:
	// PrimaryEndpoint, ReaderEndpoint; "Finding connection endpoints in ElastiCache"): the peer
	// stack hands the primary one to its tasks as CACHE_PEER_ENDPOINT.
	"aws:elasticache/replicationGroup:ReplicationGroup": func(r Resource) map[string]string {
		id := str(inputAt(r, "replicationGroupId"))
		return map[string]string{
			"primaryEndpointAddress": "master." + id + ".abc123.cache.amazonaws.com",
			"readerEndpointAddress":  "replica." + id + ".abc123.cache.amazonaws.com",
		}
	},
	// The global cluster's writer endpoint (API_GlobalCluster Endpoint).
	"aws:rds/globalCluster:GlobalCluster": func(r Resource) map[string]string {
		return map[string]string{"endpoint": str(inputAt(r, "globalClusterIdentifier")) + ".global-abc123.global.rds.amazonaws.com"}
	},
}
