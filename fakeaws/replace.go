package fakeaws

import "strings"

// Source of every entry below: the resource schema of the Terraform AWS provider, which
// pulumi-aws v6 bridges (a ForceNew attribute there is a replacement in Pulumi), repo
// hashicorp/terraform-provider-aws, the file named per entry. Pulumi property names are the
// camelCase of the Terraform attribute. "read" marks entries whose schema was read for this
// table (2026-11); the others are taken from the same files by the same rule and should be
// re-checked when the table is extended.
type forceNew struct {
	props  []string
	source string
}

// ForceNew maps a pulumi-aws resource type to the input properties whose change makes AWS (and
// so the provider) replace the resource. Types not listed replace on nothing (for example
// aws_kms_key's policy, description and rotation all update in place).
var ForceNew = map[string]forceNew{
	// Data resources: the flip contract says primaryRegion never reaches these.
	"aws:rds/globalCluster:GlobalCluster": {
		[]string{"databaseName", "engine", "globalClusterIdentifier", "sourceDbClusterIdentifier", "storageEncrypted"},
		"internal/service/rds/global_cluster.go (read)"},
	"aws:rds/cluster:Cluster": {
		// global_cluster_identifier and replication_source_identifier are NOT ForceNew: changing them
		// detaches/promotes in place (DESIGN.md §5), which is why the program ignores their drift.
		[]string{"availabilityZones", "clusterIdentifier", "clusterIdentifierPrefix", "clusterScalabilityType",
			"databaseName", "dbSubnetGroupName", "dbSystemId", "engine", "engineMode", "kmsKeyId",
			"masterUsername", "restoreToPointInTime", "snapshotIdentifier", "sourceRegion", "storageEncrypted"},
		"internal/service/rds/cluster.go (read)"},
	"aws:rds/clusterInstance:ClusterInstance": {
		[]string{"clusterIdentifier", "engine", "identifier", "identifierPrefix", "dbSubnetGroupName", "availabilityZone"},
		"internal/service/rds/cluster_instance.go"},
	"aws:rds/subnetGroup:SubnetGroup": {[]string{"name", "namePrefix"}, "internal/service/rds/subnet_group.go"},
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		// engine is not ForceNew (redis → valkey upgrades in place; only a downgrade forces new,
		// via CustomizeDiff).
		[]string{"atRestEncryptionEnabled", "dataTieringEnabled", "globalReplicationGroupId", "kmsKeyId",
			"networkType", "port", "replicationGroupId", "securityGroupNames", "snapshotArns", "snapshotName",
			"subnetGroupName"},
		"internal/service/elasticache/replication_group.go (read)"},
	"aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": {
		[]string{"globalReplicationGroupIdSuffix", "primaryReplicationGroupId"},
		"internal/service/elasticache/global_replication_group.go (read)"},
	"aws:elasticache/subnetGroup:SubnetGroup": {[]string{"name"}, "internal/service/elasticache/subnet_group.go"},
	"aws:s3/bucketV2:BucketV2":                {[]string{"bucket", "bucketPrefix", "objectLockEnabled"}, "internal/service/s3/bucket.go"},
	"aws:s3/bucket:Bucket":                    {[]string{"bucket", "bucketPrefix", "objectLockEnabled"}, "internal/service/s3/bucket.go"},
	"aws:kms/key:Key":                         {[]string{"customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"}, "internal/service/kms/key.go"},
	"aws:kms/alias:Alias":                     {[]string{"name", "namePrefix"}, "internal/service/kms/alias.go"},
	"aws:sqs/queue:Queue":                     {[]string{"name", "namePrefix", "fifoQueue"}, "internal/service/sqs/queue.go"},
	"aws:secretsmanager/secret:Secret":        {[]string{"name", "namePrefix"}, "internal/service/secretsmanager/secret.go"},
	"aws:ecr/repository:Repository":           {[]string{"name"}, "internal/service/ecr/repository.go"},
	// Resources the flip may touch: their flip properties (stacks.FlipAllowed) update in place.
	"aws:ecs/service:Service":                            {[]string{"name", "cluster", "launchType", "platformVersion", "iamRole"}, "internal/service/ecs/service.go"},
	"aws:ecs/cluster:Cluster":                            {[]string{"name"}, "internal/service/ecs/cluster.go"},
	"aws:appautoscaling/target:Target":                   {[]string{"resourceId", "scalableDimension", "serviceNamespace"}, "internal/service/appautoscaling/target.go"},
	"aws:appautoscaling/scheduledAction:ScheduledAction": {[]string{"name", "resourceId", "scalableDimension", "serviceNamespace"}, "internal/service/appautoscaling/scheduled_action.go"},
	"aws:appautoscaling/policy:Policy":                   {[]string{"name", "resourceId", "scalableDimension", "serviceNamespace"}, "internal/service/appautoscaling/policy.go"},
	"aws:route53/record:Record":                          {[]string{"name", "type", "zoneId", "setIdentifier"}, "internal/service/route53/record.go"},
	"aws:route53/zone:Zone":                              {[]string{"name", "delegationSetId"}, "internal/service/route53/zone.go"},
	"aws:route53/healthCheck:HealthCheck":                {[]string{"type", "requestInterval", "measureLatency", "referenceName"}, "internal/service/route53/health_check.go"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":             {[]string{"name"}, "internal/service/cloudwatch/metric_alarm.go"},
	"aws:cloudwatch/dashboard:Dashboard":                 {[]string{"dashboardName"}, "internal/service/cloudwatch/dashboard.go"},
	"aws:cloudwatch/logGroup:LogGroup":                   {[]string{"name", "namePrefix", "logGroupClass"}, "internal/service/logs/group.go"},
	"aws:ec2/vpc:Vpc":                                    {[]string{"cidrBlock", "instanceTenancy"}, "internal/service/ec2/vpc_.go"},
	"aws:ec2/subnet:Subnet":                              {[]string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"}, "internal/service/ec2/vpc_subnet.go"},
	"aws:ec2/securityGroup:SecurityGroup":                {[]string{"name", "namePrefix", "description", "vpcId"}, "internal/service/ec2/vpc_security_group.go"},
	"aws:ec2/securityGroupRule:SecurityGroupRule":        {[]string{"type", "fromPort", "toPort", "protocol", "cidrBlocks", "securityGroupId", "sourceSecurityGroupId", "self", "prefixListIds"}, "internal/service/ec2/vpc_security_group_rule.go"},
	"aws:lb/loadBalancer:LoadBalancer":                   {[]string{"name", "namePrefix", "internal", "loadBalancerType"}, "internal/service/elbv2/load_balancer.go"},
	"aws:lb/targetGroup:TargetGroup":                     {[]string{"name", "namePrefix", "port", "protocol", "targetType", "vpcId"}, "internal/service/elbv2/target_group.go"},
	"aws:acm/certificate:Certificate":                    {[]string{"domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm"}, "internal/service/acm/certificate.go"},
	"aws:iam/role:Role":                                  {[]string{"name", "namePrefix", "path"}, "internal/service/iam/role.go"},
	"aws:iam/rolePolicy:RolePolicy":                      {[]string{"name", "namePrefix", "role"}, "internal/service/iam/role_policy.go"},
	"aws:s3/bucketObjectv2:BucketObjectv2":               {[]string{"bucket", "key"}, "internal/service/s3/object.go"},
	"aws:synthetics/canary:Canary":                       {[]string{"name"}, "internal/service/synthetics/canary.go"},
	"aws:sns/topic:Topic":                                {[]string{"name", "namePrefix", "fifoTopic"}, "internal/service/sns/topic.go"},
}

// Replaces reports whether a change of the top-level input prop of a resource of type typ makes
// AWS replace the resource.
func Replaces(typ, prop string) bool {
	for _, p := range ForceNew[typ].props {
		if p == prop {
			return true
		}
	}
	return false
}

// Source is where the replacement facts of typ come from ("" when typ has none).
func Source(typ string) string {
	if f, ok := ForceNew[typ]; ok {
		return "hashicorp/terraform-provider-aws " + f.source
	}
	return ""
}

// topLevel is the top-level property of a property path ("tags.Name" → "tags", "a[0]" → "a").
func topLevel(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}
