package dns

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const validationRecordTTL = 300

// CertificateArgs describe this region's TLS certificate for the ALB.
type CertificateArgs struct {
	DomainName string             // name on the certificate, e.g. "agm.example.com"
	ZoneID     pulumi.StringInput // hosted zone that receives the validation record
}

// Certificate is a DNS-validated ACM certificate in this stack's region.
type Certificate struct {
	pulumi.ResourceState
	CertificateArn pulumi.StringOutput `pulumi:"certificateArn"` // resolves once the certificate is issued
	// Validated is the certificate's DNS validation: it completes only once ACM resolved the
	// validation record through the public DNS, i.e. the zone's delegation works.
	Validated pulumi.Resource
}

// validationRecord is the CNAME ACM asks for.
type validationRecord struct{ name, typ, value string }

// NewCertificate creates the certificate, its validation record and waits for issuance.
//
// ACM derives the validation CNAME from the domain and the account, so the Tokyo and Osaka
// certificates ask for the very same record: it is written with allowOverwrite and retained on
// delete, so destroying one stack cannot break the other region's renewals.
func NewCertificate(ctx *pulumi.Context, name string, args *CertificateArgs, opts ...pulumi.ResourceOption) (*Certificate, error) {
	if args == nil {
		return nil, fmt.Errorf("dns certificate %s: args are required", name)
	}
	if args.DomainName == "" || args.ZoneID == nil {
		return nil, fmt.Errorf("dns certificate %s: %w", name, errors.New("DomainName and ZoneID are required"))
	}
	c := &Certificate{}
	if err := ctx.RegisterComponentResource("agm-dr:dns:Certificate", name, c, opts...); err != nil {
		return nil, fmt.Errorf("dns certificate %s: %w", name, err)
	}

	cert, err := acm.NewCertificate(ctx, name, &acm.CertificateArgs{
		DomainName:       pulumi.String(args.DomainName),
		ValidationMethod: pulumi.String("DNS"),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name)},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("dns certificate %s: %w", name, err)
	}

	// One domain, no SANs: exactly one validation option, so one record known at plan time.
	want := cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) validationRecord {
		for _, o := range opts {
			if o.DomainName != nil && *o.DomainName == args.DomainName {
				return validationRecord{deref(o.ResourceRecordName), deref(o.ResourceRecordType), deref(o.ResourceRecordValue)}
			}
		}
		return validationRecord{} // only under mocks: ACM always returns the option for DomainName
	})
	field := func(f func(validationRecord) string) pulumi.StringOutput {
		return want.ApplyT(func(v any) string { return f(v.(validationRecord)) }).(pulumi.StringOutput)
	}
	rec, err := route53.NewRecord(ctx, name+"-validation", &route53.RecordArgs{
		ZoneId:         args.ZoneID,
		Name:           field(func(v validationRecord) string { return v.name }),
		Type:           field(func(v validationRecord) string { return v.typ }),
		Records:        pulumi.StringArray{field(func(v validationRecord) string { return v.value })},
		Ttl:            pulumi.Int(validationRecordTTL),
		AllowOverwrite: pulumi.Bool(true),
	}, pulumi.Parent(c), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("dns certificate %s: %w", name, err)
	}

	valid, err := acm.NewCertificateValidation(ctx, name, &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{rec.Fqdn},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("dns certificate %s: %w", name, err)
	}

	c.CertificateArn = valid.CertificateArn
	c.Validated = valid
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"certificateArn": c.CertificateArn})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
