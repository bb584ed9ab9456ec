package monitoring

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// topicPolicy lets CloudWatch alarms of this account and region publish, and nobody else: no
// wildcard principal, and the source conditions stop another account's alarms using the topic.
func topicPolicy(ctx *pulumi.Context, region string, topicArn pulumi.StringOutput, parent pulumi.Resource) (pulumi.StringOutput, error) {
	id, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("caller identity: %w", err)
	}
	part, err := aws.GetPartition(ctx, nil, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("partition: %w", err)
	}
	account := id.AccountId
	return topicArn.ApplyT(func(arn string) (string, error) {
		doc := map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{{
				"Sid":       "CloudWatchAlarmsPublish",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action":    "sns:Publish",
				"Resource":  arn,
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": account},
					"ArnLike": map[string]any{
						"aws:SourceArn": fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:*", part.Partition, region, account),
					},
				},
			}},
		}
		b, err := json.Marshal(doc)
		return string(b), err
	}).(pulumi.StringOutput), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
