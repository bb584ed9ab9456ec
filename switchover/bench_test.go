package switchover_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/agm-dr/agm-dr/switchover"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// timedLag adds the time spent in CloudWatch to the emulator's share.
type timedLag struct {
	switchover.Lag
	mu    *sync.Mutex
	spent *time.Duration
}

func (l timedLag) ReplicationLag(ctx context.Context, id string) (time.Duration, bool, error) {
	start := time.Now()
	defer func() { l.mu.Lock(); *l.spent += time.Since(start); l.mu.Unlock() }()
	return l.Lag.ReplicationLag(ctx, id)
}

// BenchmarkPlannedSwitchover runs one planned switchover per iteration
// against ministack, alternating the writer between the regions. It reports
// the engine's own overhead (wall time minus time inside emulator calls);
// the goal is under 1 s with a short poll interval.
func BenchmarkPlannedSwitchover(b *testing.B) {
	switchovertest.UseEmulator(b)
	gc := switchovertest.NewEmulatorCluster(b, tokyo, osaka)
	type side struct {
		eng    *switchover.Aurora
		rec    *recordingRDS
		target switchover.AuroraTarget
	}
	var mu sync.Mutex
	var lagSpent time.Duration
	mk := func(region, arn string) side {
		a, rec := emulatorEngine(b, region)
		a.Lag = timedLag{Lag: a.Lag, mu: &mu, spent: &lagSpent}
		return side{a, rec, switchover.AuroraTarget{GlobalClusterID: gc.GlobalID, Region: region, ClusterArn: arn}}
	}
	sides := [2]side{mk(osaka, gc.PeerArn), mk(tokyo, gc.HomeArn)}
	o := switchover.Options{Mode: switchover.Planned, Timeout: 30 * time.Second, Poll: 10 * time.Millisecond, RPOBudget: 30 * time.Second}

	var wall, emulator time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := sides[i%2]
		s.rec.mu.Lock()
		s.rec.spent = 0
		s.rec.mu.Unlock()
		mu.Lock()
		lagSpent = 0
		mu.Unlock()
		start := time.Now()
		out, err := s.eng.EnsureWriter(context.Background(), s.target, o)
		took := time.Since(start)
		if err != nil {
			b.Fatalf("switchover %d: %v", i, err)
		}
		if !out.Switched {
			b.Fatalf("switchover %d did nothing", i)
		}
		wall += took
		s.rec.mu.Lock()
		mu.Lock()
		emulator += s.rec.spent + lagSpent
		mu.Unlock()
		s.rec.mu.Unlock()
	}
	n := float64(b.N)
	b.ReportMetric(float64(wall.Microseconds())/1000/n, "wall-ms/op")
	b.ReportMetric(float64(emulator.Microseconds())/1000/n, "emulator-ms/op")
	b.ReportMetric(float64((wall-emulator).Microseconds())/1000/n, "overhead-ms/op")
}
