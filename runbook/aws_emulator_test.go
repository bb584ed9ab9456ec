package runbook_test

import (
	"context"
	"fmt"
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
	// The emulator sometimes closes a connection under the SDK while the response is being
	// read; the SDK then retries, and a retried SendMessage may be delivered twice. So the
	// test does not assume how many copies arrived: it takes every message in (they become
	// in flight) and expects the reader to count exactly those, none of them visible.
	q := sqs.NewFromConfig(cfg)
	created, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(fmt.Sprintf("drctl-%d", time.Now().UnixNano()))})
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		_, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: created.QueueUrl, MessageBody: aws.String(fmt.Sprintf("vote-%d", i))})
		require.NoError(t, err)
	}
	taken, bodies := 0, map[string]bool{}
	for {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: created.QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300})
		require.NoError(t, err)
		if len(out.Messages) == 0 {
			break
		}
		for _, m := range out.Messages {
			taken++
			bodies[aws.ToString(m.Body)] = true
		}
	}
	require.Len(t, bodies, 3, "every vote sent is in the queue")
	tokyo, err := runbook.NewAWS(ctx, config.Tokyo)
	require.NoError(t, err)
	depth, err := tokyo.Queue(ctx, aws.ToString(created.QueueUrl))
	require.NoError(t, err)
	assert.Equal(t, 0, depth.Visible)
	assert.Equal(t, taken, depth.InFlight, "messages being processed still count")
	assert.Equal(t, taken, depth.Depth())
}
