package app_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// container is the part of an ECS container definition the rules look at.
type container struct {
	Name                   string
	Image                  string
	User                   string
	ReadonlyRootFilesystem *bool
	Privileged             *bool
	Environment            []struct{ Name, Value string }
	Secrets                []struct{ Name, ValueFrom string }
	PortMappings           []struct{ ContainerPort int }
	HealthCheck            struct{ Command []string }
	LogConfiguration       struct {
		LogDriver string
		Options   map[string]string
	}
	LinuxParameters struct {
		Capabilities struct{ Drop []string }
	}
}

func containers(t *testing.T) []container {
	t.Helper()
	res := run(t, validArgs())
	td := get(t, res, "aws:ecs/taskDefinition:TaskDefinition", "app-task")
	assert.Equal(t, "awsvpc", str(td.Inputs, "networkMode"))
	assert.Equal(t, []string{"FARGATE"}, strs(td.Inputs, "requiresCompatibilities"))
	assert.Equal(t, "512", str(td.Inputs, "cpu"))
	assert.Equal(t, "1024", str(td.Inputs, "memory"))
	var cs []container
	require.NoError(t, json.Unmarshal([]byte(str(td.Inputs, "containerDefinitions")), &cs))
	require.Len(t, cs, 1)
	return cs
}

func TestContainerIsReadOnlyUnprivilegedAndNonRoot(t *testing.T) {
	c := containers(t)[0]
	require.NotNil(t, c.ReadonlyRootFilesystem, "readonlyRootFilesystem not set")
	assert.True(t, *c.ReadonlyRootFilesystem)
	require.NotNil(t, c.Privileged, "privileged not set")
	assert.False(t, *c.Privileged)
	assert.Equal(t, "10001:10001", c.User)
	assert.Equal(t, []string{"ALL"}, c.LinuxParameters.Capabilities.Drop)
	assert.Equal(t, image, c.Image)
	assert.Equal(t, 8080, c.PortMappings[0].ContainerPort)
	assert.Equal(t, []string{"CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"}, c.HealthCheck.Command)
}

func TestContainerLogsToItsLogGroup(t *testing.T) {
	c := containers(t)[0]
	assert.Equal(t, "awslogs", c.LogConfiguration.LogDriver)
	assert.Equal(t, "/ecs/app", c.LogConfiguration.Options["awslogs-group"])
	assert.Equal(t, "ap-northeast-1", c.LogConfiguration.Options["awslogs-region"])
}

func TestSecretsComeFromValueFromNeverPlainEnv(t *testing.T) {
	c := containers(t)[0]
	secrets := map[string]string{}
	for _, s := range c.Secrets {
		secrets[s.Name] = s.ValueFrom
	}
	assert.Equal(t, map[string]string{"APP_KEY": appSecret, "DB_PASSWORD": dbSecret}, secrets)
	env := map[string]string{}
	for _, e := range c.Environment {
		env[e.Name] = e.Value
		assert.NotContains(t, e.Value, "secretsmanager", "env %s carries a secret reference", e.Name)
	}
	assert.Equal(t, map[string]string{"DB_HOST": "db.example.internal", "QUEUE_URL": "https://sqs.example/q"}, env)
}

func TestContainerDefinitionIsStableAcrossRuns(t *testing.T) {
	// Map order must not leak into the JSON, or every run would register a new task revision.
	first := get(t, run(t, validArgs()), "aws:ecs/taskDefinition:TaskDefinition", "app-task")
	for range 5 {
		again := get(t, run(t, validArgs()), "aws:ecs/taskDefinition:TaskDefinition", "app-task")
		assert.Equal(t, str(first.Inputs, "containerDefinitions"), str(again.Inputs, "containerDefinitions"))
	}
}
