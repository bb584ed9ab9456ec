package app_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rolePolicyT = "aws:iam/rolePolicy:RolePolicy"

func TestExecutionRoleReadsOnlyTheGivenSecrets(t *testing.T) {
	res := run(t, validArgs())
	p := parsePolicy(t, str(get(t, res, rolePolicyT, "app-execution").Inputs, "policy"))
	found := map[string][]string{}
	for _, s := range p.Statement {
		assert.Equal(t, "Allow", s.Effect)
		for _, a := range s.Action {
			found[a] = resources(s.Resource)
		}
	}
	assert.Equal(t, []string{dbSecret, appSecret}, found["secretsmanager:GetSecretValue"])
	assert.Equal(t, []string{"arn:aws:ecr:ap-northeast-1:123456789012:repository/agm-app"}, found["ecr:BatchGetImage"])
	assert.Equal(t, []string{"arn:aws:mock:ap-northeast-1:123456789012:app-logs:*"}, found["logs:PutLogEvents"])
	assert.Equal(t, []string{kmsArn}, found["kms:Decrypt"])
	for action, rs := range found {
		if action != "ecr:GetAuthorizationToken" {
			assert.NotContains(t, rs, "*", "%s on every resource", action)
		}
	}
	assert.Len(t, found, 8, "unexpected actions: %v", found)
}

func TestExecutionRoleWithoutSecretsReadsNone(t *testing.T) {
	args := validArgs()
	args.Secrets, args.SecretArns = nil, nil
	res := run(t, args)
	p := parsePolicy(t, str(get(t, res, rolePolicyT, "app-execution").Inputs, "policy"))
	for _, s := range p.Statement {
		assert.NotContains(t, s.Action, "secretsmanager:GetSecretValue")
		assert.NotContains(t, s.Action, "kms:Decrypt")
	}
}

func TestTaskRoleIsScopedToItsQueuesBucketAndKey(t *testing.T) {
	res := run(t, validArgs())
	p := parsePolicy(t, str(get(t, res, rolePolicyT, "app-task").Inputs, "policy"))
	got := map[string][]string{}
	for _, s := range p.Statement {
		assert.Equal(t, "Allow", s.Effect)
		for _, a := range s.Action {
			got[a] = resources(s.Resource)
		}
	}
	assert.Equal(t, map[string][]string{
		"sqs:SendMessage":     {queueArn},
		"sqs:ReceiveMessage":  {queueArn},
		"sqs:DeleteMessage":   {queueArn},
		"s3:GetObject":        {bucketArn + "/*"},
		"s3:PutObject":        {bucketArn + "/*"},
		"kms:Decrypt":         {kmsArn},
		"kms:GenerateDataKey": {kmsArn},
	}, got)
}

func TestRolesTrustOnlyEcsTasksOfThisAccount(t *testing.T) {
	res := run(t, validArgs())
	for _, name := range []string{"app-execution", "app-task"} {
		p := parsePolicy(t, str(get(t, res, "aws:iam/role:Role", name).Inputs, "assumeRolePolicy"))
		require.Len(t, p.Statement, 1)
		s := p.Statement[0]
		assert.Equal(t, map[string]any{"Service": "ecs-tasks.amazonaws.com"}, s.Principal, name)
		assert.Equal(t, "123456789012", s.Condition["StringEquals"]["aws:SourceAccount"], name)
	}
}

func TestTaskDefinitionUsesBothRoles(t *testing.T) {
	res := run(t, validArgs())
	td := get(t, res, "aws:ecs/taskDefinition:TaskDefinition", "app-task")
	assert.Equal(t, "arn:aws:mock:ap-northeast-1:123456789012:app-execution", str(td.Inputs, "executionRoleArn"))
	assert.Equal(t, "arn:aws:mock:ap-northeast-1:123456789012:app-task", str(td.Inputs, "taskRoleArn"))
}

func TestComputedImageIsStillChecked(t *testing.T) {
	// An image built from other outputs is checked when known, before the role policy is sent.
	args := validArgs()
	args.Image = pulumi.String("123456789012.dkr.ecr.ap-northeast-3.amazonaws.com/agm-app:2026.06.1").ToStringOutput()
	_, err := runErr(args)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not this region's own ECR")
}
