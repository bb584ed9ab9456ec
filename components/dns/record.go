// Package dns sends traffic to the primary region with Route 53 weighted records and health checks.
//
// Each regional stack owns only its own record (set identifier = its region): weight 100 when
// primary, 0 when standby. Weighted, not failover, routing because a switchover updates the two
// stacks one after the other and failover routing refuses two PRIMARY records in between. Route 53
// answers with a zero-weight record only when every non-zero record is unhealthy, so when the
// primary region dies its health check fails and traffic moves to the standby without anyone
// touching the failed region's stack. Route 53 is global, so all of this works while either region
// is down.
package dns

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Weights for the two roles. The flip changes only this input.
const (
	PrimaryWeight = 100
	StandbyWeight = 0
	maxWeight     = 255 // Route 53's limit
)

// Health check timing: three failures 10 s apart mark a region unhealthy in about 30 s.
const (
	healthCheckFailureThreshold = 3
	healthCheckIntervalSeconds  = 10
	httpsPort                   = 443
)

// Args describe this region's weighted record.
type Args struct {
	ZoneID              pulumi.StringInput // hosted zone of RecordName
	RecordName          string             // fqdn users resolve, e.g. "agm.example.com"
	Region              string             // set identifier: this region's code
	Weight              int                // 0..255: PrimaryWeight when primary, StandbyWeight when standby
	LoadBalancerDNSName pulumi.StringInput // this region's ALB DNS name
	LoadBalancerZoneID  pulumi.StringInput // the ALB's canonical hosted zone id
	HealthCheckPath     string             // HTTPS path probed on the ALB, e.g. "/healthz"
}

// Record is this region's health-checked weighted alias record.
type Record struct {
	pulumi.ResourceState
	HealthCheckID pulumi.StringOutput `pulumi:"healthCheckId"`
	Fqdn          pulumi.StringOutput `pulumi:"fqdn"`
}

func (a *Args) validate() error {
	if a == nil {
		return errors.New("args are required")
	}
	var errs []error
	if a.ZoneID == nil {
		errs = append(errs, errors.New("ZoneID is required"))
	}
	if a.RecordName == "" {
		errs = append(errs, errors.New("RecordName is required"))
	}
	if a.Region == "" {
		errs = append(errs, errors.New("Region (set identifier) is required"))
	}
	if a.Weight < 0 || a.Weight > maxWeight {
		errs = append(errs, fmt.Errorf("Weight %d is outside 0..%d", a.Weight, maxWeight))
	}
	if a.LoadBalancerDNSName == nil || a.LoadBalancerZoneID == nil {
		errs = append(errs, errors.New("LoadBalancerDNSName and LoadBalancerZoneID are required"))
	}
	if !strings.HasPrefix(a.HealthCheckPath, "/") {
		errs = append(errs, fmt.Errorf("HealthCheckPath %q must start with /", a.HealthCheckPath))
	}
	return errors.Join(errs...)
}

// New creates this region's health check and weighted alias A record.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Record, error) {
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("dns record %s: %w", name, err)
	}
	r := &Record{}
	if err := ctx.RegisterComponentResource("agm-dr:dns:Record", name, r, opts...); err != nil {
		return nil, fmt.Errorf("dns record %s: %w", name, err)
	}

	// Probes the ALB itself, not RecordName, so the check reflects this region only.
	hc, err := route53.NewHealthCheck(ctx, name+"-health", &route53.HealthCheckArgs{
		Type:             pulumi.String("HTTPS"),
		Fqdn:             args.LoadBalancerDNSName.ToStringOutput(),
		Port:             pulumi.Int(httpsPort),
		ResourcePath:     pulumi.String(args.HealthCheckPath),
		FailureThreshold: pulumi.Int(healthCheckFailureThreshold),
		RequestInterval:  pulumi.Int(healthCheckIntervalSeconds),
		MeasureLatency:   pulumi.Bool(true),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name + "-" + args.Region)},
	}, pulumi.Parent(r))
	if err != nil {
		return nil, fmt.Errorf("dns record %s: %w", name, err)
	}

	rec, err := route53.NewRecord(ctx, name+"-a", &route53.RecordArgs{
		ZoneId:        args.ZoneID,
		Name:          pulumi.String(args.RecordName),
		Type:          pulumi.String("A"),
		SetIdentifier: pulumi.String(args.Region),
		WeightedRoutingPolicies: route53.RecordWeightedRoutingPolicyArray{
			route53.RecordWeightedRoutingPolicyArgs{Weight: pulumi.Int(args.Weight)},
		},
		HealthCheckId: hc.ID().ToStringOutput(),
		Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
			Name:                 args.LoadBalancerDNSName,
			ZoneId:               args.LoadBalancerZoneID,
			EvaluateTargetHealth: pulumi.Bool(true),
		}},
	}, pulumi.Parent(r))
	if err != nil {
		return nil, fmt.Errorf("dns record %s: %w", name, err)
	}

	r.HealthCheckID = hc.ID().ToStringOutput()
	r.Fqdn = rec.Fqdn
	return r, ctx.RegisterResourceOutputs(r, pulumi.Map{
		"healthCheckId": r.HealthCheckID,
		"fqdn":          r.Fqdn,
	})
}
