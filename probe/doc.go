// Package probe is the drill's synthetic shareholders: for the whole run of `drctl drill` or
// `drctl switchover` it sends requests to the public name (resolving DNS as a client does and
// honouring the answer's TTL) and to each region's load balancer directly, and records, second
// by second, what was sent, how each request ended (status, timeout, DNS failure), which region
// answered and the latency percentiles. Reads go to GET /probe/read; session writes and votes go
// to the probe-only POST /probe/session and POST /probe/vote, which keep no shareholder data
// (docs/app-contract.md). The rate is bounded (MaxRate) so a probe can never load production, and
// the probe never blocks or fails the run it watches: a request that cannot be sent is counted,
// not waited for.
package probe
