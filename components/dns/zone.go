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
	ZoneID     string // existing hosted zone id (config, or the home stack's output); "" only with Create
	Create     bool   // home stack only: create the zone when ZoneID is ""
}

// Zone is the public hosted zone both regions' records live in.
type Zone struct {
	pulumi.ResourceState
	ZoneID      pulumi.StringOutput      `pulumi:"zoneId"`
	NameServers pulumi.StringArrayOutput `pulumi:"nameServers"` // empty unless this stack created the zone
}

// NewZone creates the zone (home stack, no ZoneID) or takes the given id. It never looks a zone
// up: a lookup is a Route 53 control-plane call (us-east-1, whichever region failed), and the
// program of the surviving region must build while that control plane is down. A created zone
// is protected and retained: deleting it would take both regions off the air.
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
		return nil, fmt.Errorf("dns zone %s: no hosted zone id for %s and this stack does not create the zone: "+
			"give the id (config) or deploy the stack that creates it first (its zoneId output)", name, args.DomainName)
	}

	return z, ctx.RegisterResourceOutputs(z, pulumi.Map{
		"zoneId":      z.ZoneID,
		"nameServers": z.NameServers,
	})
}
