package simulate

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/agm-dr/agm-dr/switchover"
)

// endpoint fails a call to a region that is down, as a refused connection.
func (w *World) endpoint(region, op string) error {
	if w.down[region] {
		return &smithy.OperationError{ServiceID: "sim", OperationName: op, Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: fmt.Errorf("%s endpoint: connection refused", region)}}
	}
	return nil
}

func apiError(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg, Fault: smithy.FaultClient}
}

// Clients are the simulated AWS clients of one region, for the engine.
func (w *World) Clients(region string) switchover.Clients {
	return switchover.Clients{
		RDS: rdsClient{w, region}, Lag: lagClient{w, region}, ElastiCache: cacheClient{w, region},
		Route53: route53Client{w}, ECS: ecsClient{w, region}, AutoScaling: scalingClient{w, region},
		ELB: elbClient{w, region},
	}
}

// route53Client is Route 53's control plane: it runs in us-east-1, so it answers
// while either region is down, and refuses every call while the scenario takes it
// down (Scenario.Route53Down).
type route53Client struct{ w *World }

func (c route53Client) refused(op string) error {
	if !c.w.route53Down {
		return nil
	}
	c.w.log("route53", "%s refused: the control plane (us-east-1) is down", op)
	return apiError("ServiceUnavailable", "route 53 control plane unavailable")
}

func (c route53Client) ListResourceRecordSets(_ context.Context, in *route53.ListResourceRecordSetsInput, _ ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error) {
	if err := c.refused("ListResourceRecordSets"); err != nil {
		return nil, err
	}
	d := c.w.dns
	regions := make([]string, 0, len(d.weight))
	for r := range d.weight {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	out := &route53.ListResourceRecordSetsOutput{}
	for _, r := range regions {
		out.ResourceRecordSets = append(out.ResourceRecordSets, r53types.ResourceRecordSet{
			Name: aws.String(d.name + "."), Type: r53types.RRTypeA, SetIdentifier: aws.String(r),
			Weight: aws.Int64(int64(d.weight[r])), HealthCheckId: aws.String("hc-" + r),
			AliasTarget: &r53types.AliasTarget{DNSName: aws.String(d.target[r] + "."), HostedZoneId: aws.String("ZALB")},
		})
	}
	return out, nil
}

func (c route53Client) ChangeResourceRecordSets(ctx context.Context, in *route53.ChangeResourceRecordSetsInput, opts ...func(*route53.Options)) (*route53.ChangeResourceRecordSetsOutput, error) {
	if err := c.refused("ChangeResourceRecordSets"); err != nil {
		return nil, err
	}
	if chs := in.ChangeBatch.Changes; c.w.mechanismOff(OffAtomicTraffic) && len(chs) > 1 {
		// Without the single atomic change: one record per change, each after the
		// previous one is in sync.
		for i, ch := range chs[1:] {
			one := &route53.ChangeResourceRecordSetsInput{HostedZoneId: in.HostedZoneId,
				ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{ch}}}
			c.w.at(c.w.now.Add(time.Duration(i+1)*c.w.P.RecordSync), "separate record change", func() {
				_, _ = c.ChangeResourceRecordSets(ctx, one, opts...)
			})
		}
		in = &route53.ChangeResourceRecordSetsInput{HostedZoneId: in.HostedZoneId,
			ChangeBatch: &r53types.ChangeBatch{Changes: chs[:1]}}
	}
	w, d := c.w, c.w.dns
	next := map[string]int{}
	for r, v := range d.weight {
		next[r] = v
	}
	for _, ch := range in.ChangeBatch.Changes {
		rr := ch.ResourceRecordSet
		r := aws.ToString(rr.SetIdentifier)
		switch ch.Action {
		case r53types.ChangeActionDelete:
			if _, ok := next[r]; !ok {
				return nil, apiError("InvalidChangeBatch", "record "+r+" not found")
			}
			delete(next, r)
		default:
			next[r] = int(aws.ToInt64(rr.Weight))
			if rr.AliasTarget != nil {
				d.target[r] = strings.TrimSuffix(aws.ToString(rr.AliasTarget.DNSName), ".")
			}
		}
	}
	d.replace(w, next, "one ChangeResourceRecordSets batch")
	d.changes++
	id := "/change/C" + strconv.Itoa(d.changes)
	d.insync[id] = w.now.Add(w.P.RecordSync)
	return &route53.ChangeResourceRecordSetsOutput{ChangeInfo: &r53types.ChangeInfo{Id: aws.String(id), Status: r53types.ChangeStatusPending}}, nil
}

func (c route53Client) GetChange(_ context.Context, in *route53.GetChangeInput, _ ...func(*route53.Options)) (*route53.GetChangeOutput, error) {
	if err := c.refused("GetChange"); err != nil {
		return nil, err
	}
	id := aws.ToString(in.Id)
	if !strings.HasPrefix(id, "/change/") {
		id = "/change/" + id
	}
	at, ok := c.w.dns.insync[id]
	if !ok {
		return nil, apiError("NoSuchChange", "no change "+id)
	}
	st := r53types.ChangeStatusPending
	if !c.w.now.Before(at) {
		st = r53types.ChangeStatusInsync
	}
	return &route53.GetChangeOutput{ChangeInfo: &r53types.ChangeInfo{Id: aws.String(id), Status: st}}, nil
}

// ecsClient serves the one service of its region.
type ecsClient struct {
	w      *World
	region string
}

func (c ecsClient) DescribeServices(_ context.Context, _ *ecs.DescribeServicesInput, _ ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	if err := c.w.endpoint(c.region, "DescribeServices"); err != nil {
		return nil, err
	}
	s := c.w.ecs[c.region]
	running, pending := s.counts(c.w)
	return &ecs.DescribeServicesOutput{Services: []ecstypes.Service{{
		DesiredCount: int32(s.desired), RunningCount: int32(running), PendingCount: int32(pending),
		Status: aws.String("ACTIVE"), Deployments: []ecstypes.Deployment{{Status: aws.String("PRIMARY")}},
	}}}, nil
}

func (c ecsClient) UpdateService(_ context.Context, in *ecs.UpdateServiceInput, _ ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error) {
	if err := c.w.endpoint(c.region, "UpdateService"); err != nil {
		return nil, err
	}
	s := c.w.ecs[c.region]
	if in.DesiredCount != nil {
		n := int(*in.DesiredCount)
		c.w.log("ecs", "%s: desired tasks %d → %d (UpdateService)", c.region, s.desired, n)
		s.desired = n
	}
	return &ecs.UpdateServiceOutput{}, nil
}

// scalingClient is Application Auto Scaling in one region.
type scalingClient struct {
	w      *World
	region string
}

func (c scalingClient) DescribeScalableTargets(_ context.Context, _ *applicationautoscaling.DescribeScalableTargetsInput, _ ...func(*applicationautoscaling.Options)) (*applicationautoscaling.DescribeScalableTargetsOutput, error) {
	if err := c.w.endpoint(c.region, "DescribeScalableTargets"); err != nil {
		return nil, err
	}
	s := c.w.ecs[c.region]
	return &applicationautoscaling.DescribeScalableTargetsOutput{ScalableTargets: []aastypes.ScalableTarget{{
		MinCapacity: aws.Int32(int32(s.min)), MaxCapacity: aws.Int32(int32(s.max)),
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount,
	}}}, nil
}

func (c scalingClient) RegisterScalableTarget(_ context.Context, in *applicationautoscaling.RegisterScalableTargetInput, _ ...func(*applicationautoscaling.Options)) (*applicationautoscaling.RegisterScalableTargetOutput, error) {
	if err := c.w.endpoint(c.region, "RegisterScalableTarget"); err != nil {
		return nil, err
	}
	s := c.w.ecs[c.region]
	s.setFloor(c.w, int(aws.ToInt32(in.MinCapacity)), int(aws.ToInt32(in.MaxCapacity)), "RegisterScalableTarget")
	return &applicationautoscaling.RegisterScalableTargetOutput{}, nil
}

// PutScheduledAction models a one-time "at(...)" action (UTC): at that time
// Application Auto Scaling sets the target's min and max.
func (c scalingClient) PutScheduledAction(_ context.Context, in *applicationautoscaling.PutScheduledActionInput, _ ...func(*applicationautoscaling.Options)) (*applicationautoscaling.PutScheduledActionOutput, error) {
	if err := c.w.endpoint(c.region, "PutScheduledAction"); err != nil {
		return nil, err
	}
	sched := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(in.Schedule), "at("), ")")
	at, err := time.Parse("2006-01-02T15:04:05", sched)
	if err != nil || in.ScalableTargetAction == nil {
		return nil, apiError("ValidationException", "only one-time at(yyyy-mm-ddThh:mm:ss) actions with a target action are modelled")
	}
	name, a := aws.ToString(in.ScheduledActionName), in.ScalableTargetAction
	c.w.at(at, "scheduled action "+name, func() {
		if c.w.down[c.region] {
			return
		}
		s := c.w.ecs[c.region]
		s.setFloor(c.w, int(aws.ToInt32(a.MinCapacity)), int(aws.ToInt32(a.MaxCapacity)), "scheduled action "+name)
	})
	return &applicationautoscaling.PutScheduledActionOutput{}, nil
}

// elbClient is one region's load balancer: the service's healthy tasks are
// the target group's healthy targets.
type elbClient struct {
	w      *World
	region string
}

func (c elbClient) DescribeTargetHealth(_ context.Context, _ *elasticloadbalancingv2.DescribeTargetHealthInput, _ ...func(*elasticloadbalancingv2.Options)) (*elasticloadbalancingv2.DescribeTargetHealthOutput, error) {
	if err := c.w.endpoint(c.region, "DescribeTargetHealth"); err != nil {
		return nil, err
	}
	s := c.w.ecs[c.region]
	out := &elasticloadbalancingv2.DescribeTargetHealthOutput{}
	for i, t := range s.tasks {
		st := elbtypes.TargetHealthStateEnumInitial
		if !t.healthy.After(c.w.now) {
			st = elbtypes.TargetHealthStateEnumHealthy
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, elbtypes.TargetHealthDescription{
			Target: &elbtypes.TargetDescription{Id: aws.String(fmt.Sprintf("task-%d", i))}, TargetHealth: &elbtypes.TargetHealth{State: st}})
	}
	return out, nil
}

var (
	_ switchover.ELB         = elbClient{}
	_ switchover.Route53     = route53Client{}
	_ switchover.ECS         = ecsClient{}
	_ switchover.AutoScaling = scalingClient{}
)
