package fakeaws

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// What the fake keeps as a resource's state is what the bridged provider would hold after
// reading the resource back from AWS, not the inputs: Check fills the provider's schema
// defaults, Create and Update pass the inputs through readBack (AWS's normal forms) and let
// the world (the emulators) override what AWS decides, Read asks the world again, and Diff
// compares that state with the new inputs, as the bridge diffs state against config. So a
// provider default or a read-back form that differs from what the program sends shows up as a
// diff (and, on a ForceNew property, a replacement) on the next plan, as it would on AWS.

const typeReplicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"

// providerDefault is a schema default the provider fills in Check when the input is absent.
type providerDefault struct {
	value  resource.PropertyValue
	source string
}

// Defaults are the provider defaults of the types the program uses whose value can differ from
// what AWS reads back. Only defaults that matter for a diff are listed.
var Defaults = map[string]map[string]providerDefault{
	typeReplicationGroup: {
		"engine": {resource.NewProperty("redis"),
			"pulumi-aws v6.83.4 sdk/go/aws/elasticache/replicationGroup.go engine: \"Default is `redis`\" " +
				"(terraform-provider-aws v5 replication_group.go engine Default engineRedis)"},
	},
}

// conflict is a set of properties the provider refuses next to a trigger property.
type conflict struct {
	with   string // the property whose presence refuses the others
	props  []string
	source string
}

// Conflicts are the combinations the provider's Check refuses (Terraform ConflictsWith).
var Conflicts = map[string][]conflict{
	typeReplicationGroup: {{
		with: "globalReplicationGroupId",
		props: []string{"atRestEncryptionEnabled", "engine", "engineVersion", "nodeType", "numNodeGroups", "parameterGroupName",
			"securityGroupNames", "snapshotArns", "snapshotName", "transitEncryptionEnabled", "transitEncryptionMode"},
		source: "terraform-provider-aws internal/service/elasticache/replication_group.go global_replication_group_id ConflictsWith (read)",
	}},
}

// checkInputs fills the provider defaults of typ into news and refuses the conflicting
// combinations. olds are the previous checked inputs: a value the engine copied from them
// (ignoreChanges) that was a default there is still a default, not an explicit input.
func checkInputs(typ string, olds, news resource.PropertyMap) (resource.PropertyMap, []string) {
	out := news.Copy()
	oldDefaults := map[string]bool{}
	if d, ok := olds["__defaults"]; ok && d.IsArray() {
		for _, v := range d.ArrayValue() {
			if v.IsString() {
				oldDefaults[v.StringValue()] = true
			}
		}
	}
	delete(out, "__defaults")
	var filled []string
	for prop, def := range Defaults[typ] {
		k := resource.PropertyKey(prop)
		v, ok := out[k]
		switch {
		case !ok || v.IsNull():
			out[k] = def.value
			filled = append(filled, prop)
		case oldDefaults[prop] && olds[k].DeepEquals(v):
			filled = append(filled, prop)
		}
	}
	sort.Strings(filled)
	var failures []string
	for _, c := range Conflicts[typ] {
		if v, ok := out[resource.PropertyKey(c.with)]; !ok || v.IsNull() {
			continue
		}
		for _, p := range c.props {
			if v, ok := out[resource.PropertyKey(p)]; ok && !v.IsNull() && !inList(filled, p) {
				failures = append(failures, fmt.Sprintf("%q: conflicts with %s (%s)", p, c.with, c.source))
			}
		}
	}
	if len(filled) > 0 {
		ds := make([]resource.PropertyValue, len(filled))
		for i, f := range filled {
			ds[i] = resource.NewProperty(f)
		}
		out["__defaults"] = resource.NewProperty(ds)
	}
	return out, failures
}

// readBack is what AWS reports for inputs in, as the provider stores it in state: identifiers
// AWS stores in lower case, KMS keys as key ARNs. Everything else reads back as sent.
func readBack(typ, region string, in resource.PropertyMap) resource.PropertyMap {
	out := in.Copy()
	delete(out, "__defaults")
	lower := func(k resource.PropertyKey) {
		if v, ok := out[k]; ok && v.IsString() {
			out[k] = resource.NewProperty(strings.ToLower(v.StringValue()))
		}
	}
	switch typ {
	case typeReplicationGroup:
		// "stored as a lowercase string" (API_CreateReplicationGroup ReplicationGroupId); the key
		// as its ARN (API_ReplicationGroup KmsKeyId).
		lower("replicationGroupId")
		out["kmsKeyId"] = keyArnOf(region, out["kmsKeyId"])
	case "aws:rds/cluster:Cluster":
		// API_CreateDBCluster DBClusterIdentifier "stored as a lowercase string"; API_DBCluster
		// KmsKeyId "the key ARN".
		lower("clusterIdentifier")
		out["kmsKeyId"] = keyArnOf(region, out["kmsKeyId"])
	case "aws:ecr/repository:Repository":
		// API_EncryptionConfiguration kmsKey: reported as the key ARN.
		if v, ok := out["encryptionConfigurations"]; ok && v.IsArray() {
			var cfgs []resource.PropertyValue
			for _, c := range v.ArrayValue() {
				if c.IsObject() {
					m := c.ObjectValue().Copy()
					m["kmsKey"] = keyArnOf(region, m["kmsKey"])
					c = resource.NewProperty(m)
				}
				cfgs = append(cfgs, c)
			}
			out["encryptionConfigurations"] = resource.NewProperty(cfgs)
		}
	}
	for k, v := range out {
		if v.IsNull() {
			delete(out, k)
		}
	}
	return out
}

var keyArnRE = regexp.MustCompile(`^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/`)

// keyArnOf is the key ARN AWS reports for a KMS key input: a key ARN as is; a key id, alias or
// alias ARN as the ARN of the key behind it (the fake names it after the input).
func keyArnOf(region string, v resource.PropertyValue) resource.PropertyValue {
	if !v.IsString() || v.StringValue() == "" || keyArnRE.MatchString(v.StringValue()) {
		return v
	}
	s := v.StringValue()
	id := s
	if strings.Contains(s, "alias/") {
		h := short(s)
		id = h + "-" + h[:4] + "-4" + h[1:4] + "-8" + h[1:4] + "-" + h + h[:4]
	}
	return resource.NewProperty(fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, Account, id))
}

// inherited lists the properties whose state the world owns rather than the inputs: a global
// datastore's secondary takes engine, version and parameter group from the datastore (AWS
// CreateReplicationGroup with GlobalReplicationGroupId), so an update keeps what was read.
func inherited(typ string, in resource.PropertyMap) []resource.PropertyKey {
	if typ == typeReplicationGroup {
		if v, ok := in["globalReplicationGroupId"]; ok && !v.IsNull() {
			return []resource.PropertyKey{"engine", "engineVersion", "parameterGroupName", "kmsKeyId"}
		}
	}
	return nil
}

// replacesOnValue reports replacements that depend on the values, not only on the property:
// the provider's CustomizeDiff customizeDiffEngineForceNewOnDowngrade (terraform-provider-aws
// internal/service/elasticache/replication_group.go, read) forces new when the engine goes from
// valkey back to redis.
func replacesOnValue(typ, prop string, old, new resource.PropertyValue) bool {
	if typ == typeReplicationGroup && prop == "engine" && old.IsString() && new.IsString() {
		return strings.EqualFold(old.StringValue(), "valkey") && strings.EqualFold(new.StringValue(), "redis")
	}
	return false
}
