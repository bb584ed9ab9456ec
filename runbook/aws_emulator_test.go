package runbook_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// TestAWSReaderAgainstTheEmulator reads the writer of a global cluster and a queue's depth
// through the real AWS SDK clients, from the ministack emulator (AGMDR_MINISTACK_URL).
func TestAWSReaderAgainstTheEmulator(t *testing.T) {
	switchovertest.UseEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	gc := switchovertest.NewEmulatorCluster(t, config.Tokyo, config.Osaka)

	osaka, err := runbook.NewAWS(ctx, config.Osaka)
	require.NoError(t, err)
	writer, err := osaka.GlobalWriter(ctx, gc.GlobalID)
	require.NoError(t, err)
	assert.Equal(t, config.Tokyo, writer, "seen from osaka, the writer is in tokyo")

	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(config.Tokyo))
	require.NoError(t, err)
	// No retries and no reused connections: a SendMessage retried after the emulator closed
	// a kept-alive connection under load was delivered twice, and the count was off by one.
	q := sqs.NewFromConfig(cfg, func(o *sqs.Options) {
		o.RetryMaxAttempts = 1
		o.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	})
	created, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(fmt.Sprintf("drctl-%d", time.Now().UnixNano()))})
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		_, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: created.QueueUrl, MessageBody: aws.String("vote")})
		require.NoError(t, err)
	}
	tokyo, err := runbook.NewAWS(ctx, config.Tokyo)
	require.NoError(t, err)
	depth, err := tokyo.Queue(ctx, aws.ToString(created.QueueUrl))
	require.NoError(t, err)
	assert.Equal(t, 3, depth.Depth())
}
