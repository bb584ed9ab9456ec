// Package readiness is the region readiness check that Route 53's health checks probe
// (docs/app-contract.md): a region answers 200 only while it holds the data roles, so the
// health check's status is the data-plane routing decision. The app serves Handler at the
// configured readinessPath; the Route 53 health check matches SearchString in the body.
package readiness

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Probes are what a region's task can observe of its data roles.
type Probes interface {
	// CacheRole is the ROLE of this region's cache member ("master" or "slave"); a Global
	// Datastore secondary reports "slave" and refuses writes with READONLY.
	CacheRole(ctx context.Context) (string, error)
	// CacheWrite writes a short-lived probe key through CACHE_ENDPOINT.
	CacheWrite(ctx context.Context) error
	// WriterReachable runs `SELECT pg_is_in_recovery()` through DB_WRITER_ENDPOINT and
	// reports whether it answered false (a writer, not a replica).
	WriterReachable(ctx context.Context) (bool, error)
}

// The Route 53 health check's timing (components/dns): a region's status flips after
// FailureThreshold consecutive results, one every Interval per checker.
const (
	Interval         = 10 * time.Second
	FailureThreshold = 3
)

// Detection is how long after a region gains or loses the roles Route 53 may take to flip
// its status: FailureThreshold probes, plus one interval for where the change falls between
// two probes (Route 53 Developer Guide, "How Amazon Route 53 determines whether a health
// check is healthy").
const Detection = (FailureThreshold + 1) * Interval

// Timeout bounds all probes together: Route 53 counts a check failed when the answer does not
// come within two seconds of connecting (Route 53 Developer Guide, "How Amazon Route 53
// determines whether a health check is healthy", dns-failover-determining-health-of-endpoints.html).
const Timeout = 1500 * time.Millisecond

// Status is the readiness answer; its JSON field order is part of the contract.
type Status struct {
	Ready           bool   `json:"ready"`
	Region          string `json:"region"`
	CacheRole       string `json:"cacheRole"`
	CacheWritable   bool   `json:"cacheWritable"`
	WriterReachable bool   `json:"writerReachable"`
	Reason          string `json:"reason,omitempty"`
}

// SearchString is what region's Route 53 health check looks for in the first 5,120 bytes
// of the body (HTTPS_STR_MATCH): a 200 from anything else (a default page, the other region's
// app behind a misrouted name) does not pass.
func SearchString(region string) string { return `{"ready":true,"region":"` + region + `"` }

// Check asks every probe and decides: ready only when the cache member is the primary, a
// write to it succeeds and the Aurora writer answers as a writer.
func Check(ctx context.Context, region string, p Probes) Status {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	s := Status{Region: region}
	role, err := p.CacheRole(ctx)
	s.CacheRole = role
	switch {
	case err != nil:
		s.Reason = "cache role unknown: " + err.Error()
	case role != "master":
		s.Reason = "this region's cache member is a secondary (read-only)"
	default:
		if err := p.CacheWrite(ctx); err != nil {
			s.Reason = "cache write refused: " + err.Error()
		} else {
			s.CacheWritable = true
		}
	}
	ok, err := p.WriterReachable(ctx)
	s.WriterReachable = err == nil && ok
	if !s.WriterReachable && s.Reason == "" {
		s.Reason = "the Aurora writer did not answer as a writer"
		if err != nil {
			s.Reason += ": " + err.Error()
		}
	}
	s.Ready = s.CacheWritable && s.WriterReachable
	return s
}

// Handler answers GET with the Status: 200 when ready, 503 otherwise; never a redirect
// (Route 53 counts 3xx as healthy).
func Handler(region string, p Probes) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := Check(r.Context(), region, p)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !s.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(s)
	})
}
