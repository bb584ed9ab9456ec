package simulate

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

var t0 = time.Date(2026, 11, 10, 1, 0, 0, 0, time.UTC)

// testWorld is Tokyo primary with weights {tokyo 100, osaka 0}, the VPC peering in place, and
// no traffic.
func testWorld(p Params) *World {
	w := newWorld(p, t0, []string{config.Tokyo, config.Osaka}, 1)
	w.aurora = &aurora{id: "g", arn: map[string]string{config.Tokyo: "arn:aws:rds:ap-northeast-1:1:cluster:t",
		config.Osaka: "arn:aws:rds:ap-northeast-3:1:cluster:o"}, writer: config.Tokyo, lag: p.ReplicationLag}
	w.cache = &cacheStore{id: "c", group: map[string]string{config.Tokyo: "t", config.Osaka: "o"}, primary: config.Tokyo}
	for _, r := range w.regions {
		w.ecs[r] = newService(w, r, 2, 10, 2)
	}
	w.dns = newDNS(w, "agm.example.jp", map[string]int{config.Tokyo: 100, config.Osaka: 0})
	w.traffic = newTraffic(1, 0.0001)
	w.floor = func(time.Time) int { return 0 }
	w.paths = paths{cache: map[string]bool{config.Tokyo: true, config.Osaka: true}, db: map[string]bool{config.Tokyo: true, config.Osaka: true}}
	return w
}

func TestHealthCheckFlipsAfterThresholdTimesInterval(t *testing.T) {
	for _, interval := range []time.Duration{10 * time.Second, 30 * time.Second} {
		p := Defaults()
		p.HealthInterval = interval
		w := testWorld(p)
		w.setDown(config.Tokyo, true)
		flipped := time.Duration(-1)
		for i := 0; i < 200 && flipped < 0; i++ {
			w.advanceTo(w.now.Add(time.Second))
			if !w.dns.healthy[config.Tokyo] {
				flipped = w.now.Sub(t0)
			}
		}
		want := time.Duration(p.FailureThreshold) * interval
		// The outage falls somewhere between two probes: threshold-1 to threshold intervals.
		assert.True(t, flipped >= want-interval && flipped <= want, "interval %s: unhealthy after %s, want %s to %s", interval, flipped, want-interval, want)
	}
}

func TestZeroWeightRecordAnswersOnlyWhenEveryOtherIsUnhealthy(t *testing.T) {
	w := testWorld(Defaults())
	for i := 0; i < 50; i++ {
		assert.Equal(t, config.Tokyo, w.dns.resolve(w))
	}
	assert.False(t, w.dns.healthy[config.Osaka], "the standby's cache is a secondary: its readiness check fails")
	w.dns.healthy[config.Tokyo], w.dns.healthy[config.Osaka] = false, true // the roles moved to osaka
	assert.Equal(t, config.Osaka, w.dns.resolve(w), "Route 53 falls back to the zero-weight record")
	w.dns.healthy[config.Osaka] = false
	assert.Equal(t, config.Tokyo, w.dns.resolve(w), "all unhealthy: all count as healthy, by weight")
	delete(w.dns.weight, config.Tokyo)
	assert.Equal(t, config.Osaka, w.dns.resolve(w), "one record left: it answers even when unhealthy")
}

func TestCacheSecondaryRefusesWritesAndFailoverRefusesEverywhere(t *testing.T) {
	w := testWorld(Defaults())
	w.paths.cache[config.Osaka] = false
	ok, why := w.cache.writable(w, config.Osaka)
	assert.False(t, ok, "without the peering the secondary's READONLY is final")
	assert.Equal(t, ReasonCacheReadOnly, why)
	w.paths.cache[config.Osaka] = true
	ok, _ = w.cache.writable(w, config.Osaka)
	assert.True(t, ok, "across the peering the write goes to the primary")
	_, err := cacheClient{w, config.Osaka}.FailoverGlobalReplicationGroup(context.Background(), &elasticache.FailoverGlobalReplicationGroupInput{
		GlobalReplicationGroupId: aws.String("c"), PrimaryRegion: aws.String(config.Osaka), PrimaryReplicationGroupId: aws.String("o")})
	require.NoError(t, err)
	for _, r := range w.regions {
		ok, why := w.cache.writable(w, r)
		assert.False(t, ok)
		assert.Equal(t, ReasonCacheFailover, why)
	}
	w.advanceTo(t0.Add(w.P.CacheFailover + time.Second))
	ok, _ = w.cache.writable(w, config.Osaka)
	assert.True(t, ok)
	ok, _ = w.cache.writable(w, config.Tokyo)
	assert.True(t, ok, "Tokyo's tasks write to Osaka's primary across the peering")
	w.paths.cache[config.Tokyo] = false
	ok, why = w.cache.writable(w, config.Tokyo)
	assert.False(t, ok)
	assert.Equal(t, ReasonCacheReadOnly, why)
}

func TestCrossRegionWritesNeedThePeerUp(t *testing.T) {
	w := testWorld(Defaults())
	w.ecs[config.Tokyo].regionChanged(w, false)
	w.down[config.Tokyo] = true
	ok, why := w.cache.writable(w, config.Osaka)
	assert.False(t, ok, "the primary's region is down: the peering leads nowhere")
	assert.Equal(t, ReasonCacheReadOnly, why)
	ok, why = w.aurora.writable(w, config.Osaka)
	assert.False(t, ok)
	assert.Equal(t, ReasonWriterDown, why)
}

func TestVotesFromTheOtherRegionNeedThePeering(t *testing.T) {
	w := testWorld(Defaults())
	ok, _ := w.aurora.writable(w, config.Osaka)
	assert.True(t, ok, "the global writer endpoint leads across the peering to Tokyo's writer")
	w.paths.db[config.Osaka] = false
	ok, why := w.aurora.writable(w, config.Osaka)
	assert.False(t, ok)
	assert.Equal(t, ReasonWriterDown, why)
	ok, _ = w.aurora.writable(w, config.Tokyo)
	assert.True(t, ok, "the writer's own region needs no peering")
}

func TestAuroraSwitchoverPausesWritesOnlyAtItsEnd(t *testing.T) {
	for _, pause := range []time.Duration{10 * time.Second, 30 * time.Second, 60 * time.Second} {
		p := Defaults()
		p.AuroraWritePause, p.AuroraSwitchover = pause, 2*time.Minute
		w := testWorld(p)
		_, err := rdsClient{w, config.Osaka}.SwitchoverGlobalCluster(context.Background(), &rds.SwitchoverGlobalClusterInput{
			GlobalClusterIdentifier: aws.String("g"), TargetDbClusterIdentifier: aws.String(w.aurora.arn[config.Osaka])})
		require.NoError(t, err)
		paused := 0
		for i := 0; i < 180; i++ {
			w.advanceTo(w.now.Add(time.Second))
			if ok, why := w.aurora.writable(w, config.Osaka); !ok {
				assert.Equal(t, ReasonWritePause, why)
				paused++
			}
		}
		assert.InDelta(t, pause.Seconds(), paused, 1, "pause %s", pause)
		assert.Equal(t, config.Osaka, w.aurora.writer)
	}
}

func TestTasksServeOnlyAfterStartAndHealthCheck(t *testing.T) {
	w := testWorld(Defaults())
	w.ecs[config.Osaka].setFloor(w, 6, 10, "test")
	w.advanceTo(t0.Add(w.P.TaskStart))
	running, _ := w.ecs[config.Osaka].counts(w)
	assert.Equal(t, 6, running, "RUNNING after TaskStart")
	assert.Equal(t, 2, w.ecs[config.Osaka].healthy, "not yet in the load balancer")
	w.advanceTo(t0.Add(w.P.TaskStart + w.P.TaskHealthy))
	assert.Equal(t, 6, w.ecs[config.Osaka].healthy)
}
