package queue_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/queue"
)

const (
	queueType  = "aws:sqs/queue:Queue"
	policyType = "aws:sqs/queuePolicy:QueuePolicy"
	allowType  = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"
	keyArn     = "arn:aws:kms:ap-northeast-1:123456789012:key/test"
	// the capture mock's ARN for a resource named n
	mockArn = "arn:aws:mock:ap-northeast-1:123456789012:"
)

func validArgs() *queue.Args {
	return &queue.Args{
		KmsKeyArn: pulumi.String(keyArn), MaxReceiveCount: 5, VisibilityTimeoutSeconds: 60,
		RetentionSeconds: 4 * 24 * 3600, AccountID: "123456789012",
	}
}

func run(t *testing.T, args *queue.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := queue.New(ctx, "votes", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
}

func mustRun(t *testing.T) *capture.Result {
	t.Helper()
	res, err := run(t, validArgs())
	require.NoError(t, err)
	return res
}

func get(t *testing.T, res *capture.Result, typ, name string) capture.Resource {
	t.Helper()
	r, ok := res.Get(typ, name)
	require.True(t, ok, "%s %s is registered", typ, name)
	return r
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m), s)
	return m
}

func TestQueuesEncryptedWithGivenKey(t *testing.T) {
	res := mustRun(t)
	for _, n := range []string{"votes", "votes-dlq"} {
		q := get(t, res, queueType, n)
		assert.Equal(t, keyArn, q.Inputs["kmsMasterKeyId"].StringValue(), "%s must use the region's key", n)
		assert.True(t, q.RetainOnDelete, "%s is retained on delete", n)
	}
}

func TestQueueRedrivesToDLQ(t *testing.T) {
	res := mustRun(t)
	main := get(t, res, queueType, "votes")
	rp := decode(t, main.Inputs["redrivePolicy"].StringValue())
	assert.Equal(t, mockArn+"votes-dlq", rp["deadLetterTargetArn"])
	assert.Equal(t, float64(5), rp["maxReceiveCount"])

	dlq := get(t, res, queueType, "votes-dlq")
	assert.Equal(t, float64(14*24*3600), dlq.Inputs["messageRetentionSeconds"].NumberValue())

	allow := get(t, res, allowType, "votes-dlq-redrive-allow")
	ap := decode(t, allow.Inputs["redriveAllowPolicy"].StringValue())
	assert.Equal(t, "byQueue", ap["redrivePermission"])
	assert.Equal(t, []any{mockArn + "votes"}, ap["sourceQueueArns"], "only the main queue may redrive to the DLQ")
}

func TestQueuesDenyInsecureTransport(t *testing.T) {
	res := mustRun(t)
	for _, n := range []string{"votes-policy", "votes-dlq-policy"} {
		p := decode(t, get(t, res, policyType, n).Inputs["policy"].StringValue())
		stmts := p["Statement"].([]any)
		require.NotEmpty(t, stmts)
		var denies int
		for _, x := range stmts {
			s := x.(map[string]any)
			if s["Effect"] == "Allow" {
				assert.NotEqual(t, "*", s["Principal"], "%s must not allow everyone", n)
				continue
			}
			if cond, ok := s["Condition"].(map[string]any)["Bool"].(map[string]any); ok && cond["aws:SecureTransport"] == "false" {
				denies++
			}
		}
		assert.Equal(t, 1, denies, "%s denies non-TLS access", n)
	}
}

func TestBadArgsAreErrors(t *testing.T) {
	cases := map[string]func(a *queue.Args){
		"maxReceiveCount 0":   func(a *queue.Args) { a.MaxReceiveCount = 0 },
		"maxReceiveCount 11":  func(a *queue.Args) { a.MaxReceiveCount = 11 },
		"no key":              func(a *queue.Args) { a.KmsKeyArn = nil },
		"retention too long":  func(a *queue.Args) { a.RetentionSeconds = 15 * 24 * 3600 },
		"negative visibility": func(a *queue.Args) { a.VisibilityTimeoutSeconds = -1 },
		"bad account":         func(a *queue.Args) { a.AccountID = "12345678901x" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			a := validArgs()
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
