// Package waf provides the regional WAFv2 web ACL in front of a region's load balancer: AWS
// managed rule groups, a per-IP rate-based rule and KMS-encrypted request logs. Both stacks
// build the same ACL, so the standby is protected the moment it takes traffic, and nothing here
// depends on which region is primary.
package waf

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LogGroupPrefix is required by WAF for every log destination's name (WAF API
// LoggingConfiguration: "The name that you give the destination must start with aws-waf-logs-",
// https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html). Of the
// three destinations (CloudWatch Logs, S3, Firehose), a CloudWatch Logs group takes a
// customer-managed KMS key directly; WAF adds the group's resource policy itself.
const LogGroupPrefix = "aws-waf-logs-"

// Body size: AWSManagedRulesCommonRuleSet's SizeRestrictions_BODY rule blocks a request whose
// body is over 8 KB (AWS WAF Developer Guide, "Core rule set (CRS) managed rule group",
// https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html).
// Votes and questions are far smaller; an upload path (documents, images) would be blocked,
// and needs a scope-down or a rule action override for that path before it ships.

// RateRuleName is the name of the per-IP rate-based rule.
const RateRuleName = "rate-per-ip"

// Args describe one region's web ACL.
type Args struct {
	Name              string             // web ACL name, e.g. "agm-dr-ap-northeast-1"
	CountOnly         bool               // rules count instead of block (first days of tuning)
	RateLimit         int                // requests per IP per 5 minutes, 10..2e9
	ManagedRuleGroups []string           // AWS managed rule group names (vendor AWS)
	ResourceArn       pulumi.StringInput // the load balancer to protect
	KmsKeyArn         pulumi.StringInput // this region's key, for the log group
	LogRetentionDays  int
}

// WAF is a web ACL associated with a load balancer, with its logging.
type WAF struct {
	pulumi.ResourceState
	WebAclArn   pulumi.StringOutput `pulumi:"webAclArn"`
	LogGroupArn pulumi.StringOutput `pulumi:"logGroupArn"`
}

var nameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

func (a *Args) validate() error {
	switch {
	case !nameRe.MatchString(a.Name):
		return fmt.Errorf("name %q: letters, digits, - and _, at most 100", a.Name)
	case a.RateLimit < 10 || a.RateLimit > 2000000000:
		return fmt.Errorf("rate limit %d: allowed 10 to 2000000000", a.RateLimit)
	case len(a.ManagedRuleGroups) == 0:
		return errors.New("at least one managed rule group is required")
	case a.ResourceArn == nil:
		return errors.New("the load balancer ARN is required")
	case a.KmsKeyArn == nil:
		return errors.New("a KMS key is required for the log group")
	case a.LogRetentionDays < 1:
		return errors.New("log retention days must be set")
	}
	return nil
}

// New registers the web ACL, its association with the load balancer and its logging.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*WAF, error) {
	if args == nil {
		return nil, errors.New("waf: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("waf %s: %w", name, err)
	}
	w := &WAF{}
	if err := ctx.RegisterComponentResource("agm-dr:waf:WAF", name, w, opts...); err != nil {
		return nil, fmt.Errorf("waf %s: %w", name, err)
	}
	if err := w.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("waf %s: %w", name, err)
	}
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{"webAclArn": w.WebAclArn, "logGroupArn": w.LogGroupArn})
}

func (w *WAF) build(ctx *pulumi.Context, name string, a *Args) error {
	parent := pulumi.Parent(w)
	acl, err := wafv2.NewWebAcl(ctx, name+"-acl", &wafv2.WebAclArgs{
		Name:          pulumi.String(a.Name),
		Description:   pulumi.String("agm-dr public load balancer " + a.Name),
		Scope:         pulumi.String("REGIONAL"),
		DefaultAction: &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:         rules(a),
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			MetricName:               pulumi.String(a.Name),
			SampledRequestsEnabled:   pulumi.Bool(true),
		},
	}, parent)
	if err != nil {
		return err
	}
	if _, err := wafv2.NewWebAclAssociation(ctx, name+"-alb", &wafv2.WebAclAssociationArgs{
		ResourceArn: a.ResourceArn,
		WebAclArn:   acl.Arn,
	}, parent); err != nil {
		return err
	}
	logs, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(LogGroupPrefix + a.Name),
		KmsKeyId:        a.KmsKeyArn,
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
	}, parent)
	if err != nil {
		return err
	}
	if _, err := wafv2.NewWebAclLoggingConfiguration(ctx, name+"-logging", &wafv2.WebAclLoggingConfigurationArgs{
		ResourceArn:           acl.Arn,
		LogDestinationConfigs: pulumi.StringArray{logs.Arn},
		// Session cookies and credentials never reach the logs.
		RedactedFields: wafv2.WebAclLoggingConfigurationRedactedFieldArray{
			&wafv2.WebAclLoggingConfigurationRedactedFieldArgs{SingleHeader: &wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String("authorization")}},
			&wafv2.WebAclLoggingConfigurationRedactedFieldArgs{SingleHeader: &wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String("cookie")}},
		},
	}, parent); err != nil {
		return err
	}
	w.WebAclArn = acl.Arn
	w.LogGroupArn = logs.Arn
	return nil
}

// rules are the managed rule groups in the given order, then the rate-based rule. In count
// mode managed groups get the Count override and the rate rule the Count action; otherwise the
// groups' own actions apply (override None) and the rate rule blocks.
func rules(a *Args) wafv2.WebAclRuleArray {
	var out wafv2.WebAclRuleArray
	for i, g := range a.ManagedRuleGroups {
		override := &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}}
		if a.CountOnly {
			override = &wafv2.WebAclRuleOverrideActionArgs{Count: &wafv2.WebAclRuleOverrideActionCountArgs{}}
		}
		out = append(out, &wafv2.WebAclRuleArgs{
			Name:           pulumi.String(g),
			Priority:       pulumi.Int(i + 1),
			OverrideAction: override,
			Statement: &wafv2.WebAclRuleStatementArgs{
				ManagedRuleGroupStatement: &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
					Name: pulumi.String(g), VendorName: pulumi.String("AWS"),
				},
			},
			VisibilityConfig: visibility(g),
		})
	}
	action := &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}}
	if a.CountOnly {
		action = &wafv2.WebAclRuleActionArgs{Count: &wafv2.WebAclRuleActionCountArgs{}}
	}
	// The rate rule runs first: a flood is cut before the managed groups spend capacity on it.
	return append(wafv2.WebAclRuleArray{&wafv2.WebAclRuleArgs{
		Name:     pulumi.String(RateRuleName),
		Priority: pulumi.Int(0),
		Action:   action,
		Statement: &wafv2.WebAclRuleStatementArgs{
			RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
				Limit: pulumi.Int(a.RateLimit), AggregateKeyType: pulumi.String("IP"),
			},
		},
		VisibilityConfig: visibility(RateRuleName),
	}}, out...)
}

func visibility(metric string) *wafv2.WebAclRuleVisibilityConfigArgs {
	return &wafv2.WebAclRuleVisibilityConfigArgs{
		CloudwatchMetricsEnabled: pulumi.Bool(true),
		MetricName:               pulumi.String(metric),
		SampledRequestsEnabled:   pulumi.Bool(true),
	}
}
