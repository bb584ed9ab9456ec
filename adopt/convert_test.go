package adopt_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/adopt/adopttest"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

func convert(t *testing.T, e *adopttest.Env) ([]adopt.Done, error) {
	t.Helper()
	var done []adopt.Done
	err := adopt.Convert(context.Background(), e.Clients, e.Existing, e.Target, func(d adopt.Done) { done = append(done, d) })
	return done, err
}

func changed(done []adopt.Done) map[string]bool {
	m := map[string]bool{}
	for _, d := range done {
		m[d.Step] = d.Changed
	}
	return m
}

func clusterArn(t *testing.T, e *adopttest.Env) string {
	t.Helper()
	out, err := e.RDS.DescribeDBClusters(context.Background(), &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(e.Existing.ClusterID)})
	require.NoError(t, err)
	return aws.ToString(out.DBClusters[0].DBClusterArn)
}

func datastoreID(e *adopttest.Env) string {
	return switchovertest.GlobalIDPrefix + "-" + e.Target.CacheGlobalSuffix
}

// TestConvertMakesTheExistingResourcesThePrimaries: the existing cluster and replication group
// become the primaries of the program's global cluster and datastore, versioning is on, and a
// second run changes nothing.
func TestConvertMakesTheExistingResourcesThePrimaries(t *testing.T) {
	e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
	done, err := convert(t, e)
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"global cluster": true, "global datastore": true, "bucket versioning": true}, changed(done))

	assert.Equal(t, clusterArn(t, e), switchovertest.WriterArn(t, e.RDS, e.Target.GlobalClusterID), "the existing cluster is the writer of the new global cluster")
	id, region := e.World.Primary(datastoreID(e))
	assert.Equal(t, e.Existing.ReplicationGroup, id, "the existing group is the primary of the new datastore")
	assert.Equal(t, config.Tokyo, region)
	assert.Equal(t, s3types.BucketVersioningStatusEnabled, e.Versioning(t, e.Existing.Buckets[0]))

	done, err = convert(t, e)
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"global cluster": false, "global datastore": false, "bucket versioning": false}, changed(done), "a second run only reads")
	assert.Equal(t, 1, e.World.Count("CreateGlobalReplicationGroup"))
}

// TestConvertFinishesAnInterruptedRun: the run stops after the global cluster was created; the
// next run skips it and does the rest.
func TestConvertFinishesAnInterruptedRun(t *testing.T) {
	e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
	e.World.FailNext("CreateGlobalReplicationGroup", switchovertest.APIError("InternalFailure", "injected"))
	_, err := convert(t, e)
	require.ErrorContains(t, err, "injected")
	assert.True(t, e.GlobalExists(t), "the first step was done before the interruption")
	assert.Empty(t, e.Versioning(t, e.Existing.Buckets[0]), "later steps were not")

	done, err := convert(t, e)
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"global cluster": false, "global datastore": true, "bucket versioning": true}, changed(done))
	id, _ := e.World.Primary(datastoreID(e))
	assert.Equal(t, e.Existing.ReplicationGroup, id)
}

func TestConvertRefusesWhileBlockersRemain(t *testing.T) {
	spec := adopttest.GoodTokyo
	spec.Transit = false
	e := adopttest.BuildTokyo(t, spec)
	_, err := convert(t, e)
	require.ErrorIs(t, err, adopt.ErrBlocked)
	assertNothingChanged(t, e)
}

func TestConvertRefusesAClusterInAnotherGlobalCluster(t *testing.T) {
	spec := adopttest.GoodTokyo
	spec.ClusterGlobal = "reporting-global"
	e := adopttest.BuildTokyo(t, spec)
	_, err := convert(t, e)
	var bad *adopt.InputError
	require.True(t, errors.As(err, &bad), "an input error, got %v", err)
	assertNothingChanged(t, e)
}

// TestPlannedSwitchoverWorksAfterAdoption: after the conversion, the Osaka bring-up adds the
// secondaries (here created directly: a secondary cluster without credentials in the emulator,
// a secondary member in the datastore fake), and the switchover engine moves the writer and
// the cache primary to Osaka.
func TestPlannedSwitchoverWorksAfterAdoption(t *testing.T) {
	e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
	_, err := convert(t, e)
	require.NoError(t, err)
	ctx := context.Background()

	osakaRDS := switchovertest.EmulatorRDS(t, config.Osaka)
	sec, err := osakaRDS.CreateDBCluster(ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(e.Existing.ClusterID + "-osaka"), Engine: aws.String(adopt.Engine),
		GlobalClusterIdentifier: aws.String(e.Target.GlobalClusterID)})
	require.NoError(t, err)
	e.World.JoinDatastore(datastoreID(e), switchovertest.CacheMember{ID: "agm-dr-sessions-apne3", Region: config.Osaka})

	c, err := switchover.NewClients(ctx, config.Osaka)
	require.NoError(t, err)
	o := switchover.Options{Mode: switchover.Planned, Timeout: 20 * time.Second, Poll: 20 * time.Millisecond, RPOBudget: 30 * time.Second}
	a := &switchover.Aurora{API: c.RDS, Lag: c.Lag}
	out, err := a.EnsureWriter(ctx, switchover.AuroraTarget{GlobalClusterID: e.Target.GlobalClusterID, Region: config.Osaka,
		ClusterArn: aws.ToString(sec.DBCluster.DBClusterArn)}, o)
	require.NoError(t, err)
	assert.True(t, out.Switched)
	assert.Equal(t, aws.ToString(sec.DBCluster.DBClusterArn), switchovertest.WriterArn(t, osakaRDS, e.Target.GlobalClusterID))

	cache := &switchover.Cache{API: e.World.ElastiCache(config.Osaka)}
	cOut, err := cache.EnsurePrimary(ctx, switchover.CacheTarget{GlobalReplicationGroupID: datastoreID(e), Region: config.Osaka,
		ReplicationGroupID: "agm-dr-sessions-apne3"}, o)
	require.NoError(t, err)
	assert.True(t, cOut.Switched)
	_, region := e.World.Primary(datastoreID(e))
	assert.Equal(t, config.Osaka, region)
}

func TestConvertRefusesAGlobalClusterOfTheProgramsNameWithoutTheCluster(t *testing.T) {
	e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
	_, err := e.RDS.CreateGlobalCluster(context.Background(), &rds.CreateGlobalClusterInput{
		GlobalClusterIdentifier: aws.String(e.Target.GlobalClusterID), Engine: aws.String(adopt.Engine)})
	require.NoError(t, err)
	_, err = convert(t, e)
	var bad *adopt.InputError
	require.True(t, errors.As(err, &bad), "an input error, got %v", err)
	assert.ErrorContains(t, err, "already exists and "+e.Existing.ClusterID+" is not its primary")
	assert.Zero(t, e.World.Count("CreateGlobalReplicationGroup"), "the later steps did not run")
}
