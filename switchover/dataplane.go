package switchover

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/agm-dr/agm-dr/readiness"
)

// Route 53 runs its control plane (ListResourceRecordSets, ChangeResourceRecordSets,
// GetChange, zone lookups) in us-east-1 only, whichever region has failed; health checks
// and DNS answers are its data plane, served from every edge location ("AWS Fault
// Isolation Boundaries", Global services → Amazon Route 53:
// docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html;
// Well-Architected REL11-BP04, "Rely on the data plane and not the control plane during
// recovery"). So the traffic move of an unplanned failover must not need the control
// plane: every region has a record with a health check whose status is the routing
// decision, and Answer is what Route 53 then answers.

// ControlPlaneBudget bounds the control-plane attempt of an unplanned run: an impaired
// control plane may hang rather than refuse, and the failover must not wait on it for the
// whole run's timeout before it falls back to the data plane.
const ControlPlaneBudget = 2 * time.Minute

// ControlPlaneError is a Route 53 control-plane call that was refused or did not finish.
type ControlPlaneError struct{ Err error }

func (e *ControlPlaneError) Error() string { return "route 53 control plane: " + e.Err.Error() }
func (e *ControlPlaneError) Unwrap() error { return e.Err }

func controlPlane(err error) error {
	var cp *ControlPlaneError
	if err == nil || errors.As(err, &cp) {
		return err
	}
	return &ControlPlaneError{Err: err}
}

// IsControlPlane reports whether err is a refused or unfinished Route 53 control-plane call.
func IsControlPlane(err error) bool {
	var cp *ControlPlaneError
	return errors.As(err, &cp)
}

// Answer is the set of regions Route 53 may answer for a weighted record set, given
// which health checks pass (by region): the healthy records of non-zero weight; when
// none, the healthy zero-weight ones; when no record is healthy, every record is treated
// as healthy, so the non-zero ones (or, all weights zero, all of them). Sources: Route 53
// Developer Guide, "Weighted routing" (routing-policy-weighted.html) and "How Amazon
// Route 53 chooses records when health checking is configured"
// (health-checks-how-route-53-chooses-records.html). A record without a health check is
// always healthy. Sorted; empty when there is no record.
func Answer(rs Routes, healthy func(region string) bool) []string {
	var nonZero, zero, all, allZero []string
	for _, r := range rs {
		ok := r.HealthCheckID == "" || healthy(r.Region)
		switch {
		case r.Weight > 0 && ok:
			nonZero = append(nonZero, r.Region)
		case ok:
			zero = append(zero, r.Region)
		}
		if r.Weight > 0 {
			all = append(all, r.Region)
		} else {
			allZero = append(allZero, r.Region)
		}
	}
	for _, set := range [][]string{nonZero, zero, all, allZero} {
		if len(set) > 0 {
			slices.Sort(set)
			return set
		}
	}
	return nil
}

// AwaitDataPlane is the traffic step of a run whose control-plane change was refused: the
// roles have moved (traffic runs last), so Route 53's health checks flip the answer within
// readiness.Detection, and resolvers follow one clientTTL later. It waits that fixed time on
// the run's clock, so when the failover `up` ends no shareholder is still sent to the old
// primary, as after the control-plane change.
func (t *Traffic) AwaitDataPlane(ctx context.Context, region string, clientTTL time.Duration, o Options) error {
	o = o.withDefaults()
	wait := readiness.Detection + clientTTL
	if t.Log != nil {
		t.Log.Info(fmt.Sprintf("waiting %s for Route 53's health checks to answer %s (%s) and cached answers to expire (%s)",
			round(wait), region, round(readiness.Detection), round(clientTTL)))
	}
	return o.Clock.Sleep(ctx, wait)
}
