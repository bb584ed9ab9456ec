package policy

import "strings"

// The hosted zone rules: DNSSEC signing and query logging of a zone the program creates.

func checkZoneDNSSEC(rs []Resource) []Violation {
	var out []Violation
	for _, z := range ofType(rs, TypeZone) {
		ksks := referring(rs, TypeKeySigningKey, "hostedZoneId", z)
		if len(ksks) == 0 {
			out = append(out, z.violation("AGM-DNS-001", "no DNSSEC key-signing key: answers for this zone can be spoofed"))
			continue
		}
		signed := false
		for _, d := range ofType(rs, TypeHostedZoneDNSSEC) {
			if s, st := str(d.Inputs, "signingStatus"); st == known && s != "SIGNING" && s != "" {
				continue
			}
			if d.refers("hostedZoneId", z) {
				signed = true
			}
			for _, k := range ksks {
				if d.refers("hostedZoneId", k) {
					signed = true
				}
			}
		}
		if !signed {
			out = append(out, z.violation("AGM-DNS-001", "DNSSEC signing is not on (HostedZoneDnsSec SIGNING)"))
		}
		for _, k := range ksks {
			for _, key := range ofType(rs, TypeKmsKey) {
				if !k.refers("keyManagementServiceArn", key) {
					continue
				}
				if s, st := str(key.Inputs, "customerMasterKeySpec"); st == known && s != "ECC_NIST_P256" {
					out = append(out, z.violation("AGM-DNS-001", "key-signing key %s uses a %s KMS key; Route 53 needs ECC_NIST_P256", k.Name, s))
				}
			}
		}
	}
	return out
}

func checkZoneQueryLog(rs []Resource) []Violation {
	var out []Violation
	for _, z := range ofType(rs, TypeZone) {
		logs := referring(rs, TypeQueryLog, "zoneId", z)
		if len(logs) == 0 {
			out = append(out, z.violation("AGM-DNS-002", "no query logging: who asked for the service's names is not recorded"))
			continue
		}
		for _, l := range logs {
			if v, st := str(l.Inputs, "cloudwatchLogGroupArn"); st == known && !strings.Contains(v, ":us-east-1:") && !hasLogGroupDep(l, rs) {
				out = append(out, z.violation("AGM-DNS-002", "query log group %s is not in us-east-1", v))
			}
		}
	}
	return out
}

func hasLogGroupDep(l Resource, rs []Resource) bool {
	for _, g := range ofType(rs, TypeLogGroup) {
		if l.refers("cloudwatchLogGroupArn", g) {
			return true
		}
	}
	return false
}
