package switchover

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/smithy-go"
)

// ElastiCache is the part of the ElastiCache API the engine uses;
// *elasticache.Client satisfies it.
type ElastiCache interface {
	DescribeGlobalReplicationGroups(context.Context, *elasticache.DescribeGlobalReplicationGroupsInput, ...func(*elasticache.Options)) (*elasticache.DescribeGlobalReplicationGroupsOutput, error)
	FailoverGlobalReplicationGroup(context.Context, *elasticache.FailoverGlobalReplicationGroupInput, ...func(*elasticache.Options)) (*elasticache.FailoverGlobalReplicationGroupOutput, error)
}

// CacheTarget names the replication group that must become the primary of
// a global datastore. Region is its region and the API client's.
type CacheTarget struct {
	GlobalReplicationGroupID string
	Region                   string
	ReplicationGroupID       string
}

// Cache moves and reads the primary of an ElastiCache global datastore.
type Cache struct {
	API ElastiCache
	Log Reporter
}

// Datastore is the role picture DescribeGlobalReplicationGroups gives.
type Datastore struct {
	Status        string
	PrimaryID     string
	PrimaryRegion string
	Members       []CacheMember
}

// CacheMember is one regional replication group of a global datastore.
type CacheMember struct {
	ID, Region, Role, Status string
}

func (d Datastore) String() string {
	return fmt.Sprintf("status %s, primary %s (%s)", d.Status, d.PrimaryID, d.PrimaryRegion)
}

// Describe reads the global datastore's roles.
func (c *Cache) Describe(ctx context.Context, globalID, region string) (Datastore, error) {
	out, err := c.API.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(globalID),
		ShowMemberInfo:           aws.Bool(true),
	})
	res := "global datastore " + globalID
	if err != nil {
		return Datastore{}, awsError("elasticache:DescribeGlobalReplicationGroups", res, region, err)
	}
	if len(out.GlobalReplicationGroups) == 0 {
		return Datastore{}, awsError("elasticache:DescribeGlobalReplicationGroups", res, region,
			errors.New("GlobalReplicationGroupNotFoundFault: no such global datastore"))
	}
	g := out.GlobalReplicationGroups[0]
	d := Datastore{Status: aws.ToString(g.Status)}
	for _, m := range g.Members {
		mem := CacheMember{ID: aws.ToString(m.ReplicationGroupId), Region: aws.ToString(m.ReplicationGroupRegion),
			Role: strings.ToLower(aws.ToString(m.Role)), Status: aws.ToString(m.Status)}
		if mem.Role == "primary" {
			d.PrimaryID, d.PrimaryRegion = mem.ID, mem.Region
		}
		d.Members = append(d.Members, mem)
	}
	return d, nil
}

func (d Datastore) isPrimary(t CacheTarget) bool {
	return d.PrimaryID == t.ReplicationGroupID && d.PrimaryRegion == t.Region
}

func (d Datastore) has(t CacheTarget) bool {
	for _, m := range d.Members {
		if m.ID == t.ReplicationGroupID && m.Region == t.Region {
			return true
		}
	}
	return false
}

// busy reports a change in flight. The API does not say which member a
// failover is heading to, so the engine waits for any change to settle and
// then decides again, rather than issuing a second failover.
func (d Datastore) busy() bool { return d.Status == "modifying" }

// EnsurePrimary makes t the primary of its global datastore, with the same
// idempotency as EnsureWriter. Unplanned runs end as soon as t is the primary,
// even while the datastore still reports "modifying" (with the old primary
// region dead it may never settle), and do not wait for a change in flight to
// settle first: they request the failover at once, and again each poll while
// the datastore is idle and t is not the primary.
func (c *Cache) EnsurePrimary(ctx context.Context, t CacheTarget, o Options) (Outcome, error) {
	o = o.withDefaults()
	p := newPhases(c.Log, o)
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	res := fmt.Sprintf("global datastore %s, target %s (%s)", t.GlobalReplicationGroupID, t.ReplicationGroupID, t.Region)
	fail := func(api string, err error) (Outcome, error) {
		return Outcome{}, timeoutError(api, res, o.Timeout, err)
	}
	describe := func(ctx context.Context) (Datastore, error) {
		return c.Describe(ctx, t.GlobalReplicationGroupID, t.Region)
	}
	unplanned := o.Mode == Unplanned

	d, err := describe(ctx)
	if err != nil {
		return fail("elasticache:DescribeGlobalReplicationGroups", err)
	}
	if !d.has(t) {
		return Outcome{}, &Error{API: "elasticache:DescribeGlobalReplicationGroups", Resource: res,
			Err:  fmt.Errorf("replication group is not a member (%s)", d),
			Hint: "fix replicationGroupId/region, or add this region's group to the global datastore"}
	}
	if d.isPrimary(t) && (!d.busy() || unplanned) {
		p.done("%s is already the primary of %s; nothing to do (%s)", t.ReplicationGroupID, t.GlobalReplicationGroupID, d)
		return Outcome{Actual: d.PrimaryRegion}, nil
	}
	out := Outcome{Switched: true, Started: p.start, Mode: o.Mode}
	settled := func(ctx context.Context) (bool, string, error) {
		var err error
		d, err = describe(ctx)
		return err == nil && !d.busy(), d.String(), err
	}
	if unplanned {
		if d.busy() {
			p.done("a change is in flight (%s); unplanned mode requests the failover now instead of waiting", d)
		}
		if err := c.request(ctx, t, p); err != nil && !isStateFault(err) {
			return fail("elasticache:FailoverGlobalReplicationGroup", err)
		}
		err = waitFor(ctx, p, o.Poll, "primary "+t.Region, func(ctx context.Context) (bool, string, error) {
			var err error
			if d, err = describe(ctx); err != nil {
				return false, "", err
			}
			if d.isPrimary(t) {
				return true, d.String(), nil
			}
			if !d.busy() {
				if err := c.request(ctx, t, p); err != nil && !isStateFault(err) {
					return false, "", err
				}
			}
			return false, d.String(), nil
		})
		if err != nil {
			return fail("wait", err)
		}
		out.Finished, out.Actual = p.now(), t.Region
		p.done("%s primary of %s is now %s", o.Mode, t.GlobalReplicationGroupID, t.Region)
		return out, nil
	}
	if d.busy() {
		p.done("a change is already in flight (%s); waiting for it to settle", d)
		if err := waitFor(ctx, p, o.Poll, "global datastore to settle", settled); err != nil {
			return fail("wait", err)
		}
	}
	if !d.isPrimary(t) {
		if err := cachePreflight(d, res); err != nil {
			return Outcome{}, err
		}
		p.done("preflight passed (%s)", d)
		if err := c.request(ctx, t, p); err != nil {
			return fail("elasticache:FailoverGlobalReplicationGroup", err)
		}
		err = waitFor(ctx, p, o.Poll, "primary "+t.Region, func(ctx context.Context) (bool, string, error) {
			done, status, err := settled(ctx)
			return done && d.isPrimary(t), status, err
		})
		if err != nil {
			return fail("wait", err)
		}
	}
	out.Finished, out.Actual = p.now(), t.Region
	p.done("%s primary of %s is now %s", o.Mode, t.GlobalReplicationGroupID, t.Region)
	return out, nil
}

// cachePreflight: a planned failover needs an available datastore and every
// member associated, or it would strand a member mid-change.
func cachePreflight(d Datastore, res string) error {
	bad := ""
	if d.Status != "available" {
		bad = fmt.Sprintf("global datastore status is %q, want available", d.Status)
	}
	for _, m := range d.Members {
		if bad == "" && m.Status != "associated" {
			bad = fmt.Sprintf("member %s (%s) status is %q, want associated", m.ID, m.Region, m.Status)
		}
	}
	if bad == "" {
		return nil
	}
	return &Error{API: "preflight", Resource: res, Err: fmt.Errorf("%w: %s", ErrPreflight, bad),
		Hint: "wait until it clears and re-run `pulumi up`; if the primary region is failing, " +
			"set the switchover mode to \"unplanned\" instead"}
}

func (c *Cache) request(ctx context.Context, t CacheTarget, p *phases) error {
	_, err := c.API.FailoverGlobalReplicationGroup(ctx, &elasticache.FailoverGlobalReplicationGroupInput{
		GlobalReplicationGroupId:  aws.String(t.GlobalReplicationGroupID),
		PrimaryRegion:             aws.String(t.Region),
		PrimaryReplicationGroupId: aws.String(t.ReplicationGroupID),
	})
	if err != nil {
		// As for Aurora: a refusal is not an error when a fresh read shows the change
		// under way or already done (a resend of a request whose answer was lost).
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			d, derr := c.Describe(ctx, t.GlobalReplicationGroupID, t.Region)
			switch {
			case derr != nil:
			case d.isPrimary(t) && !d.busy():
				p.done("elasticache:FailoverGlobalReplicationGroup refused (%s), but %s already is the primary (%s)", apiErr.ErrorCode(), t.ReplicationGroupID, d)
				return nil
			case strings.HasPrefix(apiErr.ErrorCode(), "InvalidGlobalReplicationGroupState") && d.busy():
				p.done("a change was already under way (%s); waiting for it", d)
				return nil
			}
		}
		return awsError("elasticache:FailoverGlobalReplicationGroup", "global datastore "+t.GlobalReplicationGroupID, t.Region, err)
	}
	p.done("elasticache:FailoverGlobalReplicationGroup requested: %s -> %s (%s)",
		t.GlobalReplicationGroupID, t.ReplicationGroupID, t.Region)
	return nil
}
