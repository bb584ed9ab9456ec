package config

import "strconv"

// sleeping parses agm-dr:sleeping. A sleeping environment runs no tasks and has no NAT gateway,
// so it cannot serve or take over: only the dev profile may sleep.
func (p *parser) sleeping(key string, profile Profile) bool {
	v, ok := p.raw[key]
	if !ok || v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.failf(key, "%q is not allowed; allowed: true, false", v)
		return false
	}
	if b && profile != Dev {
		p.failf(key, "true is refused for profile %s: a sleeping environment serves nothing and cannot take over; only profile %s may sleep",
			profile, Dev)
		return false
	}
	return b
}
