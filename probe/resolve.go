package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// answer is one resolution of the public name: the names of the CNAME chain (the name itself
// first) and the addresses at its end, valid until expires.
type answer struct {
	names   []string
	addrs   []string
	expires time.Time
	err     error // a failed resolution, cached for failureTTL
}

// failureTTL is how long a failed resolution is remembered: with the server gone, one question a
// second is asked, and requests meanwhile fail at once instead of queueing behind it.
const failureTTL = time.Second

// resolver resolves as a stub resolver does: it asks the configured server for A records,
// follows CNAMEs and caches the answer for its TTL (the smallest TTL of the records used).
type resolver struct {
	server string // host:port
	client *dns.Client
	now    func() time.Time

	mu     sync.Mutex
	cached map[string]answer
	asking sync.Mutex // one question at a time: concurrent requests share the answer
}

// systemServer is the first name server of /etc/resolv.conf, as host:port.
func systemServer() (string, error) {
	cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil {
		return "", fmt.Errorf("dns: reading /etc/resolv.conf: %w", err)
	}
	if len(cc.Servers) == 0 {
		return "", errors.New("dns: /etc/resolv.conf lists no name server")
	}
	return net.JoinHostPort(cc.Servers[0], cc.Port), nil
}

func newResolver(server string, timeout time.Duration, now func() time.Time) *resolver {
	return &resolver{server: server, client: &dns.Client{Net: "udp", Timeout: timeout}, now: now, cached: map[string]answer{}}
}

// resolve returns the cached answer for name while its TTL lasts, else asks the server.
func (r *resolver) resolve(ctx context.Context, name string) (answer, error) {
	name = dns.Fqdn(strings.ToLower(name))
	if a, ok := r.fresh(name); ok {
		return a, a.err
	}
	r.asking.Lock()
	defer r.asking.Unlock()
	if a, ok := r.fresh(name); ok {
		return a, a.err
	}
	a, err := r.query(ctx, name)
	if err != nil {
		a = answer{err: err, expires: r.now().Add(failureTTL)}
	}
	r.mu.Lock()
	r.cached[name] = a
	r.mu.Unlock()
	return a, err
}

func (r *resolver) fresh(name string) (answer, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.cached[name]
	return a, ok && r.now().Before(a.expires)
}

func (r *resolver) query(ctx context.Context, name string) (answer, error) {
	a := answer{names: []string{name}}
	ttl := uint32(1 << 31)
	qname := name
	for hop := 0; hop < 8; hop++ {
		m := new(dns.Msg)
		m.SetQuestion(qname, dns.TypeA)
		m.RecursionDesired = true
		in, _, err := r.client.ExchangeContext(ctx, m, r.server)
		if err != nil {
			return answer{}, fmt.Errorf("dns %s: %w", name, err)
		}
		if in.Rcode != dns.RcodeSuccess {
			return answer{}, fmt.Errorf("dns %s: %s", name, dns.RcodeToString[in.Rcode])
		}
		next := ""
		for _, rr := range in.Answer {
			ttl = min(ttl, rr.Header().Ttl)
			switch v := rr.(type) {
			case *dns.CNAME:
				next = strings.ToLower(v.Target)
				a.names = append(a.names, next)
			case *dns.A:
				a.addrs = append(a.addrs, v.A.String())
			}
		}
		if len(a.addrs) > 0 || next == "" {
			break
		}
		qname = next
	}
	if len(a.addrs) == 0 && len(a.names) == 1 {
		return answer{}, fmt.Errorf("dns %s: no address in the answer", name)
	}
	a.expires = r.now().Add(time.Duration(ttl) * time.Second)
	return a, nil
}
