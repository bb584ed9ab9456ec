package policy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// state says whether a property is there, and whether its value is known yet.
type state int

const (
	absent  state = iota // not set, or null
	unknown              // set, but computed during a preview
	known
)

// unwrap strips secrets and resolved outputs; an unresolved output is unknown.
func unwrap(v resource.PropertyValue) (resource.PropertyValue, state) {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if !o.Known {
				return v, unknown
			}
			v = o.Element
		case v.IsComputed():
			return v, unknown
		case v.IsNull():
			return v, absent
		default:
			return v, known
		}
	}
}

// lookup walks a path of object keys: lookup(m, "accessLogs", "enabled"). A single-element
// array is walked through, as pulumi-aws registers some nested blocks as one-element lists.
func lookup(m resource.PropertyMap, path ...string) (resource.PropertyValue, state) {
	v := resource.NewObjectProperty(m)
	for _, k := range path {
		var st state
		if v, st = unwrap(v); st != known {
			return v, st
		}
		if v.IsArray() && len(v.ArrayValue()) == 1 {
			if v, st = unwrap(v.ArrayValue()[0]); st != known {
				return v, st
			}
		}
		if !v.IsObject() {
			return resource.NewNullProperty(), absent
		}
		next, ok := v.ObjectValue()[resource.PropertyKey(k)]
		if !ok {
			return resource.NewNullProperty(), absent
		}
		v = next
	}
	return unwrap(v)
}

func str(m resource.PropertyMap, path ...string) (string, state) {
	v, st := lookup(m, path...)
	if st != known {
		return "", st
	}
	switch {
	case v.IsString():
		return v.StringValue(), known
	case v.IsNumber():
		return fmt.Sprint(v.NumberValue()), known
	case v.IsBool():
		return fmt.Sprint(v.BoolValue()), known
	}
	return "", absent
}

func boolean(m resource.PropertyMap, path ...string) (bool, state) {
	v, st := lookup(m, path...)
	if st != known {
		return false, st
	}
	switch {
	case v.IsBool():
		return v.BoolValue(), known
	case v.IsString():
		return strings.EqualFold(v.StringValue(), "true"), known
	}
	return false, absent
}

func number(m resource.PropertyMap, path ...string) (float64, state) {
	v, st := lookup(m, path...)
	if st != known {
		return 0, st
	}
	if v.IsNumber() {
		return v.NumberValue(), known
	}
	return 0, absent
}

// list returns an array property's elements (unwrapped objects), or nil.
func list(m resource.PropertyMap, path ...string) ([]resource.PropertyMap, state) {
	v, st := lookup(m, path...)
	if st != known {
		return nil, st
	}
	if v.IsObject() { // a nested block registered as an object rather than a one-element list
		return []resource.PropertyMap{v.ObjectValue()}, known
	}
	if !v.IsArray() {
		return nil, absent
	}
	var out []resource.PropertyMap
	for _, e := range v.ArrayValue() {
		e, est := unwrap(e)
		if est == unknown {
			return nil, unknown
		}
		if est == known && e.IsObject() {
			out = append(out, e.ObjectValue())
		}
	}
	return out, known
}

// strs returns an array of strings (unknown if any element is unknown).
func strs(m resource.PropertyMap, path ...string) ([]string, state) {
	v, st := lookup(m, path...)
	if st != known {
		return nil, st
	}
	if !v.IsArray() {
		return nil, absent
	}
	var out []string
	for _, e := range v.ArrayValue() {
		e, est := unwrap(e)
		if est == unknown {
			return nil, unknown
		}
		if est == known && e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out, known
}

// mustBeTrue reports a message unless the boolean at path is true (or not yet known).
func mustBeTrue(m resource.PropertyMap, what string, path ...string) []string {
	b, st := boolean(m, path...)
	switch {
	case st == unknown || (st == known && b):
		return nil
	case st == absent:
		return []string{what + " is not set (" + strings.Join(path, ".") + ")"}
	}
	return []string{what + " is off (" + strings.Join(path, ".") + " = false)"}
}

// mustNotBeTrue reports a message if the boolean at path is true.
func mustNotBeTrue(m resource.PropertyMap, what string, path ...string) []string {
	if b, st := boolean(m, path...); st == known && b {
		return []string{what + " (" + strings.Join(path, ".") + " = true)"}
	}
	return nil
}

// customerKey reports a message unless path names a customer-managed KMS key: set, and not an
// AWS managed key alias (alias/aws/...).
func customerKey(m resource.PropertyMap, what string, path ...string) []string {
	v, st := str(m, path...)
	switch {
	case st == unknown:
		return nil
	case st == absent || v == "":
		return []string{what + " has no customer-managed KMS key (" + strings.Join(path, ".") + " is not set)"}
	case strings.Contains(v, "alias/aws/"):
		return []string{what + " uses the AWS managed key " + v + ", not a customer-managed key"}
	}
	return nil
}

// jsonDoc decodes a JSON string property (a policy, containerDefinitions). The state is absent
// when the property is unset; a value that is not valid JSON is reported as an error.
func jsonDoc(m resource.PropertyMap, into any, path ...string) (state, error) {
	s, st := str(m, path...)
	if st != known {
		return st, nil
	}
	if s == "" {
		return absent, nil
	}
	if err := json.Unmarshal([]byte(s), into); err != nil {
		return known, fmt.Errorf("%s is not valid JSON: %v", strings.Join(path, "."), err)
	}
	return known, nil
}

// isSecret reports whether a value is marked secret (or not yet known, as a secret may be).
func isSecret(v resource.PropertyValue) bool {
	return v.IsSecret() || v.IsComputed() || (v.IsOutput() && (v.OutputValue().Secret || !v.OutputValue().Known))
}
