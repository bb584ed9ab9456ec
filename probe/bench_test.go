package probe

import (
	"context"
	"testing"
	"time"

	"github.com/agm-dr/agm-dr/probe/probetest"
)

// BenchmarkProbeSecondOfDrill is the probe's cost per second of drill at the default rate: each
// iteration sends one second of rounds (public name through the DNS server, and both load
// balancers) to a local world and waits for every answer, then summarizes them. The servers run
// in the same process, so their work is counted too: an upper bound. It reports
// ms-per-drill-second (wall time spent per second probed: far below 1000 means far below a core).
func BenchmarkProbeSecondOfDrill(b *testing.B) {
	db := &probetest.Database{Writer: func() string { return "ap-northeast-1" }}
	tokyo := probetest.StartRegion(b, "ap-northeast-1", db)
	osaka := probetest.StartRegion(b, "ap-northeast-3", db)
	dns := probetest.StartDNS(b, func(string) (string, uint32, bool) { return "tokyo-lb.example.test", 1, true })
	p, err := New(Target{PublicURL: "https://agm.example.test", Resolver: dns.Addr, Regions: []Region{
		{Name: "ap-northeast-1", Host: "tokyo-lb.example.test", Endpoint: tokyo.URL},
		{Name: "ap-northeast-3", Host: "osaka-lb.example.test", Endpoint: osaka.URL},
	}}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	p.started = time.Now()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for r := 0; r < p.o.Rate; r++ {
			p.round(ctx)
		}
		p.wg.Wait()
	}
	o := p.Stop()
	b.StopTimer()
	if o.Totals[KindVote].Failed > 0 {
		b.Fatalf("votes failed: %+v", o.Totals[KindVote])
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms-per-drill-second")
}
