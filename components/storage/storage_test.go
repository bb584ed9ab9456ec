package storage_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/storage"
)

const (
	account     = "123456789012"
	tokyo       = "ap-northeast-1"
	osaka       = "ap-northeast-3"
	bucketName  = "agm-dr-site-123456789012-ap-northeast-1"
	peerBucket  = "agm-dr-site-123456789012-ap-northeast-3"
	keyArn      = "arn:aws:kms:ap-northeast-1:123456789012:key/own"
	peerKeyArn  = "arn:aws:kms:ap-northeast-3:123456789012:alias/agm-dr"
	bucketType  = "aws:s3/bucketV2:BucketV2"
	replType    = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
	rolePolType = "aws:iam/rolePolicy:RolePolicy"
	roleType    = "aws:iam/role:Role"
)

func validArgs(replicate bool) *storage.Args {
	return &storage.Args{
		BucketName: bucketName, PeerBucketName: peerBucket, PeerRegion: osaka, ReplicateToPeer: replicate,
		KmsKeyArn: pulumi.String(keyArn), PeerKmsKeyArn: peerKeyArn, AccountID: account,
	}
}

func run(t *testing.T, args *storage.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := storage.New(ctx, "site", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": tokyo}})
}

// inputs returns a resource's inputs as plain Go values.
func inputs(t *testing.T, res *capture.Result, typ, name string) map[string]any {
	t.Helper()
	r, ok := res.Get(typ, name)
	require.True(t, ok, "%s %s is registered", typ, name)
	return r.Inputs.Mappable()
}

// at walks nested maps and the first element of lists: at(m, "rules", "destination", "bucket").
func at(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, k := range path {
		if l, ok := v.([]any); ok {
			require.NotEmpty(t, l, "list before %q", k)
			v = l[0]
		}
		m, ok := v.(map[string]any)
		require.True(t, ok, "object at %q", k)
		v, ok = m[k]
		require.True(t, ok, "key %q present", k)
	}
	return v
}

var cases = []struct {
	name      string
	replicate bool
}{{"replicating", true}, {"first deploy", false}}

// Guards that hold whether or not the bucket replicates yet.
func TestBucketGuards(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := run(t, validArgs(c.replicate))
			require.NoError(t, err)

			t.Run("BucketBlocksPublicAccess", func(t *testing.T) {
				pab := inputs(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "site-public-access")
				for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
					assert.Equal(t, true, pab[k], k)
				}
			})
			t.Run("BucketIsVersioned", func(t *testing.T) {
				v := inputs(t, res, "aws:s3/bucketVersioningV2:BucketVersioningV2", "site-versioning")
				assert.Equal(t, "Enabled", at(t, v, "versioningConfiguration", "status"))
			})
			t.Run("BucketEncryptsWithRegionKey", func(t *testing.T) {
				e := inputs(t, res, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "site-encryption")
				assert.Equal(t, "aws:kms", at(t, e, "rules", "applyServerSideEncryptionByDefault", "sseAlgorithm"))
				assert.Equal(t, keyArn, at(t, e, "rules", "applyServerSideEncryptionByDefault", "kmsMasterKeyId"))
				assert.Equal(t, true, at(t, e, "rules", "bucketKeyEnabled"))
			})
			t.Run("BucketOwnerEnforced", func(t *testing.T) {
				o := inputs(t, res, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "site-ownership")
				assert.Equal(t, "BucketOwnerEnforced", at(t, o, "rule", "objectOwnership"))
			})
			t.Run("BucketIsTLSOnly", func(t *testing.T) {
				p := inputs(t, res, "aws:s3/bucketPolicy:BucketPolicy", "site-policy")
				var doc struct{ Statement []map[string]any }
				require.NoError(t, json.Unmarshal([]byte(p["policy"].(string)), &doc))
				var denies int
				for _, s := range doc.Statement {
					if s["Effect"] == "Allow" {
						assert.NotEqual(t, "*", s["Principal"], "no Allow to everyone")
						continue
					}
					if at(t, s, "Condition", "Bool", "aws:SecureTransport") == "false" {
						denies++
					}
				}
				assert.Equal(t, 1, denies, "one statement denies non-TLS access")
			})
			t.Run("BucketIsProtectedNeverForceDestroyed", func(t *testing.T) {
				b, ok := res.Get(bucketType, "site")
				require.True(t, ok)
				assert.Equal(t, bucketName, b.Inputs["bucket"].StringValue())
				assert.True(t, b.Protect, "bucket protected")
				assert.True(t, b.RetainOnDelete, "bucket retained on delete")
				assert.False(t, b.Inputs["forceDestroy"].BoolValue(), "forceDestroy must never be true")
			})
			t.Run("ReplicationOnlyWhenAsked", func(t *testing.T) {
				assert.Len(t, res.Find(replType), map[bool]int{true: 1, false: 0}[c.replicate])
				assert.Len(t, res.Find(roleType), map[bool]int{true: 1, false: 0}[c.replicate])
			})
		})
	}
}

func TestReplicationRule(t *testing.T) {
	res, err := run(t, validArgs(true))
	require.NoError(t, err)
	cfg := inputs(t, res, replType, "site-replication")
	rule := at(t, cfg, "rules")
	assert.Equal(t, "Enabled", at(t, rule, "status"))
	assert.Equal(t, map[string]any{}, at(t, rule, "filter"), "an empty filter selects the whole bucket")
	assert.Equal(t, "Enabled", at(t, rule, "deleteMarkerReplication", "status"), "delete markers replicate")
	assert.Equal(t, "Enabled", at(t, rule, "sourceSelectionCriteria", "replicaModifications", "status"), "replica modifications sync back")
	assert.Equal(t, "Enabled", at(t, rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status"), "SSE-KMS objects selected")

	dst := at(t, rule, "destination")
	assert.Equal(t, "arn:aws:s3:::"+peerBucket, at(t, dst, "bucket"))
	assert.Equal(t, "STANDARD", at(t, dst, "storageClass"))
	assert.Equal(t, peerKeyArn, at(t, dst, "encryptionConfiguration", "replicaKmsKeyId"), "replicas use the peer's key")
	assert.Equal(t, "Enabled", at(t, dst, "replicationTime", "status"), "RTC on")
	assert.Equal(t, float64(15), at(t, dst, "replicationTime", "time", "minutes"))
	assert.Equal(t, "Enabled", at(t, dst, "metrics", "status"), "replication metrics on")
	assert.Equal(t, float64(15), at(t, dst, "metrics", "eventThreshold", "minutes"))

	r, _ := res.Get(replType, "site-replication")
	dependsOn := func(typ, name string) bool {
		for _, urn := range r.DependsOn {
			if strings.HasSuffix(urn, "$"+typ+"::"+name) {
				return true
			}
		}
		return false
	}
	assert.True(t, dependsOn("aws:s3/bucketVersioningV2:BucketVersioningV2", "site-versioning"), "replication waits for versioning")
	assert.True(t, dependsOn(rolePolType, "site-replication"), "replication waits for the role's permissions")
}

func TestReplicationRoleIsLeastPrivilege(t *testing.T) {
	res, err := run(t, validArgs(true))
	require.NoError(t, err)
	var doc struct {
		Statement []struct {
			Sid       string
			Effect    string
			Action    []string
			Resource  []string
			Condition map[string]map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(inputs(t, res, rolePolType, "site-replication")["policy"].(string)), &doc))
	bySid := map[string]int{}
	for i, s := range doc.Statement {
		bySid[s.Sid] = i
		assert.Equal(t, "Allow", s.Effect)
		for _, r := range s.Resource {
			assert.NotEqual(t, "*", r, "%s names its resources", s.Sid)
		}
		for _, a := range s.Action {
			assert.NotContains(t, a, "*", "%s lists actions explicitly", s.Sid)
		}
	}
	dec := doc.Statement[bySid["DecryptSourceObjects"]]
	assert.Equal(t, []string{keyArn}, dec.Resource)
	assert.Equal(t, "s3."+tokyo+".amazonaws.com", dec.Condition["StringEquals"]["kms:ViaService"])

	enc := doc.Statement[bySid["EncryptReplicasWithPeerKey"]]
	assert.Equal(t, []string{"kms:Encrypt"}, enc.Action)
	assert.Equal(t, []string{"arn:aws:kms:" + osaka + ":" + account + ":key/*"}, enc.Resource, "alias ARNs cannot be IAM resources")
	assert.Equal(t, "alias/agm-dr", enc.Condition["ForAnyValue:StringEquals"]["kms:ResourceAliases"])
	assert.Equal(t, "s3."+osaka+".amazonaws.com", enc.Condition["StringEquals"]["kms:ViaService"])

	write := doc.Statement[bySid["WriteReplicas"]]
	assert.Equal(t, []string{"arn:aws:s3:::" + peerBucket + "/*"}, write.Resource)

	trust := inputs(t, res, roleType, "site-replication")["assumeRolePolicy"].(string)
	assert.Contains(t, trust, `"Service":"s3.amazonaws.com"`)
}

func TestBadArgsAreErrors(t *testing.T) {
	cases := map[string]func(a *storage.Args){
		"uppercase bucket":       func(a *storage.Args) { a.BucketName = "Agm-Site" },
		"same bucket as peer":    func(a *storage.Args) { a.PeerBucketName = a.BucketName },
		"no peer region":         func(a *storage.Args) { a.PeerRegion = "" },
		"peer is this region":    func(a *storage.Args) { a.Region = osaka },
		"no key":                 func(a *storage.Args) { a.KmsKeyArn = nil },
		"peer key in own region": func(a *storage.Args) { a.PeerKmsKeyArn = "arn:aws:kms:ap-northeast-1:123456789012:alias/agm-dr" },
		"bad account":            func(a *storage.Args) { a.AccountID = "42" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			a := validArgs(true)
			mutate(a)
			_, err := run(t, a)
			assert.Error(t, err)
		})
	}
	t.Run("nil args", func(t *testing.T) {
		_, err := run(t, nil)
		assert.Error(t, err)
	})
}
