package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/netip"
	"regexp"
	"strings"
)

// parser collects every error instead of stopping at the first, so one run shows them all.
type parser struct {
	raw  map[string]string
	errs []error
}

func (p *parser) failf(key, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

// object decodes a JSON object value strictly: unknown fields, wrong types, null and trailing
// data are errors. It reports whether the key was set.
func (p *parser) object(key string, into any) bool {
	v, ok := p.raw[key]
	if !ok {
		return false
	}
	if t := strings.TrimSpace(v); t == "" || t == "null" {
		p.failf(key, "empty or null; give an object, or remove the key where it has a default")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(v)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		p.failf(key, "not a valid object: %s", strings.TrimPrefix(err.Error(), "json: "))
		return false
	}
	if dec.More() {
		p.failf(key, "unexpected data after the object")
		return false
	}
	return true
}

func (p *parser) region(key, def string) string {
	v, ok := p.raw[key]
	if ok && v == "" && def != "" {
		p.failf(key, "empty; remove the key for %s, or allowed: %s (%s), %s (%s)", def, Tokyo, TokyoStack, Osaka, OsakaStack)
		return ""
	}
	if v == "" {
		if def == "" {
			p.failf(key, "required; allowed: %s (%s), %s (%s)", Tokyo, TokyoStack, Osaka, OsakaStack)
		}
		return def
	}
	if !isRegion(v) {
		p.failf(key, "%q is not one of the two stack regions; allowed: %s (%s), %s (%s)", v, Tokyo, TokyoStack, Osaka, OsakaStack)
		return ""
	}
	return v
}

func (p *parser) oneOf(key, def string, allowed ...string) string {
	v, ok := p.raw[key]
	if !ok {
		return def
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.failf(key, "%q is not allowed; allowed: %s", v, strings.Join(allowed, ", "))
	return def
}

var namePrefixRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,18}[a-z0-9]$`)

func (p *parser) namePrefix(key, def string) string {
	v, ok := p.raw[key]
	if !ok {
		return def
	}
	if !namePrefixRE.MatchString(v) {
		p.failf(key, "%q must be 3-20 lowercase letters, digits or hyphens, starting with a letter (it prefixes bucket and cluster names)", v)
		return def
	}
	return v
}

func (p *parser) vpcCidrs(key string) map[string]string {
	cidrs := map[string]string{}
	if _, ok := p.raw[key]; !ok {
		p.failf(key, "required: a map of region to private /%d../%d CIDR for %s and %s", MinVpcPrefix, MaxVpcPrefix, Tokyo, Osaka)
		return nil
	}
	if !p.object(key, &cidrs) {
		return nil
	}
	prefixes := map[string]netip.Prefix{}
	for r, c := range cidrs {
		if !isRegion(r) {
			p.failf(key, "unknown region %q; allowed: %s, %s", r, Tokyo, Osaka)
			continue
		}
		pfx, err := netip.ParsePrefix(c)
		switch {
		case err != nil:
			p.failf(key, "%s: %q is not a CIDR like 10.10.0.0/16", r, c)
		case !pfx.Addr().Is4() || !pfx.Addr().IsPrivate():
			p.failf(key, "%s: %s is not a private IPv4 range (10/8, 172.16/12, 192.168/16)", r, c)
		case pfx.Bits() < MinVpcPrefix || pfx.Bits() > MaxVpcPrefix:
			p.failf(key, "%s: %s must be between /%d and /%d: nine subnets of at least /27, the ALB minimum", r, c, MinVpcPrefix, MaxVpcPrefix)
		case pfx.Masked() != pfx:
			p.failf(key, "%s: %s has host bits set; use %s", r, c, pfx.Masked())
		default:
			prefixes[r] = pfx
		}
	}
	for _, r := range Regions() {
		if _, ok := cidrs[r]; !ok {
			p.failf(key, "missing CIDR for %s", r)
		}
	}
	if a, b := prefixes[Tokyo], prefixes[Osaka]; a.IsValid() && b.IsValid() && a.Overlaps(b) {
		p.failf(key, "%s (%s) and %s (%s) overlap; the regions' VPCs must not overlap", a, Tokyo, b, Osaka)
	}
	return cidrs
}

var (
	tagRE    = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	digestRE = regexp.MustCompile(`^sha256:[a-f0-9]{64}$`)
)

func (p *parser) image(key string) string {
	v := p.raw[key]
	switch {
	case v == "":
		p.failf(key, "required: the application image tag (e.g. 2026.06.1) or digest (sha256:...) deployed in both regions")
	case strings.EqualFold(v, "latest"):
		p.failf(key, "%q is a moving tag; both regions must run the same version: use a release tag or a sha256 digest", v)
	case strings.HasPrefix(v, "sha256:"):
		if !digestRE.MatchString(v) {
			p.failf(key, "%q is not a sha256 digest (sha256: and 64 hex digits)", v)
		}
	case strings.ContainsAny(v, "/:@"):
		p.failf(key, "%q: give only the tag or digest; each region pulls from its own ECR repository", v)
	case !tagRE.MatchString(v):
		p.failf(key, "%q is not a valid image tag (letters, digits, _ . -, at most 128)", v)
	}
	return v
}

const maxTasksLimit = 500

func (p *parser) capacity(key string, c Capacity) Capacity {
	p.object(key, &c)
	switch {
	case c.StandbyTasks < 1:
		p.failf(key, "standbyTasks is %d; the standby must keep at least 1 warm task to take traffic", c.StandbyTasks)
	case c.PrimaryTasks < c.StandbyTasks:
		p.failf(key, "primaryTasks (%d) must be at least standbyTasks (%d)", c.PrimaryTasks, c.StandbyTasks)
	case c.MaxTasks < c.PrimaryTasks:
		p.failf(key, "maxTasks (%d) must be at least primaryTasks (%d)", c.MaxTasks, c.PrimaryTasks)
	case c.MaxTasks > maxTasksLimit:
		p.failf(key, "maxTasks (%d) is above the limit of %d", c.MaxTasks, maxTasksLimit)
	}
	return c
}

func (p *parser) domain(key string) Domain {
	var d Domain
	if _, ok := p.raw[key]; !ok {
		p.failf(key, "required: {name: <public host name>, zoneId: <optional Route 53 zone id>, readinessPath: <path the health checks probe>}")
		return d
	}
	if !p.object(key, &d) {
		return d
	}
	if !hostRE.MatchString(d.Name) {
		p.failf(key, "name %q is not a DNS name like agm.example.jp", d.Name)
	}
	if d.ZoneID != "" && !zoneRE.MatchString(d.ZoneID) {
		p.failf(key, "zoneId %q is not a Route 53 hosted zone id (Z followed by letters and digits)", d.ZoneID)
	}
	switch {
	case d.ReadinessPath == "":
		p.failf(key, "readinessPath is required: the path each region's Route 53 health check probes (docs/app-contract.md); "+
			"without it traffic has no data-plane failover when Route 53's control plane is down")
	case !pathRE.MatchString(d.ReadinessPath):
		p.failf(key, "readinessPath %q must be an absolute URL path like /readyz/primary", d.ReadinessPath)
	case d.ReadinessPath == LivenessPath:
		p.failf(key, "readinessPath %q is the load balancer's liveness path, which says nothing about the region's data roles: use the readiness endpoint of docs/app-contract.md", d.ReadinessPath)
	}
	return d
}

var (
	hostRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	zoneRE = regexp.MustCompile(`^Z[A-Z0-9]{4,31}$`)
	pathRE = regexp.MustCompile(`^/[A-Za-z0-9._~/-]{0,200}$`)
)

func (p *parser) email(key string) string {
	v := p.raw[key]
	if v == "" {
		return ""
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
		p.failf(key, "%q is not an email address", v)
	}
	return v
}

func (p *parser) switchover(key string) Switchover {
	s := Switchover{Mode: Planned, RpoBudgetSeconds: 10, TimeoutSeconds: 1800, PollSeconds: 10, RtoTargetMinutes: 15,
		ClientTTLSeconds: AliasTTLSeconds}
	p.object(key, &s)
	if s.Mode != Planned && s.Mode != Unplanned {
		p.failf(key, "mode %q is not allowed; allowed: %s, %s", s.Mode, Planned, Unplanned)
	}
	p.between(key, "rpoBudgetSeconds", s.RpoBudgetSeconds, 0, 3600)
	p.between(key, "timeoutSeconds", s.TimeoutSeconds, 60, 7200)
	p.between(key, "pollSeconds", s.PollSeconds, 1, 300)
	p.between(key, "rtoTargetMinutes", s.RtoTargetMinutes, 1, 240)
	p.between(key, "clientTtlSeconds", s.ClientTTLSeconds, 0, 600)
	if s.PollSeconds >= s.TimeoutSeconds {
		p.failf(key, "pollSeconds (%d) must be less than timeoutSeconds (%d)", s.PollSeconds, s.TimeoutSeconds)
	}
	return s
}

func (p *parser) between(key, field string, v, lo, hi int) {
	if v < lo || v > hi {
		p.failf(key, "%s is %d; allowed: %d to %d", field, v, lo, hi)
	}
}
