package switchover_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
)

// closedLoopbackURL returns a loopback URL nothing listens on.
func closedLoopbackURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

// TestTargetRegionEndpointDownIsAClearError uses the real SDK client against
// a loopback port that refuses connections: the error must say which
// endpoint did not answer and what to do.
func TestTargetRegionEndpointDownIsAClearError(t *testing.T) {
	client := rds.New(rds.Options{
		Region:           osaka,
		BaseEndpoint:     aws.String(closedLoopbackURL(t)),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
	a := &switchover.Aurora{API: client}
	_, err := a.EnsureWriter(context.Background(), toOsaka, switchover.Options{
		Mode: switchover.Unplanned, Timeout: 5 * time.Second, Poll: time.Millisecond})
	t.Log(err)
	var e *switchover.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "rds:DescribeGlobalClusters", e.API)
	assert.Contains(t, e.Hint, "ap-northeast-3 endpoint did not answer")
	assert.Contains(t, e.Hint, "unplanned")
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]switchover.Mode{"": switchover.Planned, "planned": switchover.Planned, "unplanned": switchover.Unplanned} {
		got, err := switchover.ParseMode(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := switchover.ParseMode("forced")
	assert.Error(t, err)
}

func TestClusterID(t *testing.T) {
	id, err := switchover.ClusterID(osArn)
	require.NoError(t, err)
	assert.Equal(t, "agm-osaka", id)
	for _, bad := range []string{"", "agm-osaka", "arn:aws:rds:ap-northeast-3:1:db:x", "arn:aws:s3:::bucket"} {
		_, err := switchover.ClusterID(bad)
		assert.Error(t, err, bad)
	}
}
