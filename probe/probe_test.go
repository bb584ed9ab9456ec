package probe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/probe"
	"github.com/agm-dr/agm-dr/probe/probetest"
	"github.com/agm-dr/agm-dr/report"
)

const public = "agm.example.test"

// world is two regions behind a DNS record the test moves, with a database whose writes pause
// when the writer moves.
type world struct {
	mu             sync.Mutex
	points, writer string
	ttl            uint32
	dns            *probetest.DNS
	tokyo, osaka   *probetest.Region
	db             *probetest.Database
}

func newWorld(t *testing.T, ttl uint32, pause time.Duration) *world {
	w := &world{points: "tokyo-lb.example.test", writer: "ap-northeast-1", ttl: ttl}
	w.db = &probetest.Database{Pause: pause, Writer: func() string { w.mu.Lock(); defer w.mu.Unlock(); return w.writer }}
	w.dns = probetest.StartDNS(t, func(name string) (string, uint32, bool) {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.points, w.ttl, name == public
	})
	w.tokyo = probetest.StartRegion(t, "ap-northeast-1", w.db)
	w.osaka = probetest.StartRegion(t, "ap-northeast-3", w.db)
	return w
}

func (w *world) target() probe.Target {
	return probe.Target{PublicURL: "https://" + public, Resolver: w.dns.Addr, Regions: []probe.Region{
		{Name: "ap-northeast-1", Host: "tokyo-lb.example.test", Endpoint: w.tokyo.URL},
		{Name: "ap-northeast-3", Host: "osaka-lb.example.test", Endpoint: w.osaka.URL},
	}}
}

// switchover moves the writer (starting the write pause) and then the record.
func (w *world) switchover() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writer, w.points = "ap-northeast-3", "osaka-lb.example.test"
}

// waitFor polls cond (the probe's own requests reaching a server) without asserting on time.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 500 && !cond(); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	require.True(t, cond())
}

func TestProbeSeesTheWritePauseAndTheMove(t *testing.T) {
	w := newWorld(t, 0, 300*time.Millisecond)
	p, err := probe.New(w.target(), probe.Options{Rate: 20})
	require.NoError(t, err)
	require.NoError(t, p.Check(context.Background(), ""))
	p.Start(context.Background())
	waitFor(t, func() bool { return w.tokyo.Hits(probe.PathVote) >= 3 })
	w.switchover()
	waitFor(t, func() bool { return len(w.db.Pauses) == 1 })
	pausedAt := w.db.Pauses[0]
	waitFor(t, func() bool { return time.Since(pausedAt) > 2*w.db.Pause && w.osaka.Hits(probe.PathVote) >= 10 })
	o := p.Stop()

	assert.Positive(t, o.Totals[probe.KindVote].ByOutcome["http-503"], "votes failed with 503 during the write pause")
	var runs []report.FailureRun
	for _, r := range o.Failures {
		if r.Kind == probe.KindVote {
			runs = append(runs, r)
		}
	}
	require.Len(t, runs, 1, "one run of failed votes: the pause")
	assert.LessOrEqual(t, runs[0].To-runs[0].From, (2*w.db.Pause).Seconds()+1, "the run ends once votes succeed again")
	answered := map[string]int{}
	for _, s := range o.Series {
		for r, n := range s.ByRegion {
			answered[r] += n
		}
	}
	assert.Positive(t, answered["ap-northeast-1"], "tokyo answered before the move")
	assert.Positive(t, answered["ap-northeast-3"], "osaka answered after the move")
	assert.Positive(t, o.Totals[probe.DirectPrefix+"ap-northeast-3"].Sent, "the load balancers are probed directly")
	assert.Zero(t, o.Totals[probe.DirectPrefix+"ap-northeast-3"].Failed, "a direct read never needs the writer")
}

// The probe caches the DNS answer for its TTL: with a long TTL it asks once, however many
// requests it sends, and keeps going to the old region after the record moved, as a client does.
func TestProbeHonoursTheTTL(t *testing.T) {
	w := newWorld(t, 3600, 0)
	p, err := probe.New(w.target(), probe.Options{Rate: 20})
	require.NoError(t, err)
	p.Start(context.Background())
	waitFor(t, func() bool { return w.tokyo.Hits(probe.PathRead) >= 10 })
	w.switchover()
	n := w.tokyo.Hits(probe.PathVote)
	waitFor(t, func() bool { return w.tokyo.Hits(probe.PathVote) >= n+10 })
	p.Stop()
	assert.Equal(t, 1, w.dns.Queries(), "one DNS question within the TTL")
	assert.Zero(t, w.osaka.Hits(probe.PathVote), "cached answer: public requests stay on tokyo")
}

func TestProbeCheckNamesTheTargetThatDoesNotAnswer(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(w *world, tg *probe.Target)
		want   string
	}{
		{"region down", func(w *world, _ *probe.Target) { w.osaka.SetDown(true) }, "ap-northeast-3 load balancer"},
		{"name unknown", func(_ *world, tg *probe.Target) { tg.PublicURL = "https://other.example.test" }, "public name https://other.example.test"},
		{"nothing listening", func(_ *world, tg *probe.Target) { tg.Regions[0].Endpoint = "http://127.0.0.1:1" }, "ap-northeast-1 load balancer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 0, 0)
			tg := w.target()
			c.break_(w, &tg)
			p, err := probe.New(tg, probe.Options{Timeout: 2 * time.Second})
			require.NoError(t, err)
			err = p.Check(context.Background(), "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			if c.name == "region down" {
				assert.NoError(t, p.Check(context.Background(), "ap-northeast-3"), "unplanned: the region known down may not answer")
			}
		})
	}
}

func TestProbeRateIsBounded(t *testing.T) {
	for _, r := range []int{-1, probe.MaxRate + 1} {
		_, err := probe.New(probe.Target{PublicURL: "https://x.test", Resolver: "127.0.0.1:53"}, probe.Options{Rate: r})
		assert.ErrorContains(t, err, "allowed 1 to", "rate %d", r)
	}
}

// A probe whose targets hang, or whose DNS server is gone, never holds up the run it watches:
// rounds go on without waiting (requests beyond MaxInFlight are skipped, not queued), failures
// are recorded as outcomes, and Stop returns once the requests in flight time out.
func TestAFailingProbeNeverBlocks(t *testing.T) {
	w := newWorld(t, 0, 0)
	tg := w.target()
	hung := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hung.Close)
	tg.Regions[0].Endpoint = hung.URL // tokyo, where the public name points too, never answers
	p, err := probe.New(tg, probe.Options{Rate: 20, Timeout: 300 * time.Millisecond, MaxInFlight: 2})
	require.NoError(t, err)
	p.Start(context.Background())
	waitFor(t, func() bool { return w.osaka.Hits(probe.PathRead) >= 10 })
	w.dns.Stop()
	n := w.osaka.Hits(probe.PathRead)
	waitFor(t, func() bool { return w.osaka.Hits(probe.PathRead) >= n+5 })
	o := p.Stop()
	assert.Positive(t, o.Totals[probe.DirectPrefix+"ap-northeast-1"].ByOutcome[probe.OutcomeTimeout], "hanging requests end as timeouts")
	skipped := 0
	for _, tl := range o.Totals {
		skipped += tl.ByOutcome[probe.OutcomeSkipped]
	}
	assert.Positive(t, skipped, "rounds went on while requests hung: the excess was skipped, not waited for")
	assert.Positive(t, o.Totals[probe.KindVote].ByOutcome[probe.OutcomeDNS]+o.Totals[probe.KindVote].ByOutcome[probe.OutcomeTimeout],
		"with the DNS server gone, public requests fail as DNS failures (or time out asking)")
}
