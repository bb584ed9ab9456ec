package switchovertest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/agm-dr/agm-dr/switchover"
)

// The Route 53 fake keeps one hosted zone per id with its record sets, and
// applies a change batch all or nothing, as Route 53 does: a DELETE must match
// the existing record exactly, a CREATE must not find one. A change stays
// PENDING for SwitchPolls GetChange calls, then is INSYNC. Route 53's control plane
// runs in us-east-1: marking a region down does not affect it; FailAlways on its
// operations models it down. Answer is its data plane (health checks and answers).

type zone struct{ records []r53types.ResourceRecordSet }

type change struct{ polls int }

func key(r r53types.ResourceRecordSet) string {
	return strings.ToLower(strings.TrimSuffix(aws.ToString(r.Name), ".")) + "|" + string(r.Type) + "|" + aws.ToString(r.SetIdentifier)
}

// AddZone adds an empty hosted zone.
func (w *World) AddZone(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.zones == nil {
		w.zones, w.changes = map[string]*zone{}, map[string]*change{}
	}
	w.zones[id] = &zone{}
}

// SetWeightedRecord creates or replaces the weighted alias A record of region,
// as a stack or a hand edit would.
func (w *World) SetWeightedRecord(zoneID, name, region string, weight int64, target string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	z := w.zones[zoneID]
	r := r53types.ResourceRecordSet{Name: aws.String(name + "."), Type: r53types.RRTypeA,
		SetIdentifier: aws.String(region), Weight: aws.Int64(weight),
		AliasTarget: &r53types.AliasTarget{DNSName: aws.String(target + "."), HostedZoneId: aws.String("Z-ALB"), EvaluateTargetHealth: true}}
	z.put(r)
}

// SetCheckedRecord is SetWeightedRecord with the region's health check attached, as the
// stacks make every record.
func (w *World) SetCheckedRecord(zoneID, name, region string, weight int64, target, healthCheckID string) {
	w.SetWeightedRecord(zoneID, name, region, weight, target)
	w.mu.Lock()
	defer w.mu.Unlock()
	z := w.zones[zoneID]
	z.records[z.find(strings.ToLower(name)+"|A|"+region)].HealthCheckId = aws.String(healthCheckID)
}

// Answer is what Route 53's data plane answers for name now (switchover.Answer over the
// zone's records), given which regions' health checks pass: no control-plane call is
// involved, so it answers while the control-plane operations are made to fail.
func (w *World) Answer(zoneID, name string, healthy func(region string) bool) []string {
	w.mu.Lock()
	var rs switchover.Routes
	for _, r := range w.zones[zoneID].records {
		if strings.TrimSuffix(aws.ToString(r.Name), ".") == name {
			rs = append(rs, switchover.Route{Region: aws.ToString(r.SetIdentifier), Weight: aws.ToInt64(r.Weight),
				HealthCheckID: aws.ToString(r.HealthCheckId)})
		}
	}
	w.mu.Unlock() // healthy may look at the world too
	return switchover.Answer(rs, healthy)
}

// Weights returns region → weight of name's records in zone.
func (w *World) Weights(zoneID, name string) map[string]int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]int64{}
	for _, r := range w.zones[zoneID].records {
		if strings.TrimSuffix(aws.ToString(r.Name), ".") == name {
			out[aws.ToString(r.SetIdentifier)] = aws.ToInt64(r.Weight)
		}
	}
	return out
}

func (z *zone) find(k string) int {
	for i, r := range z.records {
		if key(r) == k {
			return i
		}
	}
	return -1
}

func (z *zone) put(r r53types.ResourceRecordSet) {
	if i := z.find(key(r)); i >= 0 {
		z.records[i] = r
	} else {
		z.records = append(z.records, r)
	}
	sort.Slice(z.records, func(i, j int) bool { return key(z.records[i]) < key(z.records[j]) })
}

// Route53 returns a Route 53 client; region is only recorded.
func (w *World) Route53(region string) *Route53Client { return &Route53Client{w: w, region: region} }

// Route53Client implements switchover.Route53.
type Route53Client struct {
	w      *World
	region string
}

func (c *Route53Client) enter(op string) error {
	c.w.calls = append(c.w.calls, Call{Region: c.region, Op: op})
	if q := c.w.fail[op]; len(q) > 0 {
		c.w.fail[op] = q[1:]
		return q[0]
	}
	return c.w.sticky[op]
}

func (c *Route53Client) ListResourceRecordSets(_ context.Context, in *route53.ListResourceRecordSetsInput, _ ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.enter("ListResourceRecordSets"); err != nil {
		return nil, err
	}
	z, ok := c.w.zones[aws.ToString(in.HostedZoneId)]
	if !ok {
		return nil, APIError("NoSuchHostedZone", "no hosted zone "+aws.ToString(in.HostedZoneId))
	}
	start := strings.ToLower(strings.TrimSuffix(aws.ToString(in.StartRecordName), "."))
	out := &route53.ListResourceRecordSetsOutput{}
	for _, r := range z.records {
		if strings.ToLower(strings.TrimSuffix(aws.ToString(r.Name), ".")) >= start {
			out.ResourceRecordSets = append(out.ResourceRecordSets, r)
		}
	}
	return out, nil
}

// ResendNextChange models the AWS SDK's retry after a lost answer: the next
// ChangeResourceRecordSets is applied, its answer never reaches the client, and
// the SDK sends the same request again; the caller gets the second answer
// (InvalidChangeBatch when the batch deletes a record the first one removed).
// The SDK retries requests that fail on the connection, including
// non-idempotent ones (aws-sdk-go-v2 aws/retry, RetryableConnectionError).
func (w *World) ResendNextChange() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.resend++
}

// ResendNextRoleChange does the same for the next SwitchoverGlobalCluster,
// FailoverGlobalCluster or FailoverGlobalReplicationGroup, with a service fast
// enough to finish the change before the resend arrives: the resend is refused
// because the target already holds the role.
func (w *World) ResendNextRoleChange() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.resendRole++
}

func (c *Route53Client) ChangeResourceRecordSets(_ context.Context, in *route53.ChangeResourceRecordSetsInput, _ ...func(*route53.Options)) (*route53.ChangeResourceRecordSetsOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.enter("ChangeResourceRecordSets"); err != nil {
		return nil, err
	}
	if c.w.resend > 0 {
		c.w.resend--
		if _, err := c.apply(in); err != nil {
			return nil, err
		}
	}
	return c.apply(in)
}

func (c *Route53Client) apply(in *route53.ChangeResourceRecordSetsInput) (*route53.ChangeResourceRecordSetsOutput, error) {
	z, ok := c.w.zones[aws.ToString(in.HostedZoneId)]
	if !ok {
		return nil, APIError("NoSuchHostedZone", "no hosted zone "+aws.ToString(in.HostedZoneId))
	}
	next := &zone{records: append([]r53types.ResourceRecordSet(nil), z.records...)}
	for _, ch := range in.ChangeBatch.Changes {
		r := *ch.ResourceRecordSet
		i := next.find(key(r))
		switch ch.Action {
		case r53types.ChangeActionCreate:
			if i >= 0 {
				return nil, APIError("InvalidChangeBatch", "record "+key(r)+" already exists")
			}
			next.put(r)
		case r53types.ChangeActionUpsert:
			next.put(r)
		case r53types.ChangeActionDelete:
			if i < 0 || fmt.Sprint(next.records[i].Weight, *next.records[i].AliasTarget.DNSName) != fmt.Sprint(r.Weight, *r.AliasTarget.DNSName) {
				return nil, APIError("InvalidChangeBatch", "record "+key(r)+" not found with the given values")
			}
			next.records = append(next.records[:i], next.records[i+1:]...)
		}
	}
	z.records = next.records // all or nothing
	c.w.changeSeq++
	id := fmt.Sprintf("/change/C%04d", c.w.changeSeq)
	c.w.changes[id] = &change{polls: c.w.SwitchPolls}
	c.w.Batches = append(c.w.Batches, in.ChangeBatch.Changes)
	return &route53.ChangeResourceRecordSetsOutput{ChangeInfo: &r53types.ChangeInfo{Id: aws.String(id), Status: r53types.ChangeStatusPending}}, nil
}

func (c *Route53Client) GetChange(_ context.Context, in *route53.GetChangeInput, _ ...func(*route53.Options)) (*route53.GetChangeOutput, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if err := c.enter("GetChange"); err != nil {
		return nil, err
	}
	ch, ok := c.w.changes[aws.ToString(in.Id)]
	if !ok {
		return nil, APIError("NoSuchChange", "no change "+aws.ToString(in.Id))
	}
	st := r53types.ChangeStatusInsync
	if ch.polls > 0 {
		ch.polls--
		st = r53types.ChangeStatusPending
	}
	return &route53.GetChangeOutput{ChangeInfo: &r53types.ChangeInfo{Id: in.Id, Status: st}}, nil
}
