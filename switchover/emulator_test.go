package switchover_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// These tests drive the engine against the ministack emulator
// (AGMDR_MINISTACK_URL) through the real AWS SDK clients that
// switchover.NewClients builds from the standard AWS environment. ministack
// does not serve ElastiCache global datastore calls, so the cache half runs
// against the in-process fake in switchovertest.

// recordingRDS wraps the real client, recording each call and the time
// spent in it (the emulator's share of a run, for the benchmark).
type recordingRDS struct {
	switchover.RDS
	mu    sync.Mutex
	ops   []string
	loss  []bool
	spent time.Duration
}

func (r *recordingRDS) note(op string, loss bool, start time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops, r.loss, r.spent = append(r.ops, op), append(r.loss, loss), r.spent+time.Since(start)
}

func (r *recordingRDS) DescribeGlobalClusters(ctx context.Context, in *rds.DescribeGlobalClustersInput, o ...func(*rds.Options)) (*rds.DescribeGlobalClustersOutput, error) {
	defer r.note("DescribeGlobalClusters", false, time.Now())
	return r.RDS.DescribeGlobalClusters(ctx, in, o...)
}

func (r *recordingRDS) DescribeDBClusters(ctx context.Context, in *rds.DescribeDBClustersInput, o ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	defer r.note("DescribeDBClusters", false, time.Now())
	return r.RDS.DescribeDBClusters(ctx, in, o...)
}

func (r *recordingRDS) SwitchoverGlobalCluster(ctx context.Context, in *rds.SwitchoverGlobalClusterInput, o ...func(*rds.Options)) (*rds.SwitchoverGlobalClusterOutput, error) {
	defer r.note("SwitchoverGlobalCluster", false, time.Now())
	return r.RDS.SwitchoverGlobalCluster(ctx, in, o...)
}

func (r *recordingRDS) FailoverGlobalCluster(ctx context.Context, in *rds.FailoverGlobalClusterInput, o ...func(*rds.Options)) (*rds.FailoverGlobalClusterOutput, error) {
	defer r.note("FailoverGlobalCluster", aws.ToBool(in.AllowDataLoss), time.Now())
	return r.RDS.FailoverGlobalCluster(ctx, in, o...)
}

// emulatorEngine returns an engine built only from region's clients.
func emulatorEngine(t testing.TB, region string) (*switchover.Aurora, *recordingRDS) {
	t.Helper()
	c, err := switchover.NewClients(context.Background(), region)
	require.NoError(t, err)
	rec := &recordingRDS{RDS: c.RDS}
	return &switchover.Aurora{API: rec, Lag: c.Lag}, rec
}

func emulatorOptions(mode switchover.Mode) switchover.Options {
	return switchover.Options{Mode: mode, Timeout: 20 * time.Second, Poll: 20 * time.Millisecond, RPOBudget: 30 * time.Second}
}

func TestEmulatorPlannedSwitchoverMovesWriterAndSecondRunIsNoop(t *testing.T) {
	switchovertest.UseEmulator(t)
	gc := switchovertest.NewEmulatorCluster(t, tokyo, osaka)
	a, rec := emulatorEngine(t, osaka)
	target := switchover.AuroraTarget{GlobalClusterID: gc.GlobalID, Region: osaka, ClusterArn: gc.PeerArn}

	out, err := a.EnsureWriter(context.Background(), target, emulatorOptions(switchover.Planned))
	require.NoError(t, err)
	assert.True(t, out.Switched)
	assert.Equal(t, gc.PeerArn, switchovertest.WriterArn(t, switchovertest.EmulatorRDS(t, tokyo), gc.GlobalID))
	assert.Contains(t, rec.ops, "SwitchoverGlobalCluster")
	assert.NotContains(t, rec.ops, "FailoverGlobalCluster")

	n := len(rec.ops)
	out, err = a.EnsureWriter(context.Background(), target, emulatorOptions(switchover.Planned))
	require.NoError(t, err)
	assert.False(t, out.Switched)
	assert.Equal(t, []string{"DescribeGlobalClusters"}, rec.ops[n:], "a second run only reads")
}

// TestEmulatorUnplannedFailoverUsesOnlyTheNewRegion: the engine is given
// Osaka clients only, so Tokyo's endpoints cannot be called; with the fakes,
// TestUnplannedFailoverAllowsDataLossAndCallsOnlyTheNewPrimaryRegion shows
// the same with Tokyo refusing every connection.
func TestEmulatorUnplannedFailoverMovesWriterWithDataLoss(t *testing.T) {
	switchovertest.UseEmulator(t)
	gc := switchovertest.NewEmulatorCluster(t, tokyo, osaka)
	a, rec := emulatorEngine(t, osaka)
	out, err := a.EnsureWriter(context.Background(),
		switchover.AuroraTarget{GlobalClusterID: gc.GlobalID, Region: osaka, ClusterArn: gc.PeerArn},
		emulatorOptions(switchover.Unplanned))
	require.NoError(t, err)
	assert.Equal(t, switchover.Unplanned, out.Mode)
	assert.Equal(t, gc.PeerArn, switchovertest.WriterArn(t, switchovertest.EmulatorRDS(t, osaka), gc.GlobalID))
	require.Contains(t, rec.ops, "FailoverGlobalCluster")
	for i, op := range rec.ops {
		if op == "FailoverGlobalCluster" {
			assert.True(t, rec.loss[i], "unplanned failover must set AllowDataLoss")
		}
	}
}

func TestEmulatorDescribeSeesASwitchoverMadeThroughTheAPI(t *testing.T) {
	switchovertest.UseEmulator(t)
	gc := switchovertest.NewEmulatorCluster(t, tokyo, osaka)
	_, err := switchovertest.EmulatorRDS(t, osaka).SwitchoverGlobalCluster(context.Background(), &rds.SwitchoverGlobalClusterInput{
		GlobalClusterIdentifier: aws.String(gc.GlobalID), TargetDbClusterIdentifier: aws.String(gc.PeerArn)})
	require.NoError(t, err)
	a, _ := emulatorEngine(t, tokyo)
	st, err := a.Describe(context.Background(), gc.GlobalID, tokyo)
	require.NoError(t, err)
	assert.Equal(t, osaka, st.WriterRegion)
}

func TestEmulatorPlannedPreflightReadsLagFromCloudWatch(t *testing.T) {
	switchovertest.UseEmulator(t)
	gc := switchovertest.NewEmulatorCluster(t, tokyo, osaka)
	id, err := switchover.ClusterID(gc.PeerArn)
	require.NoError(t, err)
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(osaka))
	require.NoError(t, err)
	_, err = cloudwatch.NewFromConfig(cfg).PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("AWS/RDS"),
		MetricData: []cwtypes.MetricDatum{{MetricName: aws.String(switchover.LagMetric), Value: aws.Float64(120_000),
			Unit: cwtypes.StandardUnitMilliseconds, Timestamp: aws.Time(time.Now()),
			// Published as Aurora does: with the source region (see switchover.LagMetric).
			Dimensions: []cwtypes.Dimension{{Name: aws.String("DBClusterIdentifier"), Value: aws.String(id)},
				{Name: aws.String("SourceRegion"), Value: aws.String(tokyo)}}}},
	})
	require.NoError(t, err)

	a, rec := emulatorEngine(t, osaka)
	_, err = a.EnsureWriter(context.Background(),
		switchover.AuroraTarget{GlobalClusterID: gc.GlobalID, Region: osaka, ClusterArn: gc.PeerArn},
		emulatorOptions(switchover.Planned))
	require.ErrorIs(t, err, switchover.ErrPreflight)
	assert.Contains(t, err.Error(), "2m0s")
	assert.NotContains(t, rec.ops, "SwitchoverGlobalCluster")
	assert.Equal(t, gc.HomeArn, switchovertest.WriterArn(t, switchovertest.EmulatorRDS(t, osaka), gc.GlobalID))
}

// TestEmulatorWholeSwitchoverFinishesAHalfDoneRun: Aurora on ministack, the
// cache on the in-process fake (ministack lacks global datastores). The
// first run moves Aurora and fails on the cache; the re-run finishes the
// cache and leaves Aurora alone.
func TestEmulatorWholeSwitchoverFinishesAHalfDoneRun(t *testing.T) {
	switchovertest.UseEmulator(t)
	gc := switchovertest.NewEmulatorCluster(t, tokyo, osaka)
	a, rec := emulatorEngine(t, osaka)
	w := switchovertest.NewWorld()
	w.AddDatastore(dsID, switchovertest.CacheMember{ID: "agm-tokyo", Region: tokyo},
		switchovertest.CacheMember{ID: "agm-osaka", Region: osaka})
	c := &switchover.Cache{API: w.ElastiCache(osaka)}
	target := switchover.AuroraTarget{GlobalClusterID: gc.GlobalID, Region: osaka, ClusterArn: gc.PeerArn}
	ctx, o := context.Background(), emulatorOptions(switchover.Planned)

	_, err := a.EnsureWriter(ctx, target, o)
	require.NoError(t, err)
	w.FailNext("FailoverGlobalReplicationGroup", switchovertest.APIError("InternalFailure", "injected"))
	_, err = c.EnsurePrimary(ctx, cacheToOsaka, o)
	require.Error(t, err)

	aOut, err := a.EnsureWriter(ctx, target, o)
	require.NoError(t, err)
	cOut, err := c.EnsurePrimary(ctx, cacheToOsaka, o)
	require.NoError(t, err)
	assert.False(t, aOut.Switched)
	assert.True(t, cOut.Switched)
	_, region := w.Primary(dsID)
	assert.Equal(t, osaka, region)
	switches := 0
	for _, op := range rec.ops {
		if op == "SwitchoverGlobalCluster" {
			switches++
		}
	}
	assert.Equal(t, 1, switches)
}
