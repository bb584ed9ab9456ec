package policy

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Network resource types.
const (
	TypeVpc                  = "aws:ec2/vpc:Vpc"
	TypeSecurityGroup        = "aws:ec2/securityGroup:SecurityGroup"
	TypeSecurityGroupRule    = "aws:ec2/securityGroupRule:SecurityGroupRule"
	TypeIngressRule          = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	TypeDefaultSecurityGroup = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	TypeFlowLog              = "aws:ec2/flowLog:FlowLog"
)

// publicPorts are the only ports open to the internet, and only on a load balancer.
var publicPorts = map[float64]bool{80: true, 443: true}

var networkStackRules = []StackRule{
	{
		ID:          "AGM-NET-001",
		Description: "no security group admits 0.0.0.0/0 or ::/0, except TCP 443 and 80 on a load balancer's group",
		Checkov:     []string{"CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277"},
		SecurityHub: []string{"EC2.18", "EC2.19"},
		Check:       checkOpenIngress,
	},
	{
		ID:          "AGM-NET-002",
		Description: "every VPC's default security group is adopted and allows no traffic",
		Checkov:     []string{"CKV2_AWS_12"},
		SecurityHub: []string{"EC2.2"},
		Check:       checkDefaultSecurityGroups,
	},
	{
		ID:          "AGM-NET-003",
		Description: "every VPC has a flow log (ALL or REJECT traffic)",
		Checkov:     []string{"CKV2_AWS_11"},
		SecurityHub: []string{"EC2.6"},
		Check:       checkFlowLogs,
	},
}

// ingress is one inbound permission, wherever it was declared.
type ingress struct {
	protocol string
	from, to float64
	open     bool // from 0.0.0.0/0 or ::/0
}

func ingressOf(m resource.PropertyMap, cidrKeys ...string) ingress {
	in := ingress{}
	in.protocol, _ = str(m, "protocol")
	if p, st := str(m, "ipProtocol"); st == known {
		in.protocol = p
	}
	in.from, _ = number(m, "fromPort")
	in.to, _ = number(m, "toPort")
	for _, k := range cidrKeys {
		if one, st := str(m, k); st == known && (one == "0.0.0.0/0" || one == "::/0") {
			in.open = true
		}
		if many, _ := strs(m, k); contains(many, "0.0.0.0/0") || contains(many, "::/0") {
			in.open = true
		}
	}
	return in
}

func (in ingress) allowedOnLoadBalancer() bool {
	return (in.protocol == "tcp" || in.protocol == "6") && in.from == in.to && publicPorts[in.from]
}

func (in ingress) String() string {
	return fmt.Sprintf("%s %g-%g", in.protocol, in.from, in.to)
}

func checkOpenIngress(rs []Resource) []Violation {
	lbGroups := map[string]bool{} // keys of security groups attached to a load balancer
	for _, lb := range ofType(rs, loadBalancerTypes...) {
		for _, u := range lb.depsOf("securityGroups") {
			lbGroups[urnKey(u)] = true
		}
	}
	var out []Violation
	report := func(r Resource, group string, in ingress) {
		if !in.open {
			return
		}
		if lbGroups[group] && in.allowedOnLoadBalancer() {
			return
		}
		out = append(out, r.violation("AGM-NET-001", "ingress %s is open to the internet", in))
	}
	cidrs := []string{"cidrBlocks", "ipv6CidrBlocks", "cidrIpv4", "cidrIpv6"}
	for _, sg := range ofType(rs, TypeSecurityGroup) {
		rules, _ := list(sg.Inputs, "ingress")
		for _, m := range rules {
			report(sg, sg.Key(), ingressOf(m, cidrs...))
		}
	}
	for _, r := range ofType(rs, TypeSecurityGroupRule, TypeIngressRule) {
		if t, st := str(r.Inputs, "type"); r.Type == TypeSecurityGroupRule && (st != known || t != "ingress") {
			continue
		}
		group := ""
		for _, sg := range ofType(rs, TypeSecurityGroup) {
			if r.dependsOnKey("securityGroupId", sg.Key()) && lbGroups[sg.Key()] {
				group = sg.Key()
			}
		}
		report(r, group, ingressOf(r.Inputs, cidrs...))
	}
	return out
}

func checkDefaultSecurityGroups(rs []Resource) []Violation {
	var out []Violation
	for _, d := range ofType(rs, TypeDefaultSecurityGroup) {
		for _, dir := range []string{"ingress", "egress"} {
			if rules, st := list(d.Inputs, dir); st == known && len(rules) > 0 {
				out = append(out, d.violation("AGM-NET-002", "the default security group has %d %s rule(s)", len(rules), dir))
			}
		}
	}
	for _, vpc := range ofType(rs, TypeVpc) {
		if len(referring(rs, TypeDefaultSecurityGroup, "vpcId", vpc)) == 0 {
			out = append(out, vpc.violation("AGM-NET-002", "no DefaultSecurityGroup adopts this VPC's default group, which allows all traffic between its members"))
		}
	}
	return out
}

func checkFlowLogs(rs []Resource) []Violation {
	var out []Violation
	for _, vpc := range ofType(rs, TypeVpc) {
		logs := referring(rs, TypeFlowLog, "vpcId", vpc)
		if len(logs) == 0 {
			out = append(out, vpc.violation("AGM-NET-003", "no flow log"))
			continue
		}
		for _, l := range logs {
			if t, st := str(l.Inputs, "trafficType"); st == known && t != "ALL" && t != "REJECT" {
				out = append(out, l.violation("AGM-NET-003", "trafficType %s misses rejected traffic", t))
			}
		}
	}
	return out
}
