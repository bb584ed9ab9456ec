package policy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// document is an IAM-style policy document (key, bucket and queue policies).
type document struct {
	Statement statements `json:"Statement"`
}

type statement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal any            `json:"Principal"`
	Action    stringList     `json:"Action"`
	Resource  stringList     `json:"Resource"`
	Condition map[string]any `json:"Condition"`
}

// statements accepts a single statement object as well as a list.
type statements []statement

func (s *statements) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var one statement
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = statements{one}
		return nil
	}
	var many []statement
	err := json.Unmarshal(b, &many)
	*s = many
	return err
}

// stringList accepts "x" as well as ["x", "y"].
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = stringList{one}
		return nil
	}
	var many []string
	err := json.Unmarshal(b, &many)
	*l = many
	return err
}

// policyDoc decodes the policy document at path; ok is false when it is unset or unknown.
func policyDoc(m resource.PropertyMap, path ...string) (doc document, ok bool, err error) {
	st, err := jsonDoc(m, &doc, path...)
	return doc, st == known && err == nil, err
}

// wildcardPrincipal reports whether a statement's principal is anyone: "*" or {"AWS": "*"}.
func (s statement) wildcardPrincipal() bool {
	switch p := s.Principal.(type) {
	case string:
		return p == "*"
	case map[string]any:
		for _, v := range p {
			switch x := v.(type) {
			case string:
				if x == "*" {
					return true
				}
			case []any:
				for _, e := range x {
					if e == "*" {
						return true
					}
				}
			}
		}
	}
	return false
}

// allowsAnyone lists the Sids (or positions) of Allow statements with a wildcard principal.
func (d document) allowsAnyone() []string {
	var out []string
	for i, s := range d.Statement {
		if strings.EqualFold(s.Effect, "Allow") && s.wildcardPrincipal() {
			id := s.Sid
			if id == "" {
				id = fmt.Sprintf("statement %d", i)
			}
			out = append(out, id)
		}
	}
	return out
}

// deniesInsecureTransport reports whether the document denies every action (service:* or *)
// to everyone when aws:SecureTransport is false, on a container and everything under it (an
// S3 bucket ARN and "<arn>/*"), or on "*".
func (d document) deniesInsecureTransport(service string) bool {
	covered := map[string]bool{}
	for _, s := range d.Statement {
		if strings.EqualFold(s.Effect, "Deny") && s.wildcardPrincipal() && s.allActions(service) &&
			secureTransportFalse(s.Condition) {
			for _, r := range s.Resource {
				covered[r] = true
			}
		}
	}
	for r := range covered {
		if r == "*" || covered[r+"/*"] {
			return true
		}
	}
	return false
}

func (s statement) allActions(service string) bool {
	for _, a := range s.Action {
		if a == "*" || strings.EqualFold(a, service+":*") {
			return true
		}
	}
	return false
}

// secureTransportFalse matches {"Bool": {"aws:SecureTransport": "false"}} (string or bool).
func secureTransportFalse(cond map[string]any) bool {
	b, ok := cond["Bool"].(map[string]any)
	if !ok {
		return false
	}
	for k, v := range b {
		if !strings.EqualFold(k, "aws:SecureTransport") {
			continue
		}
		switch x := v.(type) {
		case string:
			return strings.EqualFold(x, "false")
		case bool:
			return !x
		}
	}
	return false
}
