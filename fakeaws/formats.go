package fakeaws

// Identifiers and values AWS forms per region.

// GlobalDatastorePrefix is the prefix the fake puts before a global datastore's suffix when the
// datastore is created in Tokyo. "ElastiCache automatically applies a prefix to the Global
// datastore ID when it is created. Each AWS Region has its own prefix."
// (API_CreateGlobalReplicationGroup GlobalReplicationGroupIdSuffix; TF:
// GlobalReplicationGroupRegionPrefixFormat "[[:alpha:]]{5}-"). AWS does not document the
// prefixes, so the fake's are stand-ins, different per region: the program must take the id
// from the datastore's output, never build it, and tests may rely only on the home region's.
const GlobalDatastorePrefix = "ldgnf-"

// GlobalDatastoreID is the id AWS gives a global datastore created in region with suffix.
func GlobalDatastoreID(region, suffix string) string {
	if region == "ap-northeast-1" || region == "" {
		return GlobalDatastorePrefix + suffix
	}
	p := []byte(short("datastore prefix " + region)[:5])
	for i, c := range p { // five letters, as AWS's are
		if c >= '0' && c <= '9' {
			p[i] = 'g' + c - '0'
		}
	}
	return string(p) + "-" + suffix
}

// albZoneIDs are the canonical hosted zone ids of Application Load Balancers by region
// (AWS General Reference, "Elastic Load Balancing endpoints and quotas"; terraform-provider-aws
// internal/service/elbv2/hosted_zone_id_data_source.go hostedZoneIDPerRegionALBMap).
var albZoneIDs = map[string]string{
	"ap-northeast-1": "Z14GRHDCWA56QT",
	"ap-northeast-3": "Z5LXEXXYW11ES",
}
