package capture

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The read-back model: what AWS and the provider hold in state after a create (and after every
// `pulumi refresh`), where that can differ from what the program sends. Mocks echo inputs back,
// so without this model a provider default or a normalised form that would replace a protected
// resource on the second `pulumi up` never shows in a test. ReadBackFacts is the one table of
// these facts; each carries its source.

// Planned is what the next plan sends for a property: the program's input, or, when the input is
// absent, the provider's schema default. Computed means the input is absent and the schema marks
// the property Optional+Computed, so the provider keeps whatever it read back: no difference.
type Planned struct {
	Value    resource.PropertyValue
	Computed bool
}

// ReadBackFact is one property of one resource type as AWS/the provider reports it after create.
type ReadBackFact struct {
	Type     string // resource type token
	Property string // input path: "engine" or "encryptionConfigurations[0].kmsKey"
	// Applies selects the resources the fact is about (nil: every resource of Type).
	Applies func(r Resource) bool
	// Planned is what the next plan sends for the property at path (nil: the input as registered).
	Planned func(r Resource, path string) Planned
	// ReadBack is what state holds after create/refresh; w holds both stacks' runs, for facts
	// that come from another resource (a secondary's engine comes from the global datastore).
	ReadBack func(r Resource, w World) resource.PropertyValue
	// Replaces: a difference on this property forces replacement (a failed update under Protect).
	Replaces bool
	Source   string
}

// World is every stack's run, by stack name, as deployed together.
type World map[string]*Result

const (
	typeReplicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
	typeGlobalRG         = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"
	typeRdsCluster       = "aws:rds/cluster:Cluster"
	typeEcrRepository    = "aws:ecr/repository:Repository"
	typeKmsKey           = "aws:kms/key:Key"
)

// ReadBackFacts is the read-back model. Add a fact whenever AWS or the provider is found to
// report something other than the input; the test in tests/readback_test.go then demands that
// the program either sends that value or ignores the property.
var ReadBackFacts = []ReadBackFact{
	{
		Type: typeReplicationGroup, Property: "engine", Applies: isSecondaryGroup, Replaces: true,
		// The provider plans an absent engine as its schema default "redis"; AWS reports the
		// datastore's engine ("valkey") for the secondary, and the provider refuses engine next
		// to globalReplicationGroupId. Every later plan: engine valkey → redis, forces replacement.
		Planned:  defaultWhenAbsent(resource.NewStringProperty("redis")),
		ReadBack: fromHomeGroup("engine"),
		Source: "hashicorp/terraform-provider-aws#40786 and #42592 (secondary engine valkey → redis forces replacement); " +
			"fixed by PR #42636 in provider v6.11.0; pulumi-aws v6 bridges provider v5.x; pulumi-aws v6.83.4 replicationGroup.go: engine \"Default is `redis`\"",
	},
	{
		Type: typeReplicationGroup, Property: "engineVersion", Applies: isSecondaryGroup, Replaces: false,
		// Optional+Computed: absent input keeps the inherited version. Ignored anyway: the
		// datastore owns the version (ModifyGlobalReplicationGroup upgrades every member).
		Planned:  computedWhenAbsent,
		ReadBack: fromHomeGroup("engineVersion"),
		Source:   "pulumi-aws v6.83.4 replicationGroup.go (engineVersion: Output, actual in engineVersionActual); AWS API_GlobalReplicationGroup EngineVersion",
	},
	{
		Type: typeReplicationGroup, Property: "parameterGroupName", Applies: isSecondaryGroup, Replaces: false,
		// The secondary gets the engine family's default group (e.g. default.valkey7).
		Planned:  computedWhenAbsent,
		ReadBack: func(r Resource, w World) resource.PropertyValue { return resource.NewStringProperty("default.valkey7") },
		Source:   "AWS ElastiCache API_ReplicationGroup / CacheParameterGroupName defaults per engine family; hashicorp/terraform-provider-aws#41713",
	},
	{
		Type: typeReplicationGroup, Property: "kmsKeyId", Applies: isSecondaryGroup, Replaces: true,
		// Unverified: no AWS document found states what DescribeReplicationGroups reports as
		// KmsKeyId for a global datastore's secondary (its own key, the datastore's, or none).
		// Modelled as possibly different, so the program must not let it plan a replacement.
		ReadBack: func(r Resource, w World) resource.PropertyValue {
			return resource.NewStringProperty("<unverified: secondary's reported key>")
		},
		// After a switchover the home group is a secondary too: it ignores kmsKeyId as well.
		Source: "unverified (no AWS document; the fake aws plugin reports the primary's key, docs/fakeaws.md); terraform-aws-modules/terraform-aws-elasticache PR #71 sets kms_key_id on a secondary",
	},
	{
		Type: typeReplicationGroup, Property: "kmsKeyId", Applies: func(r Resource) bool { return !isSecondaryGroup(r) }, Replaces: true,
		// DescribeReplicationGroups reports the key ARN; an alias or bare key id as input would
		// plan a replacement on every up.
		ReadBack: kmsKeyArn("kmsKeyId"),
		Source:   "AWS ElastiCache API_ReplicationGroup KmsKeyId; pulumi-aws v6.83.4 replicationGroup.go kmsKeyId \"The ARN of the key\" (ForceNew)",
	},
	{
		Type: typeReplicationGroup, Property: "replicationGroupId", Replaces: true,
		ReadBack: lowerCase("replicationGroupId"),
		Source:   "AWS ElastiCache API_CreateReplicationGroup ReplicationGroupId: \"stored as a lowercase string\"",
	},
	{
		Type: typeReplicationGroup, Property: "authToken", Replaces: false,
		// Not read back: the API reports only AuthTokenEnabled, the provider keeps the input.
		ReadBack: asInput("authToken"),
		Source:   "AWS ElastiCache API_ReplicationGroup (AuthTokenEnabled, AuthTokenLastModifiedDate; no token)",
	},
	{
		Type: typeReplicationGroup, Property: "globalReplicationGroupId", Replaces: true,
		// The home group joins the datastore it created (and holds its id after a switchover).
		Applies: func(r Resource) bool { return !isSecondaryGroup(r) },
		Planned: defaultWhenAbsent(resource.NewStringProperty("")),
		ReadBack: func(r Resource, w World) resource.PropertyValue {
			return resource.NewStringProperty("ldgnf-agm-dr-sessions")
		},
		Source: "pulumi-aws v6.83.4 replicationGroup.go globalReplicationGroupId; AWS API_ReplicationGroup GlobalReplicationGroupInfo",
	},
	{
		Type: typeGlobalRG, Property: "primaryReplicationGroupId", Replaces: true,
		// After a switchover AWS reports the new primary (the peer's group).
		ReadBack: func(r Resource, w World) resource.PropertyValue {
			return resource.NewStringProperty("<peer group after switchover>")
		},
		Source: "AWS API_FailoverGlobalReplicationGroup; docs/architecture.md, data-loss guards",
	},
	{
		Type: typeRdsCluster, Property: "kmsKeyId", Replaces: true,
		ReadBack: kmsKeyArn("kmsKeyId"),
		Source:   "AWS RDS API_DBCluster KmsKeyId: \"the KMS key identifier is the key ARN\"",
	},
	{
		Type: typeRdsCluster, Property: "clusterIdentifier", Replaces: true,
		ReadBack: lowerCase("clusterIdentifier"),
		Source:   "AWS RDS API_CreateDBCluster DBClusterIdentifier: \"This parameter is stored as a lowercase string\"",
	},
	{
		Type: typeRdsCluster, Property: "replicationSourceIdentifier", Replaces: false,
		// A secondary reports its source cluster's ARN; applying the diff promotes it (docs/architecture.md, data-loss guards).
		Applies: func(r Resource) bool { return !has(r, "masterUsername") },
		Planned: defaultWhenAbsent(resource.NewStringProperty("")),
		ReadBack: func(r Resource, w World) resource.PropertyValue {
			return resource.NewStringProperty("<primary cluster ARN>")
		},
		Source: "hashicorp/terraform-provider-aws docs r/rds_cluster (replication_source_identifier with global clusters: use ignore_changes)",
	},
	{
		Type: typeEcrRepository, Property: "encryptionConfigurations[0].kmsKey", Replaces: true,
		ReadBack: kmsKeyArn("encryptionConfigurations[0].kmsKey"),
		Source:   "AWS ECR API_EncryptionConfiguration kmsKey (reported as the key ARN); encryption settings cannot change after creation",
	},
}
