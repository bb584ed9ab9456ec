package switchover_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// The AWS SDK resends a request whose answer was lost on the connection, even a
// non-idempotent one (aws-sdk-go-v2 aws/retry, RetryableConnectionError). When the
// first send went through and the change finished before the resend arrived, AWS
// refuses the resend because the target already holds the role. The engine reads
// the roles again and counts that as done, instead of failing a switchover that
// happened.
func TestRoleChangeResentAfterItFinishedIsDone(t *testing.T) {
	for _, mode := range []switchover.Mode{switchover.Planned, switchover.Unplanned} {
		t.Run("aurora "+string(mode), func(t *testing.T) {
			w, a, l := osakaEngine(t)
			w.ResendNextRoleChange()
			out, err := a.EnsureWriter(context.Background(), toOsaka, fast(mode))
			require.NoError(t, err, l)
			assert.Equal(t, osArn, w.Writer(gcID))
			assert.Equal(t, osaka, out.Actual)
			assert.Contains(t, l.String(), "already is the writer")
		})
		t.Run("cache "+string(mode), func(t *testing.T) {
			w, c, l := osakaCache(t)
			w.ResendNextRoleChange()
			out, err := c.EnsurePrimary(context.Background(), cacheToOsaka, fast(mode))
			require.NoError(t, err, l)
			id, region := w.Primary(dsID)
			assert.Equal(t, "agm-osaka", id)
			assert.Equal(t, osaka, region)
			assert.Equal(t, osaka, out.Actual)
			assert.Contains(t, l.String(), "already is the primary")
		})
	}
}

// A refusal that the fresh read does not explain stays an error.
func TestRoleChangeRefusedWithoutTheChangeIsAnError(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.FailNext("SwitchoverGlobalCluster", switchovertest.APIError("InvalidParameterValue", "no"))
	_, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	require.Error(t, err)
	assert.Equal(t, tkArn, w.Writer(gcID))

	wc, c, _ := osakaCache(t)
	wc.FailNext("FailoverGlobalReplicationGroup", switchovertest.APIError("InvalidParameterValue", "no"))
	_, err = c.EnsurePrimary(context.Background(), cacheToOsaka, fast(switchover.Planned))
	require.Error(t, err)
}
