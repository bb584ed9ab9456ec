package main

import (
	"sync"
	"testing"
	"time"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/probe"
	"github.com/agm-dr/agm-dr/probe/probetest"
)

// localWorld is the two-region world the drill's probe watches in tests: a DNS server answering
// the public name with the load balancer of the region records says, one loopback HTTP server
// per region, and a database whose writes pause for pause each time writer says it moved.
type localWorld struct {
	dns     *probetest.DNS
	db      *probetest.Database
	regions map[string]*probetest.Region
}

func newLocalWorld(t *testing.T, public string, pause time.Duration, writer func() string, record func() (lbHost string)) *localWorld {
	w := &localWorld{db: &probetest.Database{Pause: pause, Writer: writer}, regions: map[string]*probetest.Region{}}
	w.dns = probetest.StartDNS(t, func(name string) (string, uint32, bool) {
		if name != public {
			return "", 0, false
		}
		h := record()
		return h, 1, h != ""
	})
	for _, r := range []string{config.Tokyo, config.Osaka} {
		w.regions[r] = probetest.StartRegion(t, r, w.db)
	}
	return w
}

// args are the drctl flags that point the probe at this world.
func (w *localWorld) args() []string {
	return []string{"--probe-rate", "10", "--probe-resolver", w.dns.Addr,
		"--probe-endpoint", config.Tokyo + "=" + w.regions[config.Tokyo].URL,
		"--probe-endpoint", config.Osaka + "=" + w.regions[config.Osaka].URL}
}

// waitServed waits (polling, no time assert) until region has accepted n more votes: the write
// pause is over and the probe has seen the switchover.
func (w *localWorld) waitServed(t *testing.T, region string, n int) {
	t.Helper()
	start := w.regions[region].Served(probe.PathVote)
	for i := 0; i < 600; i++ {
		if w.regions[region].Served(probe.PathVote) >= start+n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("%s never served %d votes after the write pause", region, n)
}

// roles is the fake's writer and traffic, shared with the servers' goroutines.
type roles struct {
	mu     sync.Mutex
	writer string
}

func (r *roles) get() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writer
}

func (r *roles) set(w string) {
	r.mu.Lock()
	r.writer = w
	r.mu.Unlock()
}
