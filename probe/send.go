package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// send makes one request of kind and returns how it ended.
func (p *Probe) send(ctx context.Context, kind string) event {
	e := event{kind: kind, sent: p.o.Now()}
	ctx, cancel := context.WithTimeout(ctx, p.o.Timeout)
	defer cancel()
	ctx, target, region, err := p.route(ctx, kind)
	if err != nil {
		e.outcome = OutcomeDNS
		if errors.Is(err, context.DeadlineExceeded) {
			e.outcome = OutcomeTimeout
		}
		return e
	}
	method := http.MethodGet
	if kind == KindSession || kind == KindVote {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, target, strings.NewReader(""))
	if err != nil {
		e.outcome = OutcomeError
		return e
	}
	req.Host = p.public.Host
	req.Header.Set("User-Agent", "agm-dr-probe")
	resp, err := p.client.Do(req)
	e.latency = p.o.Now().Sub(e.sent)
	if err != nil {
		e.outcome = OutcomeError
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			e.outcome = OutcomeTimeout
		}
		return e
	}
	defer resp.Body.Close()
	var body struct {
		Region string `json:"region"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&body)
	e.region = body.Region
	if e.region == "" {
		e.region = region
	}
	if resp.StatusCode == http.StatusOK {
		e.outcome = OutcomeOK
	} else {
		e.outcome = fmt.Sprintf("http-%d", resp.StatusCode)
	}
	return e
}

// route picks where a request of kind goes: a direct read to its region's endpoint; a public
// request where the public name resolves now (a region's endpoint when the CNAME chain passes
// through its load balancer's name, else the first address).
func (p *Probe) route(ctx context.Context, kind string) (context.Context, string, string, error) {
	path := pathOf(kind)
	if r, ok := strings.CutPrefix(kind, DirectPrefix); ok {
		for _, x := range p.t.Regions {
			if x.Name == r {
				return ctx, strings.TrimSuffix(x.Endpoint, "/") + path, r, nil
			}
		}
		return ctx, "", "", fmt.Errorf("no region %s", r)
	}
	a, err := p.res.resolve(ctx, p.public.Hostname())
	if err != nil {
		return ctx, "", "", err
	}
	for _, n := range a.names {
		for _, x := range p.t.Regions {
			if x.Host != "" && strings.EqualFold(strings.TrimSuffix(n, "."), strings.TrimSuffix(x.Host, ".")) {
				return ctx, strings.TrimSuffix(x.Endpoint, "/") + path, x.Name, nil
			}
		}
	}
	if len(a.addrs) == 0 {
		return ctx, "", "", fmt.Errorf("dns: %s leads to no known load balancer and no address", p.public.Hostname())
	}
	return context.WithValue(ctx, dialKey{}, a.addrs[0]), strings.TrimSuffix(p.public.String(), "/") + path, "", nil
}
