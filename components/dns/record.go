// Package dns sends shareholders to the primary region: a health check per region and one
// agmdr:index:Traffic per stack that owns the service name's Route 53 records.
//
// Every region has a weighted record with its own health check: the primary's at weight 100,
// the standby's at 0. The check probes the region's readiness endpoint (docs/app-contract.md),
// which answers only while the region holds the data roles, so its status IS the routing
// decision: Route 53 answers the zero-weight record when every non-zero one is unhealthy
// (Route 53 Developer Guide, "Weighted routing":
// docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html). That moves
// traffic in an unplanned failover on Route 53's data plane alone; its control plane runs in
// us-east-1, whichever region failed, and is not needed. The planned path still moves both
// weights in ONE ChangeResourceRecordSets batch from the new primary's stack. A recovered old
// primary rejoins as a secondary, so its check fails and it takes no traffic back. When every
// check fails Route 53 treats all records as healthy
// (docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html)
// and answers the weight-100 record alone: one region, never a split.
package dns

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/failover"
	"github.com/agm-dr/agm-dr/readiness"
)

// Health check timing: three failures 10 s apart mark a region unhealthy in about 30 s.
const (
	healthCheckFailureThreshold = readiness.FailureThreshold
	healthCheckIntervalSeconds  = int(readiness.Interval / time.Second)
	httpsPort                   = 443
)

// Args describe this region's health check and its declaration of the traffic.
type Args struct {
	ZoneID              pulumi.StringInput // hosted zone of RecordName
	RecordName          string             // fqdn users resolve, e.g. "agm.example.com"
	Region              string             // this stack's region: its record's set identifier
	PrimaryRegion       string             // the region that gets all traffic; the same in both stacks
	LoadBalancerDNSName pulumi.StringInput // this region's ALB DNS name
	LoadBalancerZoneID  pulumi.StringInput // the ALB's canonical hosted zone id
	HealthCheckPath     string             // the readiness path probed on the ALB (docs/app-contract.md)
	Mode                string             // "planned" | "unplanned"
	TimeoutSeconds      int
	PollSeconds         int
	// ClientTTLSeconds: the traffic move waits this long after INSYNC, so that when the new
	// primary's `up` completes no client still goes to the old region (config.AliasTTLSeconds, 60,
	// for an alias to a load balancer).
	ClientTTLSeconds int
	// After are the resources traffic waits for (capacity, writer, cache): traffic moves last.
	After []pulumi.Resource
}

// Record is this region's health check and its Traffic declaration.
type Record struct {
	pulumi.ResourceState
	HealthCheckID pulumi.StringOutput      `pulumi:"healthCheckId"`
	Records       pulumi.StringArrayOutput `pulumi:"records"`
	Traffic       *failover.Traffic        `pulumi:"-"`
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
	if a.Region == "" || a.PrimaryRegion == "" {
		errs = append(errs, errors.New("Region and PrimaryRegion are required"))
	}
	if a.LoadBalancerDNSName == nil || a.LoadBalancerZoneID == nil {
		errs = append(errs, errors.New("LoadBalancerDNSName and LoadBalancerZoneID are required"))
	}
	if !strings.HasPrefix(a.HealthCheckPath, "/") {
		errs = append(errs, fmt.Errorf("HealthCheckPath %q must start with /", a.HealthCheckPath))
	}
	return errors.Join(errs...)
}

// New creates this region's health check and its agmdr:index:Traffic.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Record, error) {
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("dns record %s: %w", name, err)
	}
	r := &Record{}
	if err := ctx.RegisterComponentResource("agm-dr:dns:Record", name, r, opts...); err != nil {
		return nil, fmt.Errorf("dns record %s: %w", name, err)
	}

	// Probes the ALB itself, not RecordName, so the check reflects this region only, and
	// matches the region's ready answer in the body: a 200 or a redirect from anything else
	// does not pass (Route 53 counts a 2xx/3xx as healthy without string matching).
	hc, err := route53.NewHealthCheck(ctx, name+"-health", &route53.HealthCheckArgs{
		Type:             pulumi.String("HTTPS_STR_MATCH"),
		SearchString:     pulumi.String(readiness.SearchString(args.Region)),
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

	r.Traffic, err = failover.NewTraffic(ctx, name+"-route", &failover.TrafficArgs{
		ZoneId:              args.ZoneID,
		RecordName:          pulumi.String(args.RecordName),
		Region:              pulumi.String(args.Region),
		PrimaryRegion:       pulumi.String(args.PrimaryRegion),
		LoadBalancerDnsName: args.LoadBalancerDNSName,
		LoadBalancerZoneId:  args.LoadBalancerZoneID,
		HealthCheckId:       hc.ID().ToStringOutput(),
		ClientTtlSeconds:    pulumi.Int(args.ClientTTLSeconds),
		Mode:                pulumi.String(args.Mode),
		TimeoutSeconds:      pulumi.Int(args.TimeoutSeconds),
		PollSeconds:         pulumi.Int(args.PollSeconds),
	}, pulumi.Parent(r), pulumi.DependsOn(args.After))
	if err != nil {
		return nil, fmt.Errorf("dns record %s: %w", name, err)
	}

	r.HealthCheckID = hc.ID().ToStringOutput()
	r.Records = r.Traffic.Records
	return r, ctx.RegisterResourceOutputs(r, pulumi.Map{
		"healthCheckId": r.HealthCheckID,
		"records":       r.Records,
	})
}
