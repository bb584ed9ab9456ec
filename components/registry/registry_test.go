package registry_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/registry"
)

const (
	repoType      = "aws:ecr/repository:Repository"
	replType      = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
	lifecycleType = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	account       = "123456789012"
	tokyo         = "ap-northeast-1"
	osaka         = "ap-northeast-3"
	keyArn        = "arn:aws:kms:ap-northeast-1:123456789012:key/own"
)

func validArgs(home bool) *registry.Args {
	return &registry.Args{
		RepositoryName: "agm-dr/app", IsHome: home, PeerDeployed: true, PeerRegion: osaka, AccountID: account,
		Region: tokyo, KmsKeyArn: pulumi.String(keyArn),
	}
}

func run(t *testing.T, args *registry.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := registry.New(ctx, "registry", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": tokyo}})
}

func TestRepositoryTagsAreImmutable(t *testing.T) {
	for _, home := range []bool{true, false} {
		res, err := run(t, validArgs(home))
		require.NoError(t, err)
		repo, ok := res.Get(repoType, "registry")
		require.True(t, ok)
		in := repo.Inputs.Mappable()
		assert.Equal(t, "agm-dr/app", in["name"])
		assert.Equal(t, "IMMUTABLE", in["imageTagMutability"], "home=%v: a tag names one image", home)
		assert.Equal(t, map[string]any{"scanOnPush": true}, in["imageScanningConfiguration"])
		assert.Equal(t, []any{map[string]any{"encryptionType": "KMS", "kmsKey": keyArn}}, in["encryptionConfigurations"])
		assert.Equal(t, false, in["forceDelete"])
		assert.True(t, repo.Protect, "repository protected")
		assert.True(t, repo.RetainOnDelete, "repository retained on delete")
	}
}

func TestReplicationOnlyFromHomeToPeer(t *testing.T) {
	cases := []struct {
		name         string
		home, peerUp bool
		want         int
	}{
		{"home replicates", true, true, 1},
		{"peer does not", false, true, 0},
		// Before the peer's repository exists, ECR would create it on the first push and the
		// peer stack's create would fail (RepositoryAlreadyExists).
		{"home waits for the peer's repository", true, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := validArgs(c.home)
			a.PeerDeployed = c.peerUp
			res, err := run(t, a)
			require.NoError(t, err)
			repl := res.Find(replType)
			require.Len(t, repl, c.want)
			if c.want == 0 {
				return
			}
			rule := repl[0].Inputs.Mappable()["replicationConfiguration"].(map[string]any)["rules"].([]any)
			require.Len(t, rule, 1)
			r := rule[0].(map[string]any)
			assert.Equal(t, []any{map[string]any{"region": osaka, "registryId": account}}, r["destinations"])
			assert.Equal(t, []any{map[string]any{"filter": "agm-dr/app", "filterType": "PREFIX_MATCH"}}, r["repositoryFilters"])
		})
	}
}

func TestLifecycleKeepsNewestImages(t *testing.T) {
	for _, c := range []struct{ keep, want int }{{0, registry.DefaultKeepImages}, {30, 30}} {
		a := validArgs(true)
		a.KeepImages = c.keep
		res, err := run(t, a)
		require.NoError(t, err)
		l := res.Find(lifecycleType)
		require.Len(t, l, 1)
		var doc struct {
			Rules []struct {
				Selection struct {
					CountType   string
					CountNumber int
				}
				Action struct{ Type string }
			}
		}
		require.NoError(t, json.Unmarshal([]byte(l[0].Inputs["policy"].StringValue()), &doc))
		require.Len(t, doc.Rules, 1)
		assert.Equal(t, "imageCountMoreThan", doc.Rules[0].Selection.CountType)
		assert.Equal(t, c.want, doc.Rules[0].Selection.CountNumber)
		assert.Equal(t, "expire", doc.Rules[0].Action.Type)
	}
}

func TestImageRef(t *testing.T) {
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	cases := []struct {
		name, region, ref, want string
	}{
		{"tag in tokyo", tokyo, "v1.2.3", "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app:v1.2.3"},
		{"tag in osaka", osaka, "v1.2.3", "123456789012.dkr.ecr.ap-northeast-3.amazonaws.com/agm-dr/app:v1.2.3"},
		{"digest", tokyo, digest, "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app@" + digest},
		{"digest with @", osaka, "@" + digest, "123456789012.dkr.ecr.ap-northeast-3.amazonaws.com/agm-dr/app@" + digest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, registry.ImageRef(account, c.region, "agm-dr/app", c.ref))
		})
	}
}

func TestBadArgsAreErrors(t *testing.T) {
	cases := map[string]func(a *registry.Args){
		"uppercase repo":      func(a *registry.Args) { a.RepositoryName = "AGM/App" },
		"peer is this region": func(a *registry.Args) { a.PeerRegion = tokyo },
		"no region":           func(a *registry.Args) { a.Region = "" },
		"bad account":         func(a *registry.Args) { a.AccountID = "1" },
		"no key":              func(a *registry.Args) { a.KmsKeyArn = nil },
		"negative keep":       func(a *registry.Args) { a.KeepImages = -1 },
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
