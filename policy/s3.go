package policy

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// S3 resource types. The rules expect the split resources pulumi-aws v6 recommends (a
// BucketV2 plus its versioning, encryption, public access block, ... resources).
const (
	TypeBucketV2          = "aws:s3/bucketV2:BucketV2"
	TypeBucketLegacy      = "aws:s3/bucket:Bucket"
	TypePublicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	TypeVersioning        = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	TypeEncryption        = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	TypeBucketPolicy      = "aws:s3/bucketPolicy:BucketPolicy"
	TypeReplication       = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
	TypeOwnership         = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	TypeBucketACL         = "aws:s3/bucketAclV2:BucketAclV2"
)

// MaxRTCMinutes is the Replication Time Control threshold S3 offers (15 minutes).
const MaxRTCMinutes = 15

var bucketTypes = []string{TypeBucketV2, TypeBucketLegacy}

var s3ResourceRules = []Rule{{
	ID:            "AGM-S3-008",
	Description:   "S3 buckets are never force-destroyed and set no ACL or grants inline",
	ResourceTypes: bucketTypes,
	Check: func(r Resource) []string {
		out := mustNotBeTrue(r.Inputs, "forceDestroy would delete every object with the bucket", "forceDestroy")
		if acl, st := str(r.Inputs, "acl"); st == known && acl != "" {
			out = append(out, fmt.Sprintf("acl %q is set: access must come from IAM and the bucket policy only", acl))
		}
		if g, st := list(r.Inputs, "grants"); st == known && len(g) > 0 {
			out = append(out, "grants are set: access must come from IAM and the bucket policy only")
		}
		return out
	},
}}

// bucketCheck is one S3 stack rule: a check of a bucket against the stack's resources.
type bucketCheck func(b bucketView, rs []Resource) []string

// bucketView is a bucket with the facts the S3 rules share.
type bucketView struct {
	Resource
	name      string // the bucket's name, when given literally
	accessLog bool   // the target of a load balancer's access logs (AWS requires SSE-S3 there)
}

func s3Rule(id, desc string, checkov, hub []string, check bucketCheck) StackRule {
	return StackRule{ID: id, Description: desc, Checkov: checkov, SecurityHub: hub,
		Check: func(rs []Resource) []Violation {
			var out []Violation
			for _, b := range buckets(rs) {
				for _, m := range check(b, rs) {
					out = append(out, b.violation(id, "%s", m))
				}
			}
			return out
		}}
}

func buckets(rs []Resource) []bucketView {
	var out []bucketView
	for _, b := range ofType(rs, bucketTypes...) {
		v := bucketView{Resource: b}
		v.name, _ = str(b.Inputs, "bucket")
		for _, lb := range ofType(rs, loadBalancerTypes...) {
			if n, st := str(lb.Inputs, "accessLogs", "bucket"); (st == known && n != "" && n == v.name) ||
				(st != absent && lb.dependsOnKey("accessLogs", b.Key())) {
				v.accessLog = true
			}
		}
		out = append(out, v)
	}
	return out
}

// companions are the resources of type t attached to bucket b.
func (b bucketView) companions(rs []Resource, t string) []Resource {
	return referring(rs, t, "bucket", b.Resource, b.name)
}

var s3StackRules = []StackRule{
	s3Rule("AGM-S3-001", "S3 buckets block all public access (all four public access block settings)",
		[]string{"CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"}, []string{"S3.8"}, checkPublicAccess),
	s3Rule("AGM-S3-002", "S3 buckets are versioned",
		[]string{"CKV_AWS_21"}, []string{"S3.14"}, checkVersioning),
	s3Rule("AGM-S3-003", "S3 buckets default to SSE-KMS with a customer-managed key (ALB access-log buckets: SSE-S3, the only encryption ALB log delivery supports)",
		nil, []string{"S3.17"}, checkBucketEncryption),
	s3Rule("AGM-S3-004", "S3 bucket policies deny every request made without TLS",
		nil, []string{"S3.5"}, checkTLSOnly),
	s3Rule("AGM-S3-005", fmt.Sprintf("S3 data buckets replicate to another region with Replication Time Control (at most %d minutes) and metrics", MaxRTCMinutes),
		nil, []string{"S3.7"}, checkReplicationRTC),
	s3Rule("AGM-S3-006", "S3 replication also replicates delete markers, replica modifications and SSE-KMS objects (re-encrypted with a key in the destination region)",
		nil, nil, checkReplicationCompleteness),
	s3Rule("AGM-S3-007", "S3 buckets disable ACLs (object ownership BucketOwnerEnforced, no ACL resources)",
		[]string{"CKV2_AWS_65"}, []string{"S3.12"}, checkNoACLs),
}

func checkPublicAccess(b bucketView, rs []Resource) []string {
	blocks := b.companions(rs, TypePublicAccessBlock)
	if len(blocks) == 0 {
		return []string{"no BucketPublicAccessBlock"}
	}
	var out []string
	for _, p := range blocks {
		for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			out = append(out, mustBeTrue(p.Inputs, "public access block "+p.Name, k)...)
		}
	}
	return out
}

func checkVersioning(b bucketView, rs []Resource) []string {
	vs := b.companions(rs, TypeVersioning)
	if len(vs) == 0 {
		return []string{"no BucketVersioningV2: overwritten and deleted objects cannot be recovered"}
	}
	for _, v := range vs {
		if s, st := str(v.Inputs, "versioningConfiguration", "status"); st == known && s != "Enabled" {
			return []string{fmt.Sprintf("versioning status is %q, not Enabled", s)}
		}
	}
	return nil
}

func checkBucketEncryption(b bucketView, rs []Resource) []string {
	encs := b.companions(rs, TypeEncryption)
	if len(encs) == 0 {
		return []string{"no BucketServerSideEncryptionConfigurationV2"}
	}
	var out []string
	for _, e := range encs {
		rules, st := list(e.Inputs, "rules")
		if st == unknown {
			continue
		}
		if len(rules) == 0 {
			out = append(out, "encryption configuration has no rules")
		}
		for _, r := range rules {
			alg, ast := str(r, "applyServerSideEncryptionByDefault", "sseAlgorithm")
			switch {
			case ast == unknown:
			case b.accessLog && alg == "AES256":
			case b.accessLog:
				out = append(out, fmt.Sprintf("access-log bucket uses %q; ALB log delivery supports only SSE-S3 (AES256)", alg))
			case alg != "aws:kms" && alg != "aws:kms:dsse":
				out = append(out, fmt.Sprintf("default encryption is %q, not SSE-KMS (aws:kms)", alg))
			default:
				out = append(out, customerKey(r, "default encryption", "applyServerSideEncryptionByDefault", "kmsMasterKeyId")...)
			}
		}
	}
	return out
}

func checkTLSOnly(b bucketView, rs []Resource) []string {
	pols := b.companions(rs, TypeBucketPolicy)
	if len(pols) == 0 {
		return []string{"no BucketPolicy: requests without TLS are not denied"}
	}
	for _, p := range pols {
		doc, ok, err := policyDoc(p.Inputs, "policy")
		if err != nil {
			return []string{err.Error()}
		}
		if !ok || doc.deniesInsecureTransport("s3") {
			return nil
		}
	}
	return []string{"the bucket policy does not deny s3:* to everyone when aws:SecureTransport is false, on the bucket and its objects"}
}

// enabledReplicationRules returns the Enabled rules of the bucket's replication configurations.
func enabledReplicationRules(b bucketView, rs []Resource) (rules []resource.PropertyMap, st state) {
	for _, c := range b.companions(rs, TypeReplication) {
		rr, rst := list(c.Inputs, "rules")
		if rst == unknown {
			return nil, unknown
		}
		for _, r := range rr {
			if s, _ := str(r, "status"); s == "Enabled" {
				rules = append(rules, r)
			}
		}
	}
	if len(rules) == 0 {
		return nil, absent
	}
	return rules, known
}

func checkReplicationRTC(b bucketView, rs []Resource) []string {
	if b.accessLog {
		return nil // access logs are per-region evidence, not data the peer serves
	}
	rules, st := enabledReplicationRules(b, rs)
	switch st {
	case unknown:
		return nil
	case absent:
		return []string{"no enabled replication rule: the bucket is not replicated to the peer region"}
	}
	var out []string
	for _, r := range rules {
		id, _ := str(r, "id")
		if s, st := str(r, "destination", "replicationTime", "status"); st != unknown && s != "Enabled" {
			out = append(out, fmt.Sprintf("rule %q: Replication Time Control is not enabled", id))
		} else if m, st := number(r, "destination", "replicationTime", "time", "minutes"); st == known && m > MaxRTCMinutes {
			out = append(out, fmt.Sprintf("rule %q: Replication Time Control threshold is %g minutes; want at most %d", id, m, MaxRTCMinutes))
		}
		if s, st := str(r, "destination", "metrics", "status"); st != unknown && s != "Enabled" {
			out = append(out, fmt.Sprintf("rule %q: replication metrics are off, so late replication raises no alarm", id))
		}
	}
	return out
}

func checkReplicationCompleteness(b bucketView, rs []Resource) []string {
	if b.accessLog {
		return nil
	}
	rules, st := enabledReplicationRules(b, rs)
	if st != known {
		return nil // AGM-S3-005 reports a missing replication
	}
	var out []string
	for _, r := range rules {
		id, _ := str(r, "id")
		checks := []struct {
			path []string
			what string
		}{
			{[]string{"deleteMarkerReplication", "status"}, "delete markers are not replicated"},
			{[]string{"sourceSelectionCriteria", "replicaModifications", "status"}, "replica modifications are not synced back"},
			{[]string{"sourceSelectionCriteria", "sseKmsEncryptedObjects", "status"}, "SSE-KMS objects are not selected, so S3 skips them"},
		}
		for _, c := range checks {
			if s, st := str(r, c.path...); st != unknown && s != "Enabled" {
				out = append(out, fmt.Sprintf("rule %q: %s", id, c.what))
			}
		}
		if k, st := str(r, "destination", "encryptionConfiguration", "replicaKmsKeyId"); st == absent || (st == known && k == "") {
			out = append(out, fmt.Sprintf("rule %q: no replicaKmsKeyId: replicas cannot be encrypted with the destination region's key", id))
		}
	}
	return out
}

func checkNoACLs(b bucketView, rs []Resource) []string {
	var out []string
	for _, a := range b.companions(rs, TypeBucketACL) {
		out = append(out, "BucketAclV2 "+a.Name+" manages access with an ACL")
	}
	owns := b.companions(rs, TypeOwnership)
	if len(owns) == 0 {
		return append(out, "no BucketOwnershipControls: ACLs stay enabled")
	}
	for _, o := range owns {
		if s, st := str(o.Inputs, "rule", "objectOwnership"); st == known && s != "BucketOwnerEnforced" {
			out = append(out, fmt.Sprintf("object ownership is %q, not BucketOwnerEnforced (ACLs disabled)", s))
		}
	}
	return out
}
