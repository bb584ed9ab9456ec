package report

import "time"

// Observation is what the drill's synthetic shareholders saw (package probe), second by second.
type Observation struct {
	Started  time.Time         `json:"started"`
	Seconds  float64           `json:"seconds"`
	Rate     int               `json:"roundsPerSecond"` // each round: read, session write and vote on the public name, a read per load balancer
	Public   string            `json:"public"`
	Resolver string            `json:"resolver"`
	Regions  map[string]string `json:"regions"` // region → the load balancer endpoint probed directly
	Series   []ObservedSecond  `json:"series"`
	Failures []FailureRun      `json:"failures"` // runs of failed requests per kind
	Totals   map[string]Tally  `json:"totals"`   // kind → requests and how they ended
	Note     string            `json:"note,omitempty"`
}

// ObservedSecond is one second of probe requests, counted by the second they were sent in.
type ObservedSecond struct {
	At       float64        `json:"at"` // seconds after Observation.Started
	Sent     int            `json:"sent"`
	SentBy   map[string]int `json:"sentBy"`             // kind → requests sent
	Outcomes map[string]int `json:"outcomes"`           // ok, http-503, timeout, dns, error, skipped
	Failed   map[string]int `json:"failed,omitempty"`   // kind (read, session, vote, direct:<region>) → failed
	ByRegion map[string]int `json:"byRegion,omitempty"` // public-name requests answered, by the region that answered
	VotesOK  map[string]int `json:"votesOk,omitempty"`  // votes that succeeded, by region
	P50Ms    float64        `json:"p50Ms"`
	P90Ms    float64        `json:"p90Ms"`
	P99Ms    float64        `json:"p99Ms"`
	MaxMs    float64        `json:"maxMs"`
}

// FailureRun is a span in which every request of one kind failed: from the first failed request
// to the first one that succeeded again (or the last failure, if none did).
type FailureRun struct {
	Kind   string  `json:"kind"`
	From   float64 `json:"from"` // seconds after Observation.Started
	To     float64 `json:"to"`
	Failed int     `json:"failed"`
}

// Tally counts the requests of one kind.
type Tally struct {
	Sent      int            `json:"sent"`
	Failed    int            `json:"failed"`
	ByOutcome map[string]int `json:"byOutcome"`
}

// Failed reports whether an outcome is a failure. Skipped requests were never sent: they are
// neither served nor failed.
func FailedOutcome(outcome string) bool { return outcome != "ok" && outcome != "skipped" }

// CanaryView is one region's in-AWS probe (a Synthetics canary) during the run: its success
// percentage per minute, or why it could not be read.
type CanaryView struct {
	Region  string         `json:"region"`
	Canary  string         `json:"canary"`
	Minutes []CanaryMinute `json:"minutes,omitempty"`
	Note    string         `json:"note,omitempty"`
}

// CanaryMinute is the average SuccessPercent of the canary's runs in one minute.
type CanaryMinute struct {
	At             time.Time `json:"at"`
	SuccessPercent float64   `json:"successPercent"`
}
