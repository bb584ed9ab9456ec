package probe

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/agm-dr/agm-dr/report"
)

// The probe's paths (docs/app-contract.md, "Probe endpoints").
const (
	PathRead    = "/probe/read"
	PathSession = "/probe/session"
	PathVote    = "/probe/vote"
)

// Kinds of request. Public ones go to the public name; a direct read goes to one region's load
// balancer and its kind is DirectPrefix + region.
const (
	KindRead     = "read"
	KindSession  = "session"
	KindVote     = "vote"
	DirectPrefix = "direct:"
)

// Outcomes of a request besides "http-<status>".
const (
	OutcomeOK      = "ok"
	OutcomeTimeout = "timeout"
	OutcomeDNS     = "dns"
	OutcomeError   = "error"   // connection refused, reset, TLS, unreadable answer
	OutcomeSkipped = "skipped" // not sent: too many requests still in flight
)

// MaxRate bounds Options.Rate: rounds per second (each round is one request per kind).
const MaxRate = 20

// Region is one region's load balancer as the probe reaches it.
type Region struct {
	Name string // region code
	// Host is the load balancer's DNS name: when the public name's CNAME chain passes through
	// it, a public request is sent to Endpoint.
	Host string
	// Endpoint is the base URL of direct requests (default https://<Host>); the Host header and
	// TLS server name are the public name's, as the load balancer's listener rules and
	// certificate expect.
	Endpoint string
}

// Target is what the probe watches.
type Target struct {
	PublicURL string // e.g. https://agm.example.jp
	Resolver  string // DNS server host:port; empty: the first of /etc/resolv.conf
	Regions   []Region
}

// Options tune the probe; zero values take the defaults.
type Options struct {
	Rate        int           // rounds per second, 1..MaxRate (default 2)
	Timeout     time.Duration // per request (default 5 s)
	MaxInFlight int           // requests in flight per kind before new ones of that kind are skipped (default 8)
	Now         func() time.Time
}

// Probe runs the synthetic shareholders.
type Probe struct {
	t      Target
	o      Options
	public *url.URL
	res    *resolver
	client *http.Client

	mu      sync.Mutex
	events  []event
	started time.Time
	stop    context.CancelFunc
	done    chan struct{}
	flight  map[string]chan struct{} // per kind: a hanging target holds up only its own kind
	wg      sync.WaitGroup
}

type event struct {
	kind    string
	sent    time.Time
	latency time.Duration
	outcome string
	region  string // the region that answered ("" if none)
}

// New checks the target and options; it sends nothing.
func New(t Target, o Options) (*Probe, error) {
	if o.Rate == 0 {
		o.Rate = 2
	}
	if o.Rate < 1 || o.Rate > MaxRate {
		return nil, fmt.Errorf("probe rate %d: allowed 1 to %d rounds per second", o.Rate, MaxRate)
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.MaxInFlight == 0 {
		o.MaxInFlight = 8
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	u, err := url.Parse(t.PublicURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("probe: public URL %q: want http(s)://<name>", t.PublicURL)
	}
	if t.Resolver == "" {
		if t.Resolver, err = systemServer(); err != nil {
			return nil, fmt.Errorf("probe: %w", err)
		}
	}
	for i, r := range t.Regions {
		if r.Endpoint == "" {
			if r.Host == "" {
				return nil, fmt.Errorf("probe: region %s has neither a load balancer name nor an endpoint", r.Name)
			}
			t.Regions[i].Endpoint = "https://" + r.Host
		}
	}
	p := &Probe{t: t, o: o, public: u, res: newResolver(t.Resolver, o.Timeout, o.Now), flight: map[string]chan struct{}{}}
	for _, k := range p.kinds() {
		p.flight[k] = make(chan struct{}, o.MaxInFlight)
	}
	dialer := &net.Dialer{Timeout: o.Timeout}
	p.client = &http.Client{Timeout: o.Timeout, Transport: &http.Transport{
		// Every request resolves and connects anew, as a client whose cached answer expired
		// would: a kept-alive connection would hide a DNS change.
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if ip, ok := ctx.Value(dialKey{}).(string); ok {
				_, port, _ := net.SplitHostPort(addr)
				addr = net.JoinHostPort(ip, port)
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}}
	return p, nil
}

type dialKey struct{}

// Check sends one read to the public name and one to each region's load balancer and fails,
// naming each target, unless every one answers 200 with its region. down, when set, is a region
// known to be down (the old primary of an unplanned failover): its load balancer, and the public
// name that still points at it, are not required to answer.
func (p *Probe) Check(ctx context.Context, down string) error {
	var errs []string
	for _, k := range p.kinds() {
		if k == KindSession || k == KindVote || (down != "" && (k == KindRead || k == DirectPrefix+down)) {
			continue
		}
		e := p.send(ctx, k)
		if e.outcome != OutcomeOK || e.region == "" {
			errs = append(errs, fmt.Sprintf("%s: %s", p.describe(k), e.outcome))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("probe targets not answering: %s", strings.Join(errs, "; "))
	}
	return nil
}

func (p *Probe) describe(kind string) string {
	if r, ok := strings.CutPrefix(kind, DirectPrefix); ok {
		for _, x := range p.t.Regions {
			if x.Name == r {
				return fmt.Sprintf("%s load balancer %s%s", r, x.Endpoint, PathRead)
			}
		}
	}
	return fmt.Sprintf("public name %s%s (resolver %s)", p.t.PublicURL, pathOf(kind), p.t.Resolver)
}

func (p *Probe) kinds() []string {
	k := []string{KindRead, KindSession, KindVote}
	for _, r := range p.t.Regions {
		k = append(k, DirectPrefix+r.Name)
	}
	return k
}

func pathOf(kind string) string {
	switch kind {
	case KindSession:
		return PathSession
	case KindVote:
		return PathVote
	}
	return PathRead
}

// Start begins sending, Rate rounds per second, until Stop. It returns at once.
func (p *Probe) Start(ctx context.Context) {
	ctx, p.stop = context.WithCancel(ctx)
	p.done = make(chan struct{})
	p.started = p.o.Now()
	go func() {
		defer close(p.done)
		tick := time.NewTicker(time.Second / time.Duration(p.o.Rate))
		defer tick.Stop()
		for {
			p.round(ctx)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

// round sends one request of each kind, each in its own goroutine; when MaxInFlight requests of
// that kind are still out, the request is recorded as skipped instead of waited for.
func (p *Probe) round(ctx context.Context) {
	for _, k := range p.kinds() {
		flight := p.flight[k]
		select {
		case flight <- struct{}{}:
		default:
			p.record(event{kind: k, sent: p.o.Now(), outcome: OutcomeSkipped})
			continue
		}
		p.wg.Add(1)
		go func(k string) {
			defer p.wg.Done()
			defer func() { <-flight }()
			e := p.send(ctx, k)
			if ctx.Err() == nil || e.outcome == OutcomeOK {
				p.record(e)
			}
		}(k)
	}
}

func (p *Probe) record(e event) {
	p.mu.Lock()
	p.events = append(p.events, e)
	p.mu.Unlock()
}

// Stop ends the probe, waits for the requests in flight (each ends within Timeout) and returns
// what it saw.
func (p *Probe) Stop() report.Observation {
	if p.stop != nil {
		p.stop()
		<-p.done
	}
	p.wg.Wait()
	p.mu.Lock()
	ev := append([]event(nil), p.events...)
	p.mu.Unlock()
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].sent.Before(ev[j].sent) })
	return summarize(p, ev)
}
