package policy

import (
	"fmt"
	"strings"
)

// Load balancer resource types (aws:alb/* are aliases of aws:lb/*).
const (
	TypeLoadBalancer    = "aws:lb/loadBalancer:LoadBalancer"
	TypeALBLoadBalancer = "aws:alb/loadBalancer:LoadBalancer"
	TypeListener        = "aws:lb/listener:Listener"
	TypeALBListener     = "aws:alb/listener:Listener"
)

var (
	loadBalancerTypes = []string{TypeLoadBalancer, TypeALBLoadBalancer}
	listenerTypes     = []string{TypeListener, TypeALBListener}
)

// tlsPolicyPrefixes are the ELB security policies that accept TLS 1.2 and newer only.
var tlsPolicyPrefixes = []string{
	"ELBSecurityPolicy-TLS13-1-2-", "ELBSecurityPolicy-TLS13-1-3-",
	"ELBSecurityPolicy-TLS-1-2-", "ELBSecurityPolicy-FS-1-2-",
}

// isApplication reports whether a load balancer is an ALB (the default type).
func isApplication(r Resource) bool {
	t, st := str(r.Inputs, "loadBalancerType")
	return st != known || t == "" || t == "application"
}

var albRules = []Rule{
	{
		ID:            "AGM-ALB-001",
		Description:   "HTTPS listeners use a TLS 1.2+ security policy",
		Checkov:       []string{"CKV_AWS_103"},
		SecurityHub:   []string{"ELB.17"},
		ResourceTypes: listenerTypes,
		Check: func(r Resource) []string {
			if p, _ := str(r.Inputs, "protocol"); p != "HTTPS" && p != "TLS" {
				return nil
			}
			policy, st := str(r.Inputs, "sslPolicy")
			if st == unknown {
				return nil
			}
			for _, pre := range tlsPolicyPrefixes {
				if strings.HasPrefix(policy, pre) {
					return nil
				}
			}
			if policy == "" {
				return []string{"no sslPolicy: the default policy still accepts TLS 1.0 and 1.1"}
			}
			return []string{fmt.Sprintf("sslPolicy %s accepts protocols older than TLS 1.2", policy)}
		},
	},
	{
		ID:            "AGM-ALB-002",
		Description:   "plain HTTP listeners only redirect to HTTPS",
		Checkov:       []string{"CKV_AWS_2", "CKV2_AWS_20"},
		SecurityHub:   []string{"ELB.1"},
		ResourceTypes: listenerTypes,
		Check: func(r Resource) []string {
			p, st := str(r.Inputs, "protocol")
			if st == unknown || (p != "HTTP" && !(st == absent && isPort80(r))) {
				return nil
			}
			actions, ast := list(r.Inputs, "defaultActions")
			if ast == unknown {
				return nil
			}
			if len(actions) == 0 {
				return []string{"HTTP listener has no default action"}
			}
			for _, a := range actions {
				t, _ := str(a, "type")
				proto, _ := str(a, "redirect", "protocol")
				if t != "redirect" || proto != "HTTPS" {
					return []string{fmt.Sprintf("HTTP listener action %q serves plain HTTP instead of redirecting to HTTPS", t)}
				}
			}
			return nil
		},
	},
	{
		ID:            "AGM-ALB-003",
		Description:   "application load balancers drop invalid HTTP headers",
		Checkov:       []string{"CKV_AWS_131"},
		SecurityHub:   []string{"ELB.4"},
		ResourceTypes: loadBalancerTypes,
		Check: func(r Resource) []string {
			if !isApplication(r) {
				return nil
			}
			return mustBeTrue(r.Inputs, "dropping invalid header fields", "dropInvalidHeaderFields")
		},
	},
	{
		ID:            "AGM-ALB-004",
		Description:   "load balancers write access logs to S3",
		Checkov:       []string{"CKV_AWS_91"},
		SecurityHub:   []string{"ELB.5"},
		ResourceTypes: loadBalancerTypes,
		Check: func(r Resource) []string {
			out := mustBeTrue(r.Inputs, "access logging", "accessLogs", "enabled")
			if b, st := str(r.Inputs, "accessLogs", "bucket"); st == absent || (st == known && b == "") {
				out = append(out, "access logs have no bucket")
			}
			return out
		},
	},
	{
		ID:            "AGM-ALB-005",
		Description:   "load balancers have deletion protection",
		Checkov:       []string{"CKV_AWS_150"},
		SecurityHub:   []string{"ELB.6"},
		ResourceTypes: loadBalancerTypes,
		Check: func(r Resource) []string {
			return mustBeTrue(r.Inputs, "deletion protection", "enableDeletionProtection")
		},
	},
}

func isPort80(r Resource) bool {
	n, st := number(r.Inputs, "port")
	return st == known && n == 80
}
