package policy

import (
	"fmt"
	"strings"
)

// The WAF rules: every load balancer behind a regional web ACL that runs the baseline rule
// groups and a rate-based rule, and logs.

func checkWebACLRules(r Resource) []string {
	var out []string
	if s, st := str(r.Inputs, "scope"); st == known && s != "REGIONAL" {
		out = append(out, fmt.Sprintf("scope is %q; a load balancer's web ACL is REGIONAL", s))
	}
	rules, st := list(r.Inputs, "rules")
	if st == unknown {
		return out
	}
	groups := map[string]bool{}
	rate := false
	for _, rule := range rules {
		if n, st := str(rule, "statement", "managedRuleGroupStatement", "name"); st == known {
			if v, _ := str(rule, "statement", "managedRuleGroupStatement", "vendorName"); v == "AWS" {
				groups[n] = true
			}
		}
		if _, st := lookup(rule, "statement", "rateBasedStatement"); st == known {
			key, _ := str(rule, "statement", "rateBasedStatement", "aggregateKeyType")
			limit, lst := number(rule, "statement", "rateBasedStatement", "limit")
			if (key == "" || key == "IP") && lst == known && limit >= 10 {
				rate = true
			}
		}
	}
	for _, g := range BaselineRuleGroups {
		if !groups[g] {
			out = append(out, "the AWS managed rule group "+g+" is not in the web ACL")
		}
	}
	if !rate {
		out = append(out, "no rate-based rule per client IP (aggregateKeyType IP, limit at least 10)")
	}
	return out
}

func checkWebACLBlocks(r Resource) []string {
	rules, st := list(r.Inputs, "rules")
	if st != known {
		return nil
	}
	var counting []string
	for _, rule := range rules {
		n, _ := str(rule, "name")
		if _, st := lookup(rule, "overrideAction", "count"); st == known {
			counting = append(counting, n)
		}
		if _, st := lookup(rule, "action", "count"); st == known {
			counting = append(counting, n)
		}
	}
	if len(counting) > 0 {
		return []string{"count-only mode (agm-dr:waf.mode count): rules " + strings.Join(counting, ", ") + " only count; switch to block once tuned"}
	}
	return nil
}

func checkALBHasWebACL(rs []Resource) []Violation {
	var out []Violation
	for _, lb := range ofType(rs, loadBalancerTypes...) {
		if t, st := str(lb.Inputs, "loadBalancerType"); st == known && t != "application" {
			continue // WAF attaches to application load balancers only
		}
		ok := false
		for _, a := range referring(rs, TypeWebACLAssociation, "resourceArn", lb) {
			for _, acl := range ofType(rs, TypeWebACL) {
				if a.refers("webAclArn", acl) {
					ok = true
				}
			}
		}
		if !ok {
			out = append(out, lb.violation("AGM-WAF-001", "no WAF web ACL is associated with this load balancer"))
		}
	}
	return out
}

func checkWebACLLogging(rs []Resource) []Violation {
	var out []Violation
	for _, acl := range ofType(rs, TypeWebACL) {
		logs := referring(rs, TypeWebACLLogging, "resourceArn", acl)
		if len(logs) == 0 {
			out = append(out, acl.violation("AGM-WAF-003", "no logging configuration: blocked and counted requests leave no trace"))
			continue
		}
		for _, l := range logs {
			groups := 0
			for _, g := range ofType(rs, TypeLogGroup) {
				if !l.refers("logDestinationConfigs", g) {
					continue
				}
				groups++
				if n, st := str(g.Inputs, "name"); st == known && !strings.HasPrefix(n, wafLogPrefix) {
					out = append(out, acl.violation("AGM-WAF-003", "log group %q does not start with %s (WAF refuses it)", n, wafLogPrefix))
				}
				for _, m := range customerKey(g.Inputs, "WAF log group "+g.Name, "kmsKeyId") {
					out = append(out, acl.violation("AGM-WAF-003", "%s", m))
				}
			}
			if groups == 0 {
				out = append(out, acl.violation("AGM-WAF-003", "logging configuration %s sends to no KMS-encrypted log group of this stack", l.Name))
			}
		}
	}
	return out
}
