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
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

func convert(t *testing.T, e *env) ([]adopt.Done, error) {
	t.Helper()
	var done []adopt.Done
	err := adopt.Convert(context.Background(), e.clients, e.existing, e.target, func(d adopt.Done) { done = append(done, d) })
	return done, err
}

func changed(done []adopt.Done) map[string]bool {
	m := map[string]bool{}
	for _, d := range done {
		m[d.Step] = d.Changed
	}
	return m
}

func (e *env) clusterArn(t *testing.T) string {
	t.Helper()
	out, err := e.rds.DescribeDBClusters(context.Background(), &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(e.existing.ClusterID)})
	require.NoError(t, err)
	return aws.ToString(out.DBClusters[0].DBClusterArn)
}

func (e *env) datastoreID() string { return switchovertest.GlobalIDPrefix + "-" + e.target.CacheGlobalSuffix }

// TestConvertMakesTheExistingResourcesThePrimaries: the existing cluster and replication group
// become the primaries of the program's global cluster and datastore, versioning is on, and a
// second run changes nothing.
func TestConvertMakesTheExistingResourcesThePrimaries(t *testing.T) {
	e := buildTokyo(t, goodTokyo)
	done, err := convert(t, e)
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"global cluster": true, "global datastore": true, "bucket versioning": true}, changed(done))

	assert.Equal(t, e.clusterArn(t), switchovertest.WriterArn(t, e.rds, e.target.GlobalClusterID), "the existing cluster is the writer of the new global cluster")
	id, region := e.world.Primary(e.datastoreID())
	assert.Equal(t, e.existing.ReplicationGroup, id, "the existing group is the primary of the new datastore")
	assert.Equal(t, config.Tokyo, region)
	assert.Equal(t, s3types.BucketVersioningStatusEnabled, e.versioning(t, e.existing.Buckets[0]))

	done, err = convert(t, e)
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"global cluster": false, "global datastore": false, "bucket versioning": false}, changed(done), "a second run only reads")
	assert.Equal(t, 1, e.world.Count("CreateGlobalReplicationGroup"))
}

// TestConvertFinishesAnInterruptedRun: the run stops after the global cluster was created; the
// next run skips it and does the rest.
func TestConvertFinishesAnInterruptedRun(t *testing.T) {
	e := buildTokyo(t, goodTokyo)
	e.world.FailNext("CreateGlobalReplicationGroup", switchovertest.APIError("InternalFailure", "injected"))
	_, err := convert(t, e)
	require.ErrorContains(t, err, "injected")
	assert.True(t, e.globalExists(t), "the first step was done before the interruption")
	assert.Empty(t, e.versioning(t, e.existing.Buckets[0]), "later steps were not")

	done, err := convert(t, e)
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"global cluster": false, "global datastore": true, "bucket versioning": true}, changed(done))
	id, _ := e.world.Primary(e.datastoreID())
	assert.Equal(t, e.existing.ReplicationGroup, id)
}

func TestConvertRefusesWhileBlockersRemain(t *testing.T) {
	spec := goodTokyo
	spec.transit = false
	e := buildTokyo(t, spec)
	_, err := convert(t, e)
	require.ErrorIs(t, err, adopt.ErrBlocked)
	assertNothingChanged(t, e)
}

func TestConvertRefusesAClusterInAnotherGlobalCluster(t *testing.T) {
	spec := goodTokyo
	spec.clusterGlobal = "reporting-global"
	e := buildTokyo(t, spec)
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
	e := buildTokyo(t, goodTokyo)
	_, err := convert(t, e)
	require.NoError(t, err)
	ctx := context.Background()

	osakaRDS := switchovertest.EmulatorRDS(t, config.Osaka)
	sec, err := osakaRDS.CreateDBCluster(ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(e.existing.ClusterID + "-osaka"), Engine: aws.String(adopt.Engine),
		GlobalClusterIdentifier: aws.String(e.target.GlobalClusterID)})
	require.NoError(t, err)
	e.world.JoinDatastore(e.datastoreID(), switchovertest.CacheMember{ID: "agm-dr-sessions-apne3", Region: config.Osaka})

	c, err := switchover.NewClients(ctx, config.Osaka)
	require.NoError(t, err)
	o := switchover.Options{Mode: switchover.Planned, Timeout: 20 * time.Second, Poll: 20 * time.Millisecond, RPOBudget: 30 * time.Second}
	a := &switchover.Aurora{API: c.RDS, Lag: c.Lag}
	out, err := a.EnsureWriter(ctx, switchover.AuroraTarget{GlobalClusterID: e.target.GlobalClusterID, Region: config.Osaka,
		ClusterArn: aws.ToString(sec.DBCluster.DBClusterArn)}, o)
	require.NoError(t, err)
	assert.True(t, out.Switched)
	assert.Equal(t, aws.ToString(sec.DBCluster.DBClusterArn), switchovertest.WriterArn(t, osakaRDS, e.target.GlobalClusterID))

	cache := &switchover.Cache{API: e.world.ElastiCache(config.Osaka)}
	cOut, err := cache.EnsurePrimary(ctx, switchover.CacheTarget{GlobalReplicationGroupID: e.datastoreID(), Region: config.Osaka,
		ReplicationGroupID: "agm-dr-sessions-apne3"}, o)
	require.NoError(t, err)
	assert.True(t, cOut.Switched)
	_, region := e.world.Primary(e.datastoreID())
	assert.Equal(t, config.Osaka, region)
}
