package fakeaws

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// The bridge extracts an imported resource's inputs from what it read, schema-directed: every
// Optional or Required property, except those equal to their schema default or, without one, to
// the zero value (false, 0, "", an empty list), which it leaves out (pulumi-terraform-bridge
// pkg/tfbridge schema.go extractSchemaInputs, isDefaultOrZeroValue, read). So a program that
// omits such a property plans no change, as AWS's provider defaults it to the same value; the
// fake keeps those values as outputs only.

// importDefaults are the non-zero schema defaults (terraform-provider-aws v5, read) of the
// properties the importers read.
var importDefaults = map[string]map[string]resource.PropertyValue{
	"aws:ec2/vpc:Vpc": { // internal/service/ec2/vpc_.go
		"instanceTenancy": resource.NewProperty("default"), "enableDnsSupport": resource.NewProperty(true)},
	"aws:rds/cluster:Cluster": { // internal/service/rds/cluster.go
		"backupRetentionPeriod": resource.NewProperty(1.0)},
	"aws:rds/clusterInstance:ClusterInstance": { // internal/service/rds/cluster_instance.go
		"autoMinorVersionUpgrade": resource.NewProperty(true)},
	typeReplicationGroup: { // internal/service/elasticache/replication_group.go (and Defaults)
		"engine": resource.NewProperty("redis")},
	"aws:sqs/queue:Queue": { // internal/service/sqs/queue.go
		"visibilityTimeoutSeconds": resource.NewProperty(30.0), "messageRetentionSeconds": resource.NewProperty(345600.0)},
}

// bridgeInputs is what the bridge keeps as inputs of what an importer read: all but the default
// or zero values (which stay in the outputs).
func bridgeInputs(typ string, read resource.PropertyMap) resource.PropertyMap {
	in := resource.PropertyMap{}
	for k, v := range read {
		def, hasDefault := importDefaults[typ][string(k)]
		if hasDefault && def.DeepEquals(v) || !hasDefault && isZero(v) {
			continue
		}
		in[k] = v
	}
	return in
}

func isZero(v resource.PropertyValue) bool {
	switch {
	case v.IsNull():
		return true
	case v.IsBool():
		return !v.BoolValue()
	case v.IsNumber():
		return v.NumberValue() == 0
	case v.IsString():
		return v.StringValue() == ""
	case v.IsArray():
		return len(v.ArrayValue()) == 0
	}
	return false
}
