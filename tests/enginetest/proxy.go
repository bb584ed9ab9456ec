package enginetest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// AWSCall is one request sent to the AWS endpoint (ministack), with the service and region it
// was signed for.
type AWSCall struct {
	Service, Region string
	Action          string // the query-protocol Action (RDS, SQS...) or the X-Amz-Target operation
}

// Proxy sits between every AWS client (the agmdr plugin, drctl, the fake aws plugin's world)
// and ministack: it records each request's signed region and service, and fails every request
// for a region marked down, as an unreachable regional endpoint would. ministack itself has one
// endpoint for all regions, so this is what makes "Tokyo is down" real to the clients.
type Proxy struct {
	mu   sync.Mutex
	down map[string]bool
	// serviceDown: every request signed for the service fails (e.g. "route53": its control
	// plane in us-east-1 is down, whatever region the client was built for).
	serviceDown map[string]bool
	calls       []AWSCall
	next        http.Handler
}

var scope = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([a-z0-9-]+)/([a-z0-9-]+)/`)

// NewProxy forwards to target.
func NewProxy(target string) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	return &Proxy{down: map[string]bool{}, serviceDown: map[string]bool{}, next: httputil.NewSingleHostReverseProxy(u)}, nil
}

// SetDown marks region down (every request signed for it fails with 503) or up again.
func (p *Proxy) SetDown(region string, down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down[region] = down
}

// SetServiceDown makes every request signed for service fail with 503, or answer again.
func (p *Proxy) SetServiceDown(service string, down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.serviceDown[service] = down
}

// Calls returns the requests seen so far.
func (p *Proxy) Calls() []AWSCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]AWSCall(nil), p.calls...)
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := AWSCall{Action: r.Header.Get("X-Amz-Target")}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			if v, err := url.ParseQuery(string(body)); err == nil {
				c.Action = v.Get("Action")
			}
		}
	}
	if c.Action == "" { // a REST API (Route 53): method and path
		c.Action = r.Method + " " + r.URL.Path
	}
	if i := strings.LastIndex(c.Action, "."); i >= 0 {
		c.Action = c.Action[i+1:]
	}
	if m := scope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		c.Region, c.Service = m[1], m[2]
	}
	p.mu.Lock()
	p.calls = append(p.calls, c)
	down, serviceDown := p.down[c.Region], p.serviceDown[c.Service]
	p.mu.Unlock()
	if down {
		http.Error(w, "region "+c.Region+" is down", http.StatusServiceUnavailable)
		return
	}
	if serviceDown {
		http.Error(w, c.Service+" is down", http.StatusServiceUnavailable)
		return
	}
	p.next.ServeHTTP(w, r)
}
