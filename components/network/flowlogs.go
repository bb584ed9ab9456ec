package network

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newFlowLogs records all VPC traffic to a KMS-encrypted log group, through a role that may
// write to that group only. The key's policy must let logs.<region>.amazonaws.com use it.
func newFlowLogs(ctx *pulumi.Context, name string, vpc *ec2.Vpc, region string, kmsKeyArn pulumi.StringInput, retentionDays int, parent pulumi.ResourceOrInvokeOption) error {
	group, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(fmt.Sprintf("/vpc/%s/flow-logs", name)),
		KmsKeyId:        kmsKeyArn,
		RetentionInDays: pulumi.Int(retentionDays),
		Tags:            tags(name + "-flow-logs"),
	}, parent)
	if err != nil {
		return err
	}

	account := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, parent).AccountId()
	trust := account.ApplyT(func(acct string) (string, error) {
		return policyJSON(statement{
			Effect:    "Allow",
			Principal: map[string]string{"Service": "vpc-flow-logs.amazonaws.com"},
			Action:    []string{"sts:AssumeRole"},
			// Only flow logs of this account and region may use the role (confused deputy).
			Condition: map[string]map[string]string{
				"StringEquals": {"aws:SourceAccount": acct},
				"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/*", region, acct)},
			},
		})
	}).(pulumi.StringOutput)
	role, err := iam.NewRole(ctx, name+"-flow-logs", &iam.RoleArgs{
		AssumeRolePolicy: trust,
		Description:      pulumi.String("VPC flow logs of " + name + " write to their log group"),
		Tags:             tags(name + "-flow-logs"),
	}, parent)
	if err != nil {
		return err
	}
	write := group.Arn.ApplyT(func(arn string) (string, error) {
		return policyJSON(statement{
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			Resource: []string{arn, arn + ":*"},
		})
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: write,
	}, parent); err != nil {
		return err
	}

	_, err = ec2.NewFlowLog(ctx, name+"-flow-log", &ec2.FlowLogArgs{
		VpcId:              vpc.ID(),
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination:     group.Arn,
		IamRoleArn:         role.Arn,
		Tags:               tags(name + "-flow-log"),
	}, parent)
	return err
}

type statement struct {
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

func policyJSON(stmts ...statement) (string, error) {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b), err
}
