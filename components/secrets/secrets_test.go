package secrets_test

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/secrets"
)

const (
	secretType   = "aws:secretsmanager/secret:Secret"
	versionType  = "aws:secretsmanager/secretVersion:SecretVersion"
	passwordType = "random:index/randomPassword:RandomPassword"
	keyArn       = "arn:aws:kms:ap-northeast-1:123456789012:key/own"
	peerKeyArn   = "arn:aws:kms:ap-northeast-3:123456789012:alias/agm-dr"
)

func validArgs(home bool) *secrets.Args {
	return &secrets.Args{
		IsHome: home, SecretName: "agm-dr/aurora-master", KmsKeyArn: pulumi.String(keyArn),
		PeerRegion: "ap-northeast-3", PeerKmsKeyArn: peerKeyArn, Length: 32,
	}
}

func run(t *testing.T, args *secrets.Args) (*capture.Result, *secrets.Secret, error) {
	t.Helper()
	var s *secrets.Secret
	res, err := capture.Run(func(ctx *pulumi.Context) error {
		var err error
		s, err = secrets.New(ctx, "db-master", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
	return res, s, err
}

func TestHomeCreatesReplicatedSecret(t *testing.T) {
	res, _, err := run(t, validArgs(true))
	require.NoError(t, err)
	sec, ok := res.Get(secretType, "db-master")
	require.True(t, ok)
	in := sec.Inputs.Mappable()
	assert.Equal(t, "agm-dr/aurora-master", in["name"])
	assert.Equal(t, keyArn, in["kmsKeyId"])
	assert.Equal(t, float64(30), in["recoveryWindowInDays"])
	assert.Equal(t, []any{map[string]any{"region": "ap-northeast-3", "kmsKeyId": peerKeyArn}}, in["replicas"],
		"replicated to the peer with the peer's key")
	assert.True(t, sec.Protect, "secret protected")
	assert.True(t, sec.RetainOnDelete, "secret retained on delete")
	assert.Len(t, res.Find(versionType), 1, "the generated value is stored")
}

func TestGeneratedValueCharset(t *testing.T) {
	for _, special := range []bool{false, true} {
		a := validArgs(true)
		a.Special = special
		res, _, err := run(t, a)
		require.NoError(t, err)
		pw, ok := res.Get(passwordType, "db-master-value")
		require.True(t, ok)
		assert.Equal(t, float64(32), pw.Inputs["length"].NumberValue())
		assert.Equal(t, special, pw.Inputs["special"].BoolValue())
		if special {
			o := pw.Inputs["overrideSpecial"].StringValue()
			assert.NotEmpty(t, o)
			assert.NotContains(t, o, "/")
			assert.NotContains(t, o, "@")
			assert.NotContains(t, o, `"`)
			assert.NotContains(t, o, " ")
		}
	}
}

func TestPeerCreatesNoSecret(t *testing.T) {
	res, s, err := run(t, validArgs(false))
	require.NoError(t, err)
	assert.Empty(t, res.Find(secretType), "the peer only reads its replica")
	assert.Empty(t, res.Find(versionType))
	assert.Empty(t, res.Find(passwordType))
	require.NotNil(t, s)
}

func TestValueIsSecret(t *testing.T) {
	for _, home := range []bool{true, false} {
		_, s, err := run(t, validArgs(home))
		require.NoError(t, err)
		assert.True(t, pulumi.IsSecret(s.Value), "home=%v: the value must be marked secret", home)
	}
}

func TestBadArgsAreErrors(t *testing.T) {
	cases := map[string]func(a *secrets.Args){
		"too short":         func(a *secrets.Args) { a.Length = 15 },
		"too long":          func(a *secrets.Args) { a.Length = 129 },
		"no name":           func(a *secrets.Args) { a.SecretName = "" },
		"home without peer": func(a *secrets.Args) { a.PeerRegion = "" },
		"home without key":  func(a *secrets.Args) { a.KmsKeyArn = nil },
		"no peer key":       func(a *secrets.Args) { a.PeerKmsKeyArn = "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			a := validArgs(true)
			mutate(a)
			_, _, err := run(t, a)
			assert.Error(t, err)
		})
	}
	t.Run("peer too short", func(t *testing.T) {
		a := validArgs(false)
		a.Length = 8
		_, _, err := run(t, a)
		assert.Error(t, err)
	})
	t.Run("nil args", func(t *testing.T) {
		_, _, err := run(t, nil)
		assert.Error(t, err)
	})
}

func TestPeerReadsLocalReplica(t *testing.T) {
	// Outputs resolve asynchronously: receive them on channels rather than racing the run.
	arns, names := make(chan string, 1), make(chan string, 1)
	_, err := capture.Run(func(ctx *pulumi.Context) error {
		s, err := secrets.New(ctx, "db-master", validArgs(false))
		if err != nil {
			return err
		}
		s.SecretArn.ApplyT(func(v string) string { arns <- v; return v })
		s.SecretName.ApplyT(func(v string) string { names <- v; return v })
		return nil
	}, capture.Options{Project: "agm-dr", Stack: "osaka", Config: map[string]string{"aws:region": "ap-northeast-3"}})
	require.NoError(t, err)
	recv := func(c chan string) string {
		select {
		case v := <-c:
			return v
		case <-time.After(5 * time.Second):
			t.Fatal("output never resolved")
			return ""
		}
	}
	assert.Equal(t, "agm-dr/aurora-master", recv(names))
	assert.Contains(t, recv(arns), ":ap-northeast-3:", "the ARN is the replica's, in this region")
}
