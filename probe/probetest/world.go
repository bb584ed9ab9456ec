// Package probetest is a local two-region world for the probe: a DNS server (github.com/miekg/dns)
// answering the public name with the load balancer a record source names, and one HTTP server per
// region standing in for its load balancer and app, on 127.0.0.1 with ephemeral ports. A region
// answers 503 to session writes and votes while the database it writes to pauses writes.
package probetest

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// DNS serves CNAME answers (and the target's loopback address) for names Lookup knows.
type DNS struct {
	Addr string // 127.0.0.1:port (UDP)
	// Lookup returns the load balancer name the public name points at now and the TTL.
	Lookup func(name string) (target string, ttl uint32, ok bool)
	srv    *dns.Server

	mu      sync.Mutex
	queries int
}

// StartDNS starts a DNS server on 127.0.0.1 (UDP, ephemeral port), stopped at the test's end.
func StartDNS(t testing.TB, lookup func(name string) (string, uint32, bool)) *DNS {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &DNS{Addr: pc.LocalAddr().String(), Lookup: lookup}
	started := make(chan struct{})
	d.srv = &dns.Server{PacketConn: pc, Handler: d, NotifyStartedFunc: func() { close(started) }}
	go func() { _ = d.srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = d.srv.Shutdown() })
	return d
}

// Stop shuts the server down: later questions go unanswered.
func (d *DNS) Stop() { _ = d.srv.Shutdown() }

// Queries is how many questions the server answered.
func (d *DNS) Queries() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.queries
}

func (d *DNS) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	d.mu.Lock()
	d.queries++
	d.mu.Unlock()
	m := new(dns.Msg)
	m.SetReply(r)
	m.Rcode = dns.RcodeNameError
	if len(r.Question) == 1 {
		q := r.Question[0]
		if target, ttl, ok := d.Lookup(strings.TrimSuffix(strings.ToLower(q.Name), ".")); ok {
			m.Rcode = dns.RcodeSuccess
			m.Answer = append(m.Answer, &dns.CNAME{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: ttl},
				Target: dns.Fqdn(target)})
			// A recursive resolver answers the chain to its end; every load balancer here is on
			// loopback, and the probe tells them apart by the CNAME target.
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: dns.Fqdn(target), Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: ttl},
				A: net.IPv4(127, 0, 0, 1)})
		}
	}
	_ = w.WriteMsg(m)
}

// Database stands in for the Aurora global database as the app sees it: writes pause for Pause
// each time the writer moves (the switchover's role change).
type Database struct {
	Pause  time.Duration
	Writer func() string // the writer region now (polled)

	mu         sync.Mutex
	last       string
	pauseUntil time.Time
	Pauses     []time.Time // when each pause began
}

// Writable polls the writer; a move starts a pause. It is true outside pauses.
func (db *Database) Writable() bool {
	w := db.Writer()
	db.mu.Lock()
	defer db.mu.Unlock()
	now := time.Now()
	if db.last != "" && w != "" && w != db.last {
		db.pauseUntil = now.Add(db.Pause)
		db.Pauses = append(db.Pauses, now)
	}
	if w != "" {
		db.last = w
	}
	return !now.Before(db.pauseUntil)
}

// Region is one region's load balancer and app.
type Region struct {
	Name string
	URL  string // http://127.0.0.1:port
	srv  *httptest.Server
	DB   *Database

	mu     sync.Mutex
	Down   bool // answers nothing useful: 502 on every path
	hits   map[string]int
	served map[string]int
}

// StartRegion starts the region's server on 127.0.0.1 (httptest binds loopback, ephemeral port).
func StartRegion(t testing.TB, name string, db *Database) *Region {
	t.Helper()
	r := &Region{Name: name, DB: db, hits: map[string]int{}, served: map[string]int{}}
	r.srv = httptest.NewServer(r)
	r.URL = r.srv.URL
	t.Cleanup(r.srv.Close)
	return r
}

// SetDown makes the region answer 502 (its targets gone) or serve again.
func (r *Region) SetDown(down bool) {
	r.mu.Lock()
	r.Down = down
	r.mu.Unlock()
}

// Served is how many requests to path were answered 200.
func (r *Region) Served(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.served[path]
}

// Hits is how many requests reached path.
func (r *Region) Hits(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hits[path]
}

func (r *Region) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.hits[req.URL.Path]++
	down := r.Down
	r.mu.Unlock()
	writable := r.DB == nil || r.DB.Writable()
	body := map[string]any{"region": r.Name}
	status := http.StatusOK
	switch {
	case down:
		status = http.StatusBadGateway
	case req.URL.Path == "/probe/read":
	case req.URL.Path == "/probe/session" || req.URL.Path == "/probe/vote":
		// Session writes go to the cache, which this world does not pause; votes go to the database.
		if req.Method != http.MethodPost {
			status = http.StatusMethodNotAllowed
		} else if req.URL.Path == "/probe/vote" && !writable {
			status = http.StatusServiceUnavailable
		}
	default:
		status = http.StatusNotFound
	}
	if status == http.StatusOK {
		r.mu.Lock()
		r.served[req.URL.Path]++
		r.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
