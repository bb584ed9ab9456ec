package capture

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// How a read-back becomes a drift the next plan would apply, and the read-back helpers the
// facts table uses.

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
