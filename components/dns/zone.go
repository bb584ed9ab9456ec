package dns

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ZoneArgs say where the hosted zone comes from.
type ZoneArgs struct {
	DomainName string // zone apex, e.g. "example.com"
	ZoneID     string // existing hosted zone id, or "" to create or look up by name
	Create     bool   // home stack only: create the zone when ZoneID is ""
}

// Zone is the public hosted zone both regions' records live in.
type Zone struct {
	pulumi.ResourceState
	ZoneID      pulumi.StringOutput      `pulumi:"zoneId"`
	NameServers pulumi.StringArrayOutput `pulumi:"nameServers"` // empty unless this stack created the zone
}

// NewZone creates the zone (home stack, no ZoneID) or resolves an existing one. A created zone is
// protected and retained: deleting it would take both regions off the air.
func NewZone(ctx *pulumi.Context, name string, args *ZoneArgs, opts ...pulumi.ResourceOption) (*Zone, error) {
	if args == nil {
		return nil, fmt.Errorf("dns zone %s: args are required", name)
	}
	if args.DomainName == "" {
		return nil, fmt.Errorf("dns zone %s: %w", name, errors.New("DomainName is required"))
	}
	z := &Zone{}
	if err := ctx.RegisterComponentResource("agm-dr:dns:Zone", name, z, opts...); err != nil {
		return nil, fmt.Errorf("dns zone %s: %w", name, err)
	}

	switch {
	case args.ZoneID != "":
		// Given explicitly: no call needed, and nothing depends on any region being up.
		z.ZoneID = pulumi.String(args.ZoneID).ToStringOutput()
		z.NameServers = pulumi.StringArray{}.ToStringArrayOutput()
	case args.Create:
		zone, err := route53.NewZone(ctx, name, &route53.ZoneArgs{
			Name:         pulumi.String(args.DomainName),
			Comment:      pulumi.String("agm-dr: weighted records for both regions"),
			ForceDestroy: pulumi.Bool(false),
		}, pulumi.Parent(z), pulumi.Protect(true), pulumi.RetainOnDelete(true))
		if err != nil {
			return nil, fmt.Errorf("dns zone %s: %w", name, err)
		}
		z.ZoneID = zone.ZoneId
		z.NameServers = zone.NameServers
	default:
		// The peer stack: the home stack created the zone; Route 53 is global, so the lookup
		// works whichever region is down.
		private := false
		found, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{
			Name: pulumi.StringRef(args.DomainName), PrivateZone: &private,
		}, pulumi.Parent(z))
		if err != nil {
			return nil, fmt.Errorf("dns zone %s: look up %s: %w", name, args.DomainName, err)
		}
		z.ZoneID = pulumi.String(found.ZoneId).ToStringOutput()
		z.NameServers = pulumi.StringArray{}.ToStringArrayOutput()
	}

	return z, ctx.RegisterResourceOutputs(z, pulumi.Map{
		"zoneId":      z.ZoneID,
		"nameServers": z.NameServers,
	})
}
