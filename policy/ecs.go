package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// ECS resource types.
const (
	TypeECSCluster     = "aws:ecs/cluster:Cluster"
	TypeECSService     = "aws:ecs/service:Service"
	TypeTaskDefinition = "aws:ecs/taskDefinition:TaskDefinition"
)

// container is the part of an ECS container definition the rules read.
type container struct {
	Name                   string `json:"name"`
	Image                  string `json:"image"`
	Privileged             *bool  `json:"privileged"`
	ReadonlyRootFilesystem *bool  `json:"readonlyRootFilesystem"`
	Environment            []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"environment"`
	Secrets []struct {
		Name      string `json:"name"`
		ValueFrom string `json:"valueFrom"`
	} `json:"secrets"`
	LogConfiguration *struct {
		LogDriver string            `json:"logDriver"`
		Options   map[string]string `json:"options"`
	} `json:"logConfiguration"`
}

// containers decodes containerDefinitions (a JSON string); ok is false while it is unknown.
func containers(r Resource) (cs []container, ok bool, err error) {
	st, err := jsonDoc(r.Inputs, &cs, "containerDefinitions")
	if err != nil || st == unknown {
		return nil, false, err
	}
	return cs, true, nil
}

// eachContainer runs check on every container of a task definition.
func eachContainer(check func(c container) []string) func(Resource) []string {
	return func(r Resource) []string {
		cs, ok, err := containers(r)
		if err != nil {
			return []string{err.Error()}
		}
		if !ok {
			return nil
		}
		if len(cs) == 0 {
			return []string{"containerDefinitions is empty"}
		}
		var out []string
		for _, c := range cs {
			for _, m := range check(c) {
				out = append(out, fmt.Sprintf("container %q: %s", c.Name, m))
			}
		}
		return out
	}
}

// secretLike matches environment variable names that name a credential.
var secretLike = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY|ACCESS_KEY|AUTH)`)

var ecsRules = []Rule{
	{
		ID:            "AGM-ECS-001",
		Description:   "ECS services do not assign public IPs to tasks",
		Checkov:       []string{"CKV_AWS_333"},
		SecurityHub:   []string{"ECS.2"},
		ResourceTypes: []string{TypeECSService},
		Check: func(r Resource) []string {
			return mustNotBeTrue(r.Inputs, "tasks get public IP addresses", "networkConfiguration", "assignPublicIp")
		},
	},
	{
		ID:            "AGM-ECS-002",
		Description:   "ECS containers have a read-only root filesystem",
		Checkov:       []string{"CKV_AWS_336"},
		SecurityHub:   []string{"ECS.5"},
		ResourceTypes: []string{TypeTaskDefinition},
		Check: eachContainer(func(c container) []string {
			if c.ReadonlyRootFilesystem == nil || !*c.ReadonlyRootFilesystem {
				return []string{"readonlyRootFilesystem is not true"}
			}
			return nil
		}),
	},
	{
		ID:            "AGM-ECS-003",
		Description:   "ECS containers are not privileged",
		Checkov:       []string{"CKV_AWS_334"},
		SecurityHub:   []string{"ECS.4"},
		ResourceTypes: []string{TypeTaskDefinition},
		Check: eachContainer(func(c container) []string {
			if c.Privileged != nil && *c.Privileged {
				return []string{"privileged is true"}
			}
			return nil
		}),
	},
	{
		ID:            "AGM-ECS-004",
		Description:   "ECS containers take secrets from Secrets Manager (secrets[].valueFrom), never from plain environment variables",
		SecurityHub:   []string{"ECS.8"},
		ResourceTypes: []string{TypeTaskDefinition},
		Check: eachContainer(func(c container) []string {
			var out []string
			for _, e := range c.Environment {
				if secretLike.MatchString(e.Name) {
					out = append(out, fmt.Sprintf("environment variable %s looks like a credential: pass it in secrets from Secrets Manager", e.Name))
				}
			}
			for _, s := range c.Secrets {
				if !strings.HasPrefix(s.ValueFrom, "arn:aws:secretsmanager:") {
					out = append(out, fmt.Sprintf("secret %s comes from %q, not a Secrets Manager ARN", s.Name, s.ValueFrom))
				}
			}
			return out
		}),
	},
	{
		ID:            "AGM-ECS-005",
		Description:   "ECS containers send their logs to CloudWatch Logs (awslogs driver with a log group)",
		SecurityHub:   []string{"ECS.9"},
		ResourceTypes: []string{TypeTaskDefinition},
		Check: eachContainer(func(c container) []string {
			switch {
			case c.LogConfiguration == nil || c.LogConfiguration.LogDriver == "":
				return []string{"no logConfiguration"}
			case c.LogConfiguration.LogDriver == "awslogs" && c.LogConfiguration.Options["awslogs-group"] == "":
				return []string{"the awslogs driver has no awslogs-group"}
			}
			return nil
		}),
	},
	{
		ID:            "AGM-ECS-006",
		Description:   "ECS clusters have Container Insights on",
		Checkov:       []string{"CKV_AWS_65"},
		SecurityHub:   []string{"ECS.12"},
		ResourceTypes: []string{TypeECSCluster},
		Check: func(r Resource) []string {
			settings, st := list(r.Inputs, "settings")
			if st == unknown {
				return nil
			}
			for _, s := range settings {
				if n, _ := str(s, "name"); n == "containerInsights" {
					if v, _ := str(s, "value"); v == "enabled" || v == "enhanced" {
						return nil
					}
				}
			}
			return []string{"settings has no containerInsights = enabled"}
		},
	},
	{
		ID:            "AGM-ECS-007",
		Description:   "ECS containers run a pinned image: a release tag or a sha256 digest, never latest",
		ResourceTypes: []string{TypeTaskDefinition},
		Check: eachContainer(func(c container) []string {
			if _, ref, err := ImageRef(c.Image); err != nil {
				return []string{err.Error()}
			} else if ref == "latest" {
				return []string{fmt.Sprintf("image %s uses the moving tag latest", c.Image)}
			}
			return nil
		}),
	},
}

// ImageRef splits an image reference into repository and tag-or-digest. An image without a
// tag or digest (which Docker reads as latest) is an error.
func ImageRef(image string) (repo, ref string, err error) {
	if i := strings.LastIndex(image, "@"); i >= 0 {
		return image[:i], image[i+1:], nil
	}
	slash := strings.LastIndex(image, "/")
	if i := strings.LastIndex(image, ":"); i > slash {
		return image[:i], image[i+1:], nil
	}
	return image, "", fmt.Errorf("image %q has no tag or digest, so it runs whatever latest is", image)
}
