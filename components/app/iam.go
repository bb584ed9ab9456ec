package app

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type statement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal any                          `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  any                          `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

func policyJSON(stmts ...statement) (string, error) {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b), err
}

var imageRE = regexp.MustCompile(`^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/([a-z0-9][a-z0-9._/-]*)(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`)

// repositoryArn is the ECR repository an image reference points at, which must be in region.
func repositoryArn(image, region string) (string, error) {
	m := imageRE.FindStringSubmatch(image)
	if m == nil {
		return "", fmt.Errorf("Image %q is not <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> or @sha256:<digest>", image)
	}
	if m[2] != region {
		return "", fmt.Errorf("Image %q is in %s, not this region's own ECR (%s)", image, m[2], region)
	}
	return fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", region, m[1], m[3]), nil
}

// roles are the task's two identities.
type roles struct {
	execution, task *iam.Role
}

// newRoles creates the execution role (ECS agent: pull this region's image, write the log
// group, read the listed secrets) and the task role (the app: its queues, bucket and key).
func newRoles(ctx *pulumi.Context, name string, a *Args, logGroupArn pulumi.StringOutput, parent pulumi.ResourceOrInvokeOption) (*roles, error) {
	account := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, parent).AccountId()
	trust := account.ApplyT(func(acct string) (string, error) {
		return policyJSON(statement{
			Effect:    "Allow",
			Principal: map[string]string{"Service": "ecs-tasks.amazonaws.com"},
			Action:    []string{"sts:AssumeRole"},
			Condition: map[string]map[string]string{
				"StringEquals": {"aws:SourceAccount": acct},
				"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:aws:ecs:%s:%s:*", a.Region, acct)},
			},
		})
	}).(pulumi.StringOutput)

	r := &roles{}
	var err error
	if r.execution, err = iam.NewRole(ctx, name+"-execution", &iam.RoleArgs{
		AssumeRolePolicy: trust,
		Description:      pulumi.String("ECS agent for " + name + ": pull image, write logs, read secrets"),
		Tags:             tags(name + "-execution"),
	}, parent); err != nil {
		return nil, err
	}
	if r.task, err = iam.NewRole(ctx, name+"-task", &iam.RoleArgs{
		AssumeRolePolicy: trust,
		Description:      pulumi.String("Application tasks of " + name),
		Tags:             tags(name + "-task"),
	}, parent); err != nil {
		return nil, err
	}

	secretArns := pulumi.StringArray{}.ToStringArrayOutput()
	if a.SecretArns != nil {
		secretArns = a.SecretArns.ToStringArrayOutput()
	}
	execPolicy := pulumi.All(a.Image, logGroupArn, secretArns, a.KmsKeyArn).ApplyT(func(v []any) (string, error) {
		repo, err := repositoryArn(v[0].(string), a.Region)
		if err != nil {
			return "", err
		}
		return executionPolicy(repo, v[1].(string), v[2].([]string), v[3].(string), a.Region)
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name+"-execution", &iam.RolePolicyArgs{
		Role: r.execution.Name, Policy: execPolicy,
	}, parent); err != nil {
		return nil, err
	}

	queueArns := pulumi.StringArray{}.ToStringArrayOutput()
	if a.QueueArns != nil {
		queueArns = a.QueueArns.ToStringArrayOutput()
	}
	bucketArn := pulumi.String("").ToStringOutput()
	if a.BucketArn != nil {
		bucketArn = a.BucketArn.ToStringOutput()
	}
	taskPol := pulumi.All(queueArns, bucketArn, a.KmsKeyArn).ApplyT(func(v []any) (string, error) {
		return taskPolicy(v[0].([]string), v[1].(string), v[2].(string))
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name+"-task", &iam.RolePolicyArgs{
		Role: r.task.Name, Policy: taskPol,
	}, parent); err != nil {
		return nil, err
	}
	return r, nil
}

func executionPolicy(repoArn, logGroupArn string, secretArns []string, kmsKeyArn, region string) (string, error) {
	stmts := []statement{
		// GetAuthorizationToken has no resource-level permissions; it grants no image access by itself.
		{Sid: "EcrAuth", Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: "*"},
		{Sid: "EcrPull", Effect: "Allow", Action: []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}, Resource: []string{repoArn}},
		{Sid: "Logs", Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: []string{logGroupArn + ":*"}},
	}
	if len(secretArns) > 0 {
		stmts = append(stmts,
			statement{Sid: "Secrets", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: secretArns},
			// The secrets are encrypted with the region's key; decrypt only on behalf of Secrets Manager.
			statement{Sid: "SecretsKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{kmsKeyArn},
				Condition: map[string]map[string]string{"StringEquals": {"kms:ViaService": "secretsmanager." + region + ".amazonaws.com"}}},
		)
	}
	return policyJSON(stmts...)
}

func taskPolicy(queueArns []string, bucketArn, kmsKeyArn string) (string, error) {
	var stmts []statement
	if len(queueArns) > 0 {
		stmts = append(stmts, statement{Sid: "Queues", Effect: "Allow",
			Action: []string{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"}, Resource: queueArns})
	}
	if bucketArn != "" {
		stmts = append(stmts, statement{Sid: "Bucket", Effect: "Allow",
			Action: []string{"s3:GetObject", "s3:PutObject"}, Resource: []string{bucketArn + "/*"}})
	}
	// SQS and S3 objects are encrypted with the region's key.
	stmts = append(stmts, statement{Sid: "Key", Effect: "Allow",
		Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: []string{kmsKeyArn}})
	return policyJSON(stmts...)
}
