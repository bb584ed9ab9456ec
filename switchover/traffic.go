package switchover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
)

// Route 53 facts the traffic design rests on:
//   - A weighted record set answers only from non-zero records while one of them is
//     healthy; zero-weight records are used when every non-zero record is unhealthy
//     (docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html,
//     "Health checks and weighted routing").
//   - When every record of a set is unhealthy Route 53 treats them all as healthy
//     (…/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
//   - ChangeResourceRecordSets applies a batch atomically and returns a change id
//     that GetChange reports PENDING until every Route 53 server has it, then
//     INSYNC (…/APIReference/API_ChangeResourceRecordSets.html, API_GetChange.html).
//
// So every region has a record, each with its own health check, and the health check IS
// the routing decision: it passes only while the region holds the data roles (its cache
// member is the datastore primary and the Aurora writer answers; docs/app-contract.md).
// The primary's record has weight 100, every other one weight 0: while the primary's
// check passes only it is answered; when it fails Route 53 answers the standby whose
// check passes, with no control-plane call (the unplanned failover's path, dataplane.go).
// A record without a health check is deleted: it would count as healthy and take traffic
// whatever its roles. When every check fails Route 53 answers the weight-100 record
// alone, the last declared primary: one region, never a split.

// TrafficWeight is the weight of the primary's record; StandbyWeight every other one's.
const (
	TrafficWeight = 100
	StandbyWeight = 0
)

// TrafficTarget is the routing to make true: Primary's record (set identifier = its
// region) aliases its load balancer with TrafficWeight, and no other record of the
// name exists.
type TrafficTarget struct {
	ZoneID     string
	RecordName string // e.g. "agm.example.jp"
	Primary    string // region whose load balancer gets all traffic
	// The primary's load balancer.
	LoadBalancerDNSName string
	LoadBalancerZoneID  string
	// HealthCheckID is Primary's health check, attached to its record: its status is
	// the data-plane routing decision (required).
	HealthCheckID string
	// Standby: Primary names this stack's region, which is NOT the primary: make its
	// record exist with its health check (weight StandbyWeight when new, else kept) and
	// touch no other record.
	Standby bool
	// ClientTTL is how long resolvers may keep the old answer: after INSYNC the run
	// waits this long (on top of Options.Timeout), so when it returns no client
	// still goes to the old region.
	// Alias records to a load balancer have a fixed TTL of 60 s (Route 53 FAQ, "Do I
	// need to adjust the TTL for my records in order to use DNS Failover?",
	// aws.amazon.com/route53/faqs/). Zero: no wait.
	ClientTTL time.Duration
}

// Traffic moves and reads the weighted records of the service name.
type Traffic struct {
	API Route53
	Log Reporter
}

func normName(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

// Describe lists the weighted A records of name in zone.
func (t *Traffic) Describe(ctx context.Context, zoneID, name string) (Routes, error) {
	in := &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID),
		StartRecordName: aws.String(name), StartRecordType: r53types.RRTypeA}
	res := fmt.Sprintf("records %s in zone %s", name, zoneID)
	var out Routes
	for {
		page, err := t.API.ListResourceRecordSets(ctx, in)
		if err != nil {
			return nil, controlPlane(awsError("route53:ListResourceRecordSets", res, "global", err))
		}
		for _, rr := range page.ResourceRecordSets {
			if normName(aws.ToString(rr.Name)) != normName(name) || rr.Type != r53types.RRTypeA {
				return out, nil // sorted by name and type: past ours
			}
			r := Route{Region: aws.ToString(rr.SetIdentifier), Weight: aws.ToInt64(rr.Weight),
				HealthCheckID: aws.ToString(rr.HealthCheckId), raw: rr}
			if rr.AliasTarget != nil {
				r.Target = normName(aws.ToString(rr.AliasTarget.DNSName))
			}
			out = append(out, r)
		}
		if !page.IsTruncated {
			return out, nil
		}
		in.StartRecordName, in.StartRecordType, in.StartRecordIdentifier =
			page.NextRecordName, page.NextRecordType, page.NextRecordIdentifier
	}
}

// changes is the batch that makes tt true from rs; empty when it already is.
func (tt TrafficTarget) changes(rs Routes) []r53types.Change {
	var ch []r53types.Change
	cur, ok := rs.get(tt.Primary)
	weight := int64(TrafficWeight)
	if tt.Standby {
		weight = StandbyWeight
		if ok {
			weight = cur.Weight // the primary's stack moves weights, never the standby's
		}
	}
	want := tt.record(weight)
	if !ok || cur.Weight != weight || cur.Target != normName(tt.LoadBalancerDNSName) || cur.HealthCheckID != tt.HealthCheckID {
		ch = append(ch, r53types.Change{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &want})
	}
	if tt.Standby {
		return ch
	}
	for _, r := range rs {
		if r.Region == tt.Primary {
			continue
		}
		raw := r.raw
		switch {
		case r.HealthCheckID == "":
			// Without a health check a record counts as healthy: it would take traffic
			// whenever the primary's check fails, whatever its roles.
			ch = append(ch, r53types.Change{Action: r53types.ChangeActionDelete, ResourceRecordSet: &raw})
		case r.Weight != StandbyWeight:
			// In the same batch as the primary's: no answer ever names two regions.
			raw.Weight = aws.Int64(StandbyWeight)
			ch = append(ch, r53types.Change{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &raw})
		}
	}
	return ch
}

// record is tt.Primary's record as tt declares it, with weight.
func (tt TrafficTarget) record(weight int64) r53types.ResourceRecordSet {
	want := r53types.ResourceRecordSet{
		Name: aws.String(tt.RecordName), Type: r53types.RRTypeA,
		SetIdentifier: aws.String(tt.Primary), Weight: aws.Int64(weight),
		AliasTarget: &r53types.AliasTarget{DNSName: aws.String(tt.LoadBalancerDNSName),
			HostedZoneId: aws.String(tt.LoadBalancerZoneID), EvaluateTargetHealth: false},
	}
	want.HealthCheckId = aws.String(tt.HealthCheckID)
	return want
}

func (tt TrafficTarget) validate() error {
	var errs []error
	if tt.ZoneID == "" || tt.RecordName == "" || tt.Primary == "" {
		errs = append(errs, errors.New("zoneId, recordName and primaryRegion are required"))
	}
	if tt.LoadBalancerDNSName == "" || tt.LoadBalancerZoneID == "" {
		errs = append(errs, fmt.Errorf("the load balancer of %s (DNS name and zone id) is required", tt.Primary))
	}
	if tt.HealthCheckID == "" {
		errs = append(errs, fmt.Errorf("the health check of %s is required: without it traffic cannot fail over on the data plane", tt.Primary))
	}
	return errors.Join(errs...)
}

// EnsureTraffic makes tt true with one atomic ChangeResourceRecordSets call
// (the new primary's record at TrafficWeight, every other at StandbyWeight), then
// waits until Route 53 reports the change INSYNC. It does nothing when the records
// already match. Every call here is Route 53's control plane, which runs in
// us-east-1 whichever region failed: a refused or unanswered call returns a
// *ControlPlaneError, and in unplanned mode the attempt is bounded by
// ControlPlaneBudget, so the caller can fall back to the data plane (dataplane.go).
func (t *Traffic) EnsureTraffic(parent context.Context, tt TrafficTarget, o Options) (Outcome, error) {
	o = o.withDefaults()
	p := newPhases(t.Log, o)
	budget := o.Timeout
	if o.Mode == Unplanned && ControlPlaneBudget < budget {
		budget = ControlPlaneBudget
	}
	ctx, cancel := context.WithTimeout(parent, budget)
	defer cancel()
	res := fmt.Sprintf("records %s in zone %s", tt.RecordName, tt.ZoneID)
	fail := func(api string, err error) (Outcome, error) { // a Route 53 call failed
		return Outcome{}, controlPlane(timeoutError(api, res, budget, err))
	}
	if err := tt.validate(); err != nil {
		return Outcome{}, &Error{API: "traffic", Resource: res, Err: err, Hint: "fix the Traffic resource's inputs"}
	}
	rs, err := t.Describe(ctx, tt.ZoneID, tt.RecordName)
	if err != nil {
		return fail("route53:ListResourceRecordSets", err)
	}
	ch := tt.changes(rs)
	if len(ch) == 0 {
		p.done("records already as declared (%s); nothing to do", rs)
		return Outcome{Actual: tt.Primary}, nil
	}
	out := Outcome{Switched: true, Started: p.start, Mode: o.Mode}
	p.log.Info(fmt.Sprintf("traffic now: %s; one change: %s", rs, describeChanges(ch)))
	resp, err := t.change(ctx, p, tt, ch)
	if err != nil {
		return fail("route53:ChangeResourceRecordSets", (awsError("route53:ChangeResourceRecordSets", res, "global", err)))
	}
	id := ""
	if resp.ChangeInfo != nil {
		id = aws.ToString(resp.ChangeInfo.Id)
	}
	p.done("route53:ChangeResourceRecordSets %s accepted", id)
	err = waitFor(ctx, p, o.Poll, "Route 53 change "+id, func(ctx context.Context) (bool, string, error) {
		c, err := t.API.GetChange(ctx, &route53.GetChangeInput{Id: aws.String(id)})
		if err != nil {
			return false, "", controlPlane(awsError("route53:GetChange", "change "+id, "global", err))
		}
		st := r53types.ChangeStatusPending
		if c.ChangeInfo != nil {
			st = c.ChangeInfo.Status
		}
		return st == r53types.ChangeStatusInsync, string(st), nil
	})
	if err != nil {
		return fail("wait", err)
	}
	p.done("Route 53 change %s is INSYNC: new lookups get only %s", id, tt.Primary)
	if tt.ClientTTL > 0 && tt.answeredElsewhere(rs) {
		// A fixed, known delay after the change is done: not bounded by the
		// timeout (which is for waiting on AWS), only by cancellation.
		p.log.Info(fmt.Sprintf("waiting %s for answers cached before the change to expire (record TTL)", round(tt.ClientTTL)))
		if err := p.clock.Sleep(parent, tt.ClientTTL); err != nil {
			return Outcome{}, timeoutError("wait", res, o.Timeout, err)
		}
	}
	out.Finished, out.Actual = p.now(), tt.Primary
	if tt.Standby {
		p.done("%s's record is in place with its health check", tt.Primary)
	} else {
		p.done("traffic goes only to %s", tt.Primary)
	}
	return out, nil
}

// changeAttempts bounds how often a batch refused as InvalidChangeBatch is rebuilt from a
// fresh read and sent again.
const changeAttempts = 3

// change sends ch. Route 53 refuses a whole batch with InvalidChangeBatch when a DELETE no
// longer matches a record exactly (API_ChangeResourceRecordSets.html, Errors). That happens
// when the records changed after the read: a hand edit, another run, or the SDK's own retry
// of a batch whose first answer was lost on the way back (the first attempt applied, so the
// retry's DELETE finds nothing). Each time, change reads the records again and sends what is
// still missing. When nothing is, it re-sends the primary's record (an idempotent UPSERT) so
// there is a change id to wait on: the run still ends only once a change sent after the
// records read as wanted is INSYNC.
func (t *Traffic) change(ctx context.Context, p *phases, tt TrafficTarget, ch []r53types.Change) (*route53.ChangeResourceRecordSetsOutput, error) {
	for attempt := 1; ; attempt++ {
		resp, err := t.API.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
			HostedZoneId: aws.String(tt.ZoneID),
			ChangeBatch: &r53types.ChangeBatch{Changes: ch,
				Comment: aws.String("agm-dr: all traffic to " + tt.Primary)},
		})
		var apiErr smithy.APIError
		if err == nil || attempt == changeAttempts || !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidChangeBatch" {
			return resp, err
		}
		p.log.Warn(fmt.Sprintf("Route 53 refused the batch (%s): the records changed since they were read; reading them again", apiErr.ErrorMessage()))
		rs, derr := t.Describe(ctx, tt.ZoneID, tt.RecordName)
		if derr != nil {
			return nil, derr
		}
		if ch = tt.changes(rs); len(ch) == 0 {
			want := tt.record(TrafficWeight)
			ch = []r53types.Change{{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &want}}
		}
		p.log.Info(fmt.Sprintf("traffic now: %s; sending again: %s", rs, describeChanges(ch)))
	}
}

// answeredElsewhere reports whether a resolver may hold an answer, from before the change, that
// does not lead to tt's load balancer: only then is there a cached answer to wait out. A first
// record (bring-up) or a change of the health check alone leaves nothing to expire.
func (tt TrafficTarget) answeredElsewhere(before Routes) bool {
	if tt.Standby {
		return false // the standby's own record moves no traffic
	}
	for _, r := range before {
		if r.Weight > 0 && (r.Region != tt.Primary || r.Target != normName(tt.LoadBalancerDNSName)) {
			return true
		}
	}
	return false
}
