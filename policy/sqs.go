package policy

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SQS resource types.
const (
	TypeQueue       = "aws:sqs/queue:Queue"
	TypeQueuePolicy = "aws:sqs/queuePolicy:QueuePolicy"
)

// MaxReceiveCountLimit bounds how often a message is retried before it moves to the DLQ.
const MaxReceiveCountLimit = 10

var sqsRules = []Rule{
	{
		ID:            "AGM-SQS-001",
		Description:   "SQS queues are encrypted with a customer-managed KMS key",
		Checkov:       []string{"CKV_AWS_27", "CKV2_AWS_73"},
		SecurityHub:   []string{"SQS.1"},
		ResourceTypes: []string{TypeQueue},
		Check: func(r Resource) []string {
			return customerKey(r.Inputs, "the queue", "kmsMasterKeyId")
		},
	},
	{
		ID:            "AGM-SQS-003",
		Description:   "SQS queue policies allow nothing to a wildcard principal",
		Checkov:       []string{"CKV_AWS_168", "CKV_AWS_387"},
		SecurityHub:   []string{"SQS.3"},
		ResourceTypes: []string{TypeQueue, TypeQueuePolicy},
		Check: func(r Resource) []string {
			return noWildcardAllow(r, "policy")
		},
	},
}

// noWildcardAllow reports Allow statements with a wildcard principal in the policy at path.
func noWildcardAllow(r Resource, path string) []string {
	doc, ok, err := policyDoc(r.Inputs, path)
	if err != nil {
		return []string{err.Error()}
	}
	if !ok {
		return nil
	}
	if sids := doc.allowsAnyone(); len(sids) > 0 {
		return []string{fmt.Sprintf("%s allows a wildcard principal (\"*\") in %s", path, strings.Join(sids, ", "))}
	}
	return nil
}

var sqsStackRules = []StackRule{{
	ID:          "AGM-SQS-002",
	Description: fmt.Sprintf("every SQS queue redrives to a dead-letter queue after 1..%d receives, or is itself a dead-letter queue", MaxReceiveCountLimit),
	Check:       checkDeadLetters,
}}

type redrive struct {
	Target          string          `json:"deadLetterTargetArn"`
	MaxReceiveCount json.RawMessage `json:"maxReceiveCount"`
}

func checkDeadLetters(rs []Resource) []Violation {
	queues := ofType(rs, TypeQueue)
	// A queue is a dead-letter queue when another queue's redrivePolicy depends on it.
	isDLQ := map[string]bool{}
	for _, q := range queues {
		for _, u := range q.depsOf("redrivePolicy") {
			isDLQ[urnKey(u)] = true
		}
	}
	var out []Violation
	for _, q := range queues {
		var p redrive
		st, err := jsonDoc(q.Inputs, &p, "redrivePolicy")
		switch {
		case err != nil:
			out = append(out, q.violation("AGM-SQS-002", "%v", err))
		case st == unknown:
		case st == absent:
			if !isDLQ[q.Key()] {
				out = append(out, q.violation("AGM-SQS-002", "no redrivePolicy: a message that always fails is retried until it expires"))
			}
		default:
			var n float64
			if json.Unmarshal(p.MaxReceiveCount, &n) != nil {
				var s string
				if json.Unmarshal(p.MaxReceiveCount, &s) == nil {
					_, _ = fmt.Sscan(s, &n)
				}
			}
			if p.Target == "" {
				out = append(out, q.violation("AGM-SQS-002", "redrivePolicy has no deadLetterTargetArn"))
			}
			if n < 1 || n > MaxReceiveCountLimit {
				out = append(out, q.violation("AGM-SQS-002", "redrivePolicy maxReceiveCount is %s; want 1..%d", string(p.MaxReceiveCount), MaxReceiveCountLimit))
			}
		}
	}
	return out
}
