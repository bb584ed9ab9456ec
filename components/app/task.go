package app

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newTaskDefinition creates the log group, the roles and the Fargate task definition.
func newTaskDefinition(ctx *pulumi.Context, name string, a *Args, parent pulumi.ResourceOrInvokeOption) (*ecs.TaskDefinition, error) {
	logs, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/ecs/" + name),
		KmsKeyId:        a.KmsKeyArn,
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		Tags:            tags(name + "-logs"),
	}, parent)
	if err != nil {
		return nil, err
	}
	r, err := newRoles(ctx, name, a, logs.Arn, parent)
	if err != nil {
		return nil, err
	}

	defs := pulumi.All(a.Image, logs.Name, pulumi.StringMap(a.Environment), pulumi.StringMap(a.Secrets)).ApplyT(
		func(v []any) (string, error) {
			return containerDefinitions(a, v[0].(string), v[1].(string), v[2].(map[string]string), v[3].(map[string]string))
		}).(pulumi.StringOutput)

	return ecs.NewTaskDefinition(ctx, name+"-task", &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(name),
		RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
		NetworkMode:             pulumi.String("awsvpc"),
		Cpu:                     pulumi.String(strconv.Itoa(a.Cpu)),
		Memory:                  pulumi.String(strconv.Itoa(a.Memory)),
		ExecutionRoleArn:        r.execution.Arn,
		TaskRoleArn:             r.task.Arn,
		RuntimePlatform: ecs.TaskDefinitionRuntimePlatformArgs{
			OperatingSystemFamily: pulumi.String("LINUX"),
			CpuArchitecture:       pulumi.String("X86_64"),
		},
		// The root filesystem is read-only; /tmp is task-local scratch space.
		Volumes:              ecs.TaskDefinitionVolumeArray{ecs.TaskDefinitionVolumeArgs{Name: pulumi.String("tmp")}},
		ContainerDefinitions: defs,
		Tags:                 tags(name),
	}, parent)
}

type keyValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type secretRef struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

// containerDefinitions renders the one container. Lists are sorted so the JSON (and therefore
// the task definition revision) does not change between runs.
func containerDefinitions(a *Args, image, logGroup string, env, secrets map[string]string) (string, error) {
	envList := make([]keyValue, 0, len(env))
	for k, v := range env {
		envList = append(envList, keyValue{k, v})
	}
	sort.Slice(envList, func(i, j int) bool { return envList[i].Name < envList[j].Name })
	secretList := make([]secretRef, 0, len(secrets))
	for k, v := range secrets {
		secretList = append(secretList, secretRef{k, v})
	}
	sort.Slice(secretList, func(i, j int) bool { return secretList[i].Name < secretList[j].Name })

	c := map[string]any{
		"name":                   containerName,
		"image":                  image,
		"essential":              true,
		"user":                   a.User,
		"readonlyRootFilesystem": true,
		"privileged":             false,
		"linuxParameters": map[string]any{
			"initProcessEnabled": true,
			"capabilities":       map[string]any{"drop": []string{"ALL"}},
		},
		"portMappings": []map[string]any{{"containerPort": a.ContainerPort, "protocol": "tcp"}},
		"mountPoints":  []map[string]any{{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": false}},
		"environment":  envList,
		"secrets":      secretList,
		"healthCheck": map[string]any{
			"command": a.HealthCheckCommand, "interval": 15, "timeout": 5, "retries": 3, "startPeriod": 30,
		},
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         logGroup,
				"awslogs-region":        a.Region,
				"awslogs-stream-prefix": containerName,
			},
		},
	}
	b, err := json.Marshal([]any{c})
	return string(b), err
}
