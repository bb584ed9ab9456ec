package dns

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DNSSECMetrics are the Route 53 metrics AWS strongly recommends alarming on once a zone is
// signed: an internal failure of signing, and a key-signing key needing action (its KMS key
// disabled, deleted or its policy changed). Route 53 publishes them in us-east-1 only, per
// HostedZoneId ("Configuring DNSSEC signing", Route 53 Developer Guide,
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec.html;
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-hosted-zones-with-cloudwatch.html).
var DNSSECMetrics = []string{"DNSSECInternalFailure", "DNSSECKeySigningKeysNeedingAction"}

// dnssecAlarms creates, in us-east-1 (an alarm can only notify a topic of its own region), an
// encrypted topic that only this account's CloudWatch may publish to, and one alarm per
// DNSSECMetrics on the zone.
func dnssecAlarms(ctx *pulumi.Context, name string, a *ZoneProtectionArgs, keyArn pulumi.StringInput, inEast []pulumi.ResourceOption) error {
	topicName := a.NamePrefix + "-dnssec-alarms"
	topic, err := sns.NewTopic(ctx, name+"-dnssec-alarms", &sns.TopicArgs{
		Name:           pulumi.String(topicName),
		KmsMasterKeyId: keyArn,
	}, inEast...)
	if err != nil {
		return err
	}
	arn := fmt.Sprintf("arn:aws:sns:%s:%s:%s", ControlRegion, a.AccountID, topicName)
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Action":    "sns:Publish", "Resource": arn,
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": a.AccountID},
				"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:*", ControlRegion, a.AccountID)},
			},
		}},
	})
	if err != nil {
		return err
	}
	if _, err := sns.NewTopicPolicy(ctx, name+"-dnssec-alarms", &sns.TopicPolicyArgs{
		Arn: topic.Arn, Policy: pulumi.String(string(doc)),
	}, inEast...); err != nil {
		return err
	}
	if a.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-dnssec-email", &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(a.AlarmEmail),
		}, inEast...); err != nil {
			return err
		}
	}
	for _, m := range DNSSECMetrics {
		if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+m, &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(a.NamePrefix + "-" + m),
			AlarmDescription:   pulumi.String(m + " on " + a.DomainName + ": signing needs attention before resolvers reject the zone (docs/runbook.md)"),
			Namespace:          pulumi.String("AWS/Route53"),
			MetricName:         pulumi.String(m),
			Dimensions:         pulumi.StringMap{"HostedZoneId": a.ZoneID},
			Statistic:          pulumi.String("Maximum"),
			Period:             pulumi.Int(300),
			EvaluationPeriods:  pulumi.Int(1),
			Threshold:          pulumi.Float64(1),
			ComparisonOperator: pulumi.String("GreaterThanOrEqualToThreshold"),
			TreatMissingData:   pulumi.String("notBreaching"),
			AlarmActions:       pulumi.Array{topic.Arn},
			OkActions:          pulumi.Array{topic.Arn},
		}, inEast...); err != nil {
			return err
		}
	}
	return nil
}
