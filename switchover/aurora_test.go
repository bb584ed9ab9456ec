package switchover_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// These tests run the engine against the in-process fakes; no emulator.

const (
	tokyo = "ap-northeast-1"
	osaka = "ap-northeast-3"
	tkArn = "arn:aws:rds:ap-northeast-1:123456789012:cluster:agm-tokyo"
	osArn = "arn:aws:rds:ap-northeast-3:123456789012:cluster:agm-osaka"
	gcID  = "agm-global"
)

// fast keeps fake runs in milliseconds.
func fast(mode switchover.Mode) switchover.Options {
	return switchover.Options{Mode: mode, Timeout: 2 * time.Second, Poll: time.Millisecond, RPOBudget: 30 * time.Second}
}

// logs records what the engine reports.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) add(s string)    { l.mu.Lock(); l.lines = append(l.lines, s); l.mu.Unlock() }
func (l *logs) Info(s string)   { l.add("info: " + s) }
func (l *logs) Status(s string) { l.add("status: " + s) }
func (l *logs) Warn(s string)   { l.add("warn: " + s) }
func (l *logs) String() string  { l.mu.Lock(); defer l.mu.Unlock(); return strings.Join(l.lines, "\n") }

// osakaEngine returns a world with Tokyo as writer and the engine as run
// from the Osaka stack (Osaka clients only).
func osakaEngine(t *testing.T) (*switchovertest.World, *switchover.Aurora, *logs) {
	t.Helper()
	w := switchovertest.NewWorld()
	w.AddGlobalCluster(gcID, tkArn, osArn)
	l := &logs{}
	return w, &switchover.Aurora{API: w.RDS(osaka), Lag: w.Lag(osaka), Log: l}, l
}

var toOsaka = switchover.AuroraTarget{GlobalClusterID: gcID, Region: osaka, ClusterArn: osArn}

func TestPlannedSwitchoverMovesWriterWithSwitchoverCall(t *testing.T) {
	w, a, l := osakaEngine(t)
	out, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	assert.Equal(t, osArn, w.Writer(gcID))
	assert.True(t, out.Switched)
	assert.Equal(t, osaka, out.Actual)
	assert.Equal(t, switchover.Planned, out.Mode)
	assert.False(t, out.Finished.Before(out.Started))
	assert.Equal(t, 1, w.Count("SwitchoverGlobalCluster"))
	assert.Zero(t, w.Count("FailoverGlobalCluster"), "planned must never allow data loss")
	assert.Contains(t, l.String(), "preflight passed")
	assert.Contains(t, l.String(), "total ", "progress lines carry elapsed time")
	t.Log(l)
}

func TestUnplannedFailoverAllowsDataLossAndCallsOnlyTheNewPrimaryRegion(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.SetDown(tokyo, true)
	w.Global(gcID).Sync[tkArn] = "pending-resync" // the dead primary looks unhealthy
	out, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Unplanned))
	require.NoError(t, err)
	assert.Equal(t, osArn, w.Writer(gcID))
	assert.Equal(t, switchover.Unplanned, out.Mode)
	calls := w.Calls("")
	require.NotEmpty(t, calls)
	for _, c := range calls {
		assert.Equal(t, osaka, c.Region, "unplanned failover called %s in the old region", c.Op)
		if c.Op == "FailoverGlobalCluster" {
			assert.True(t, c.AllowDataLoss)
		}
	}
	assert.Equal(t, 1, w.Count("FailoverGlobalCluster"))
	assert.Zero(t, w.Count("SwitchoverGlobalCluster"))
}

func TestSecondRunIsNoop(t *testing.T) {
	w, a, l := osakaEngine(t)
	_, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	before := len(w.Calls(""))
	out, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	assert.False(t, out.Switched)
	assert.Equal(t, osaka, out.Actual)
	after := w.Calls("")[before:]
	require.Len(t, after, 1, "a no-op run only reads")
	assert.Equal(t, "DescribeGlobalClusters", after[0].Op)
	assert.Contains(t, l.String(), "nothing to do")
}

func TestAWSErrorOnTheCallNamesAPIResourceAndNextStep(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.FailNext("SwitchoverGlobalCluster", switchovertest.APIError("AccessDeniedException", "not authorized"))
	_, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	var e *switchover.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "rds:SwitchoverGlobalCluster", e.API)
	assert.Contains(t, e.Resource, gcID)
	assert.Contains(t, e.Hint, "credentials")
	assert.Contains(t, err.Error(), "next step")
	assert.Equal(t, tkArn, w.Writer(gcID))
}

func TestTimeoutWhileWaitingSaysTheRerunResumes(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.SwitchPolls = -1 // the switchover never completes
	o := fast(switchover.Planned)
	o.Timeout = 50 * time.Millisecond
	_, err := a.EnsureWriter(context.Background(), toOsaka, o)
	require.ErrorIs(t, err, switchover.ErrTimeout)
	var e *switchover.Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, e.Hint, "resume")

	// The change then completes in AWS; the re-run must not start another.
	w.StartChange(gcID, osArn, false, 1)
	out, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	assert.True(t, out.Switched)
	assert.Equal(t, 1, w.Count("SwitchoverGlobalCluster"), "re-run after timeout issued a second switchover")
	assert.Equal(t, osArn, w.Writer(gcID))
}

func TestChangeAlreadyInFlightToTargetIsAwaitedNotRepeated(t *testing.T) {
	w, a, l := osakaEngine(t)
	w.StartChange(gcID, osArn, true, 3)
	out, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Unplanned))
	require.NoError(t, err)
	assert.True(t, out.Switched)
	assert.Zero(t, w.Count("FailoverGlobalCluster")+w.Count("SwitchoverGlobalCluster"))
	assert.Contains(t, l.String(), "already in flight")
}

func TestChangeInFlightElsewhereIsRefused(t *testing.T) {
	w, _, _ := osakaEngine(t)
	w.StartChange(gcID, osArn, false, -1)
	// Declaring Tokyo (the current writer) while a move to Osaka runs.
	tk := &switchover.Aurora{API: w.RDS(tokyo), Log: switchover.Discard{}}
	_, err := tk.EnsureWriter(context.Background(),
		switchover.AuroraTarget{GlobalClusterID: gcID, Region: tokyo, ClusterArn: tkArn}, fast(switchover.Planned))
	require.ErrorIs(t, err, switchover.ErrInProgress)
}

// racingRDS plays another run that requested the same switchover between
// the engine's read and its call.
type racingRDS struct {
	*switchovertest.RDSClient
	w *switchovertest.World
}

func (r racingRDS) SwitchoverGlobalCluster(context.Context, *rds.SwitchoverGlobalClusterInput, ...func(*rds.Options)) (*rds.SwitchoverGlobalClusterOutput, error) {
	r.w.StartChange(gcID, osArn, false, 1)
	return nil, switchovertest.APIError("InvalidGlobalClusterStateFault", "switchover in progress")
}

func TestRaceOnTheCallIsAwaitedNotReported(t *testing.T) {
	w, a, _ := osakaEngine(t)
	a.API = racingRDS{RDSClient: w.RDS(osaka), w: w}
	out, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	require.NoError(t, err)
	assert.True(t, out.Switched)
	assert.Equal(t, osArn, w.Writer(gcID))
}

func TestPlannedPreflightRefusesLagAboveBudget(t *testing.T) {
	w, a, _ := osakaEngine(t)
	w.SetLag("agm-osaka", 90_000)
	_, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
	require.ErrorIs(t, err, switchover.ErrPreflight)
	assert.Contains(t, err.Error(), "RPO budget")
	assert.Contains(t, err.Error(), "unplanned", "the refusal names the way out")
	assert.Zero(t, w.Count("SwitchoverGlobalCluster"))
}

func TestPlannedPreflightRefusesUnavailableMember(t *testing.T) {
	for name, stage := range map[string]func(w *switchovertest.World){
		"target cluster busy": func(w *switchovertest.World) { w.SetClusterStatus(osArn, "modifying") },
		"member out of sync":  func(w *switchovertest.World) { w.Global(gcID).Sync[tkArn] = "pending-resync" },
	} {
		t.Run(name, func(t *testing.T) {
			w, a, _ := osakaEngine(t)
			stage(w)
			_, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Planned))
			require.ErrorIs(t, err, switchover.ErrPreflight)
			assert.Zero(t, w.Count("SwitchoverGlobalCluster"))
		})
	}
}

func TestUnplannedLogsLagAsPossibleDataLoss(t *testing.T) {
	w, a, l := osakaEngine(t)
	w.SetLag("agm-osaka", 90_000)
	_, err := a.EnsureWriter(context.Background(), toOsaka, fast(switchover.Unplanned))
	require.NoError(t, err)
	assert.Contains(t, l.String(), "may be lost")
}

func TestTargetNotAMemberIsAClearError(t *testing.T) {
	_, a, _ := osakaEngine(t)
	bad := toOsaka
	bad.ClusterArn = "arn:aws:rds:ap-northeast-3:123456789012:cluster:other"
	_, err := a.EnsureWriter(context.Background(), bad, fast(switchover.Planned))
	var e *switchover.Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, e.Err.Error(), "not a member")
	assert.False(t, errors.Is(err, switchover.ErrTimeout))
}
