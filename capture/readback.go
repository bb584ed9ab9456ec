package capture

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

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
		Source: "AWS API_FailoverGlobalReplicationGroup; DESIGN.md §5",
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
		// A secondary reports its source cluster's ARN; applying the diff promotes it (DESIGN §5).
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

// Drift is a read-back difference that the next plan would apply.
type Drift struct {
	Stack    string
	Resource Resource
	Fact     ReadBackFact
	Planned  resource.PropertyValue
	ReadBack resource.PropertyValue
}

func (d Drift) String() string {
	verb := "updates"
	if d.Fact.Replaces {
		verb = "REPLACES"
	}
	return fmt.Sprintf("%s: %s %s: %s read back as %s, next plan sends %s: %s (source: %s)",
		d.Stack, d.Resource.Type, d.Resource.Name, d.Fact.Property, showValue(d.ReadBack), showValue(d.Planned), verb, d.Fact.Source)
}

// ReadBackDrifts lists, over every stack of w, each read-back difference that the program neither
// sends nor covers with ignoreChanges: a later `pulumi up` would plan it.
func ReadBackDrifts(w World) []Drift {
	var out []Drift
	stacks := make([]string, 0, len(w))
	for s := range w {
		stacks = append(stacks, s)
	}
	sort.Strings(stacks)
	for _, s := range stacks {
		for _, r := range w[s].Resources {
			for _, f := range ReadBackFacts {
				if r.Type != f.Type || (f.Applies != nil && !f.Applies(r)) || Ignored(r, f.Property) {
					continue
				}
				p := Planned{Value: inputAt(r, f.Property)}
				if f.Planned != nil {
					p = f.Planned(r, f.Property)
				}
				if p.Computed {
					continue
				}
				got := f.ReadBack(r, w)
				if got.IsComputed() || p.Value.IsComputed() || equalValues(p.Value, got) {
					continue
				}
				out = append(out, Drift{Stack: s, Resource: r, Fact: f, Planned: p.Value, ReadBack: got})
			}
		}
	}
	return out
}

// Ignored reports whether ignoreChanges covers the property path (itself or a parent).
func Ignored(r Resource, path string) bool {
	for _, ig := range r.IgnoreChanges {
		if ig == path || strings.HasPrefix(path, ig+".") || strings.HasPrefix(path, ig+"[") {
			return true
		}
	}
	return false
}

func isSecondaryGroup(r Resource) bool { return has(r, "globalReplicationGroupId") }

func has(r Resource, key string) bool {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	return ok && !v.IsNull()
}

// defaultWhenAbsent: the provider's schema default stands in for an absent input.
func defaultWhenAbsent(def resource.PropertyValue) func(Resource, string) Planned {
	return func(r Resource, path string) Planned {
		if v := inputAt(r, path); !v.IsNull() {
			return Planned{Value: v}
		}
		return Planned{Value: def}
	}
}

// computedWhenAbsent: Optional+Computed, an absent input keeps what was read back.
func computedWhenAbsent(r Resource, path string) Planned {
	if v := inputAt(r, path); !v.IsNull() {
		return Planned{Value: v}
	}
	return Planned{Computed: true}
}

func asInput(path string) func(Resource, World) resource.PropertyValue {
	return func(r Resource, _ World) resource.PropertyValue { return inputAt(r, path) }
}

// fromHomeGroup reads a property of the datastore's primary member: the home stack's group
// (the replication group that has no globalReplicationGroupId input).
func fromHomeGroup(prop string) func(Resource, World) resource.PropertyValue {
	return func(_ Resource, w World) resource.PropertyValue {
		for _, res := range w {
			for _, g := range res.Find(typeReplicationGroup) {
				if !isSecondaryGroup(g) {
					return inputAt(g, prop)
				}
			}
		}
		return resource.MakeComputed(resource.NewStringProperty(""))
	}
}

func lowerCase(path string) func(Resource, World) resource.PropertyValue {
	return func(r Resource, _ World) resource.PropertyValue {
		v := inputAt(r, path)
		if v.IsString() {
			return resource.NewStringProperty(strings.ToLower(v.StringValue()))
		}
		return v
	}
}

var kmsKeyArnRE = regexp.MustCompile(`^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/`)

// kmsKeyArn is what AWS reports for a KMS key input: always the key ARN. An input that already
// is a key ARN reads back unchanged; an alias, alias ARN or bare key id reads back as the ARN.
// Under the capture mock a key's ARN is MockArn(region, name), recognised through the run.
func kmsKeyArn(path string) func(Resource, World) resource.PropertyValue {
	return func(r Resource, w World) resource.PropertyValue {
		v := inputAt(r, path)
		if !v.IsString() {
			return v
		}
		s := v.StringValue()
		if kmsKeyArnRE.MatchString(s) {
			return v
		}
		for _, res := range w {
			for _, k := range res.Find(typeKmsKey) {
				arn := MockArn(res.Region, k.Name)
				if s == arn {
					return v
				}
				if s == k.Name+"-id" {
					return resource.NewStringProperty(arn)
				}
			}
		}
		return resource.NewStringProperty("arn:aws:kms:<region>:<account>:key/<id of " + s + ">")
	}
}

// inputAt reads a path like "a", "a[0].b" from the inputs; null when absent.
func inputAt(r Resource, path string) resource.PropertyValue {
	if path == "" {
		return resource.NewNullProperty()
	}
	cur := resource.NewObjectProperty(r.Inputs)
	for _, part := range strings.Split(path, ".") {
		name, idx := part, -1
		if i := strings.Index(part, "["); i >= 0 && strings.HasSuffix(part, "]") {
			n, err := strconv.Atoi(part[i+1 : len(part)-1])
			if err != nil {
				return resource.NewNullProperty()
			}
			name, idx = part[:i], n
		}
		if cur.IsSecret() {
			cur = cur.SecretValue().Element
		}
		if !cur.IsObject() {
			return resource.NewNullProperty()
		}
		next, ok := cur.ObjectValue()[resource.PropertyKey(name)]
		if !ok {
			return resource.NewNullProperty()
		}
		cur = next
		if idx >= 0 {
			if !cur.IsArray() || idx >= len(cur.ArrayValue()) {
				return resource.NewNullProperty()
			}
			cur = cur.ArrayValue()[idx]
		}
	}
	return cur
}

func equalValues(a, b resource.PropertyValue) bool {
	if a.IsSecret() {
		a = a.SecretValue().Element
	}
	if b.IsSecret() {
		b = b.SecretValue().Element
	}
	return a.DeepEquals(b)
}

func showValue(v resource.PropertyValue) string {
	switch {
	case v.IsNull():
		return "(absent)"
	case v.IsSecret():
		return "[secret]"
	case v.IsString():
		return strconv.Quote(v.StringValue())
	}
	return v.String()
}

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
