package storage

import (
	"encoding/json"
	"strings"
)

type statement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Principal any                       `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

func document(stmts ...statement) (string, error) {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b), err
}

// tlsOnlyPolicy denies every request made without TLS. It grants nothing: access comes from
// IAM policies in the account.
func tlsOnlyPolicy(bucketArn string) (string, error) {
	return document(statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: "*",
		Action:    []string{"s3:*"},
		Resource:  []string{bucketArn, bucketArn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	})
}

func bucketArn(bucket string) string { return "arn:aws:s3:::" + bucket }

// replicationTrust lets S3 assume the replication role on behalf of this account only.
func replicationTrust(accountID string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]string{"Service": "s3.amazonaws.com"},
			"Action":    "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]string{"aws:SourceAccount": accountID}},
		}},
	})
	return string(b), err
}

// replicationFacts are the plain values the replication role's policy is built from.
type replicationFacts struct {
	bucket, peerBucket string
	region, peerRegion string
	accountID          string
	keyArn, peerKeyArn string
}

// replicationPolicy is the least privilege S3 needs to replicate SSE-KMS objects from this
// bucket to the peer's: read versions here, write replicas there, decrypt with this region's
// key and encrypt with the peer's, each only through S3 in that key's region and only for
// these buckets' objects (object ARN, or bucket ARN when S3 Bucket Keys are used).
func replicationPolicy(f replicationFacts) (string, error) {
	src, dst := bucketArn(f.bucket), bucketArn(f.peerBucket)
	encryptOnPeer := statement{
		Sid:      "EncryptReplicasWithPeerKey",
		Effect:   "Allow",
		Action:   []string{"kms:Encrypt"},
		Resource: []string{f.peerKeyArn},
		Condition: map[string]map[string]any{
			"StringEquals": {"kms:ViaService": "s3." + f.peerRegion + ".amazonaws.com"},
			"StringLike":   {"kms:EncryptionContext:aws:s3:arn": []string{dst, dst + "/*"}},
		},
	}
	// An alias ARN cannot be an IAM Resource (it would match the alias, not the key): name the
	// region's keys and require that alias on the key instead.
	if i := strings.Index(f.peerKeyArn, ":alias/"); i >= 0 {
		encryptOnPeer.Resource = []string{f.peerKeyArn[:i] + ":key/*"}
		encryptOnPeer.Condition["ForAnyValue:StringEquals"] = map[string]any{"kms:ResourceAliases": f.peerKeyArn[i+1:]}
	}
	return document(
		statement{
			Sid:      "ReadReplicationConfiguration",
			Effect:   "Allow",
			Action:   []string{"s3:GetReplicationConfiguration", "s3:ListBucket"},
			Resource: []string{src},
		},
		statement{
			Sid:      "ReadSourceVersions",
			Effect:   "Allow",
			Action:   []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"},
			Resource: []string{src + "/*"},
		},
		statement{
			Sid:      "WriteReplicas",
			Effect:   "Allow",
			Action:   []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"},
			Resource: []string{dst + "/*"},
		},
		statement{
			Sid:      "DecryptSourceObjects",
			Effect:   "Allow",
			Action:   []string{"kms:Decrypt"},
			Resource: []string{f.keyArn},
			Condition: map[string]map[string]any{
				"StringEquals": {"kms:ViaService": "s3." + f.region + ".amazonaws.com"},
				"StringLike":   {"kms:EncryptionContext:aws:s3:arn": []string{src, src + "/*"}},
			},
		},
		encryptOnPeer,
	)
}
