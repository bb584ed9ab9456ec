package simulate

import (
	"sort"
	"strconv"
	"time"
)

// dns is the weighted record set of the service's name with one health
// check per region. Route 53 answers with a healthy non-zero-weight record;
// only when none is healthy does it consider the zero-weight ones; when no
// record is healthy it treats them all as healthy.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
// The health checks and the answers are Route 53's data plane: they work while
// its control plane (the record API, World.route53Down) does not.
type dns struct {
	name      string
	weight    map[string]int    // set identifier (region) → weight; absent: no record
	target    map[string]string // region → alias target (its ALB)
	insync    map[string]time.Time
	changes   int
	healthy   map[string]bool
	streak    map[string]int // consecutive probe results against the status
	nextProbe time.Time
}

func newDNS(w *World, name string, weights map[string]int) *dns {
	d := &dns{name: name, weight: weights, target: map[string]string{}, insync: map[string]time.Time{},
		healthy: map[string]bool{}, streak: map[string]int{}, nextProbe: w.now}
	for _, r := range w.regions {
		d.healthy[r] = ready(w, r)
	}
	return d
}

// setWeight changes one record's weight (a Pulumi route53.Record update).
func (d *dns) setWeight(w *World, region string, weight int, who string) {
	if v, ok := d.weight[region]; ok && v == weight {
		return
	}
	d.weight[region] = weight
	w.log("route53", "records now %s (%s)", d.describe(w), who)
}

// replace applies one atomic change batch.
func (d *dns) replace(w *World, weights map[string]int, who string) {
	d.weight = weights
	w.log("route53", "records now %s (%s)", d.describe(w), who)
}

func (d *dns) describe(w *World) string {
	s := ""
	for _, r := range w.regions {
		v, ok := d.weight[r]
		if !ok {
			continue
		}
		if s != "" {
			s += ", "
		}
		s += r + "=" + strconv.Itoa(v)
	}
	if s == "" {
		return "no records"
	}
	return s
}

// ready is what a Route 53 health checker sees on the region's readiness path
// (docs/app-contract.md): a healthy task answers 200 only while the region holds
// the data roles: its cache member is the datastore primary and takes writes, and
// the Aurora writer answers.
func ready(w *World, region string) bool {
	if w.down[region] || w.ecs[region].healthy == 0 {
		return false
	}
	if w.mechanismOff(OffRoleReadiness) {
		return true
	}
	if w.cache.primary != region {
		return false
	}
	cacheOK, _ := w.cache.writable(w, region)
	writerOK, _ := w.aurora.writable(w, region)
	return cacheOK && writerOK
}

func (d *dns) tick(w *World) {
	if w.now.Before(d.nextProbe) {
		return
	}
	d.nextProbe = w.now.Add(w.P.HealthInterval)
	for _, r := range w.regions {
		if ready(w, r) == d.healthy[r] {
			d.streak[r] = 0
			continue
		}
		d.streak[r]++
		if d.streak[r] >= w.P.FailureThreshold {
			d.healthy[r], d.streak[r] = !d.healthy[r], 0
			state := "UNHEALTHY"
			if d.healthy[r] {
				state = "healthy"
			}
			w.log("route53", "health check of %s now %s (%d probes %s apart)", r, state, w.P.FailureThreshold, w.P.HealthInterval)
		}
	}
}

// resolve answers one DNS query.
func (d *dns) resolve(w *World) string {
	pick := func(cands []string, weighted bool) string {
		sort.Strings(cands)
		total := 0
		for _, r := range cands {
			if weighted {
				total += d.weight[r]
			} else {
				total++
			}
		}
		x := w.rng.Intn(total)
		for _, r := range cands {
			n := 1
			if weighted {
				n = d.weight[r]
			}
			if x < n {
				return r
			}
			x -= n
		}
		return cands[len(cands)-1]
	}
	var nonZero, zero, all, allZero []string
	for _, r := range w.regions {
		if _, ok := d.weight[r]; !ok {
			continue
		}
		if d.weight[r] > 0 {
			all = append(all, r)
		} else {
			allZero = append(allZero, r)
		}
		if !d.healthy[r] {
			continue
		}
		if d.weight[r] > 0 {
			nonZero = append(nonZero, r)
		} else {
			zero = append(zero, r)
		}
	}
	switch {
	case len(nonZero) > 0:
		return pick(nonZero, true)
	case len(zero) > 0:
		return pick(zero, false)
	case len(all) > 0:
		return pick(all, true)
	case len(allZero) > 0:
		return pick(allZero, false)
	}
	return "" // no record: NXDOMAIN
}

// lastHealthFlip is the last second in (from, to) at which a region's Route 53 health status
// changed, or -1.
func (r *Result) lastHealthFlip(from, to float64) float64 {
	last := -1.0
	for i := 1; i < len(r.Series); i++ {
		s, prev := r.Series[i], r.Series[i-1]
		if s.At <= from || s.At >= to {
			continue
		}
		for k, v := range s.Healthy {
			if prev.Healthy[k] != v {
				last = s.At
			}
		}
	}
	return last
}
