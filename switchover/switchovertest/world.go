// Package switchovertest holds in-process fakes of the RDS, CloudWatch-lag
// and ElastiCache global-datastore APIs the switchover engine uses. One World
// is one AWS account; clients are per region, record every call with its
// region, and can be marked down, so tests can prove which endpoints a
// switchover touched. ElastiCache global datastores are faked here because
// the ministack emulator does not serve those calls.
package switchovertest

import (
	"fmt"
	"net"
	"sync"

	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
)

// Call is one recorded API call.
type Call struct {
	Region, Op string
	// AllowDataLoss is set for FailoverGlobalCluster calls.
	AllowDataLoss bool
}

// World is the fake account state shared by all regional clients.
type World struct {
	mu         sync.Mutex
	globals    map[string]*Global
	clusters   map[string]string // cluster ARN -> status
	datastores map[string]*Datastore
	groups     map[string]*ReplicationGroup // region/id -> standalone or member group (groups.go)
	down       map[string]bool
	fail       map[string][]error // op -> queued errors (last one sticks if sticky)
	sticky     map[string]error
	lagMs      map[string]float64 // cluster id -> lag
	calls      []Call
	// SwitchPolls is how many describe calls a requested change stays in
	// flight (default 2); set it before use.
	SwitchPolls int
	// LingerWhenOldDown models the finding for unplanned failovers:
	// when the old primary's region is down, the target takes the role but
	// Aurora keeps FailoverState set and the datastore stays "modifying", and
	// a failover request replaces a planned change stuck in flight. (Assumed
	// worst case, not a documented AWS behaviour: the engine must not depend
	// on those states clearing.)
	LingerWhenOldDown bool

	zones     map[string]*zone
	changes   map[string]*change
	changeSeq int
	// Batches are the Route 53 change batches applied, in order.
	Batches [][]r53types.Change
	// resend counts Route 53 change calls whose answer is lost (see ResendNextChange).
	resend int
	// resendRole counts role changes whose resend meets the finished change (ResendNextRoleChange).
	resendRole int

	services map[string]*Service
	targets  map[string]*ScalableTarget
	actions  map[string]ScheduledAction
}

// NewWorld returns an empty account.
func NewWorld() *World {
	return &World{
		globals: map[string]*Global{}, clusters: map[string]string{}, datastores: map[string]*Datastore{}, groups: map[string]*ReplicationGroup{},
		down: map[string]bool{}, fail: map[string][]error{}, sticky: map[string]error{}, lagMs: map[string]float64{},
		SwitchPolls: 2,
	}
}

// SetDown makes every call to region's endpoints fail as a refused connection.
func (w *World) SetDown(region string, down bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.down[region] = down
}

// IsDown reports whether region is marked down.
func (w *World) IsDown(region string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.down[region]
}

// FailNext makes the next call of op (e.g. "SwitchoverGlobalCluster") fail with err.
func (w *World) FailNext(op string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fail[op] = append(w.fail[op], err)
}

// FailAlways makes every call of op fail with err (nil clears it).
func (w *World) FailAlways(op string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sticky[op] = err
}

// SetLag sets the replication lag, in milliseconds, the Lag client reports.
func (w *World) SetLag(clusterID string, ms float64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lagMs[clusterID] = ms
}

// SetClusterStatus sets a DB cluster's status (default "available").
func (w *World) SetClusterStatus(clusterArn, status string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.clusters[clusterArn] = status
}

// Calls returns the calls made so far, optionally only those of region.
func (w *World) Calls(region string) []Call {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []Call
	for _, c := range w.calls {
		if region == "" || c.Region == region {
			out = append(out, c)
		}
	}
	return out
}

// Count returns how many calls of op were made in any region.
func (w *World) Count(op string) int {
	n := 0
	for _, c := range w.Calls("") {
		if c.Op == op {
			n++
		}
	}
	return n
}

// enter records a call and returns the injected or down error, if any.
// Callers hold w.mu.
func (w *World) enter(region, op string, dataLoss bool) error {
	w.calls = append(w.calls, Call{Region: region, Op: op, AllowDataLoss: dataLoss})
	if w.down[region] {
		return &smithy.OperationError{OperationName: op, Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: fmt.Errorf("%s endpoint: connection refused", region)}}
	}
	if q := w.fail[op]; len(q) > 0 {
		w.fail[op] = q[1:]
		return q[0]
	}
	return w.sticky[op]
}

// APIError builds an AWS-style error with code.
func APIError(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg, Fault: smithy.FaultClient}
}
