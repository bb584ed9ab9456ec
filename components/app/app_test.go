package app_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/app"
)

const (
	kmsArn    = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555"
	dbSecret  = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:agm-dr/db-AbCdEf"
	appSecret = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:agm-dr/app-GhIjKl"
	queueArn  = "arn:aws:sqs:ap-northeast-1:123456789012:agm-dr-votes"
	bucketArn = "arn:aws:s3:::agm-dr-tokyo-sites"
	image     = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/agm-app:2026.06.1"
)

func validArgs() *app.Args {
	return &app.Args{
		VpcID:               pulumi.String("vpc-1"),
		PublicSubnetIDs:     pulumi.ToStringArray([]string{"subnet-pub-a", "subnet-pub-c", "subnet-pub-d"}),
		PrivateSubnetIDs:    pulumi.ToStringArray([]string{"subnet-prv-a", "subnet-prv-c", "subnet-prv-d"}),
		TaskSecurityGroupID: pulumi.String("sg-tasks"),
		CertificateArn:      pulumi.String("arn:aws:acm:ap-northeast-1:123456789012:certificate/abc"),
		Image:               pulumi.String(image),
		Cpu:                 512,
		Memory:              1024,
		MinTasks:            6,
		MaxTasks:            40,
		Schedules: []app.Schedule{
			{Name: "june-agm-peak", StartCron: "cron(0 7 15 6 ? *)", EndCron: "cron(0 21 30 6 ? *)", MinTasks: 20},
		},
		Timezone:            "Asia/Tokyo",
		Environment:         map[string]pulumi.StringInput{"DB_HOST": pulumi.String("db.example.internal"), "QUEUE_URL": pulumi.String("https://sqs.example/q")},
		Secrets:             map[string]pulumi.StringInput{"DB_PASSWORD": pulumi.String(dbSecret), "APP_KEY": pulumi.String(appSecret)},
		SecretArns:          pulumi.ToStringArray([]string{dbSecret, appSecret}),
		QueueArns:           pulumi.ToStringArray([]string{queueArn}),
		BucketArn:           pulumi.String(bucketArn),
		KmsKeyArn:           pulumi.String(kmsArn),
		LogRetentionDays:    30,
		AccessLogBucketName: "agm-dr-tokyo-alb-logs",
		Region:              "ap-northeast-1",
	}
}

func runErr(args *app.Args) (*capture.Result, error) {
	region := "ap-northeast-1"
	if args != nil && args.Region != "" {
		region = args.Region
	}
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := app.New(ctx, "app", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": region}})
}

func run(t *testing.T, args *app.Args) *capture.Result {
	t.Helper()
	res, err := runErr(args)
	require.NoError(t, err)
	return res
}

func get(t *testing.T, res *capture.Result, typ, name string) capture.Resource {
	t.Helper()
	r, ok := res.Get(typ, name)
	require.True(t, ok, "%s %s was not created", typ, name)
	return r
}

func str(m resource.PropertyMap, key string) string {
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

func num(m resource.PropertyMap, key string) float64 {
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsNumber() {
		return -1
	}
	return v.NumberValue()
}

func boolean(m resource.PropertyMap, key string) (value, set bool) {
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
}

func obj(m resource.PropertyMap, key string) resource.PropertyMap {
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsObject() {
		return resource.PropertyMap{}
	}
	return v.ObjectValue()
}

func strs(m resource.PropertyMap, key string) []string {
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		out = append(out, e.StringValue())
	}
	return out
}

// policy is an IAM policy document as the tests read it.
type policy struct {
	Statement []struct {
		Sid       string
		Effect    string
		Principal any
		Action    []string
		Resource  any
		Condition map[string]map[string]string
	}
}

func parsePolicy(t *testing.T, doc string) policy {
	t.Helper()
	var p policy
	require.NoError(t, json.Unmarshal([]byte(doc), &p), doc)
	return p
}

// resources lists a statement's Resource whether it is one string or a list.
func resources(r any) []string {
	switch v := r.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func TestClusterHasContainerInsights(t *testing.T) {
	res := run(t, validArgs())
	c := get(t, res, "aws:ecs/cluster:Cluster", "app-cluster")
	settings := c.Inputs["settings"].ArrayValue()
	require.Len(t, settings, 1)
	assert.Equal(t, "containerInsights", str(settings[0].ObjectValue(), "name"))
	assert.Equal(t, "enabled", str(settings[0].ObjectValue(), "value"))
}

func TestTasksGetNoPublicIP(t *testing.T) {
	res := run(t, validArgs())
	svc := get(t, res, "aws:ecs/service:Service", "app-service")
	assert.Equal(t, "FARGATE", str(svc.Inputs, "launchType"))
	nc := obj(svc.Inputs, "networkConfiguration")
	public, set := boolean(nc, "assignPublicIp")
	assert.True(t, set && !public, "tasks get a public IP")
	assert.Equal(t, []string{"subnet-prv-a", "subnet-prv-c", "subnet-prv-d"}, strs(nc, "subnets"))
	assert.Equal(t, []string{"sg-tasks"}, strs(nc, "securityGroups"))
}

func TestServiceRollsBackFailedDeployments(t *testing.T) {
	res := run(t, validArgs())
	svc := get(t, res, "aws:ecs/service:Service", "app-service")
	cb := obj(svc.Inputs, "deploymentCircuitBreaker")
	enable, _ := boolean(cb, "enable")
	rollback, _ := boolean(cb, "rollback")
	assert.True(t, enable && rollback, "circuit breaker without rollback")
	assert.Equal(t, 60.0, num(svc.Inputs, "healthCheckGracePeriodSeconds"))
	lbs := svc.Inputs["loadBalancers"].ArrayValue()
	require.Len(t, lbs, 1)
	assert.Equal(t, 8080.0, num(lbs[0].ObjectValue(), "containerPort"))
	assert.Equal(t, "app", str(lbs[0].ObjectValue(), "containerName"))
}

func TestLogGroupIsEncryptedWithRetention(t *testing.T) {
	res := run(t, validArgs())
	lg := get(t, res, "aws:cloudwatch/logGroup:LogGroup", "app-logs")
	assert.Equal(t, kmsArn, str(lg.Inputs, "kmsKeyId"))
	assert.Equal(t, 30.0, num(lg.Inputs, "retentionInDays"))
}

func TestChildrenAreParentedToTheComponent(t *testing.T) {
	res := run(t, validArgs())
	get(t, res, "agm-dr:app:App", "app")
	for _, r := range res.Resources {
		if r.Custom {
			assert.Equal(t, "urn:pulumi:tokyo::agm-dr::agm-dr:app:App::app", r.Parent, "%s %s", r.Type, r.Name)
		}
	}
}

func TestBadArgsGiveError(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(a *app.Args) *app.Args
		want   string
	}{
		{"nil args", func(*app.Args) *app.Args { return nil }, "args are required"},
		{"no floor", func(a *app.Args) *app.Args { a.MinTasks = 0; return a }, "MinTasks"},
		{"max below min", func(a *app.Args) *app.Args { a.MaxTasks = 5; return a }, "MaxTasks (5) is below MinTasks (6)"},
		{"missing VPC", func(a *app.Args) *app.Args { a.VpcID = nil; return a }, "VpcID"},
		{"missing certificate", func(a *app.Args) *app.Args { a.CertificateArn = nil; return a }, "CertificateArn"},
		{"missing KMS key", func(a *app.Args) *app.Args { a.KmsKeyArn = nil; return a }, "KmsKeyArn"},
		{"unknown region", func(a *app.Args) *app.Args { a.Region = "us-east-1"; return a }, "Region"},
		{"not a Fargate CPU", func(a *app.Args) *app.Args { a.Cpu = 300; return a }, "Cpu 300"},
		{"memory does not fit CPU", func(a *app.Args) *app.Args { a.Memory = 512; return a }, "Memory 512"},
		{"bad port", func(a *app.Args) *app.Args { a.ContainerPort = 70000; return a }, "ContainerPort"},
		{"relative health path", func(a *app.Args) *app.Args { a.HealthCheckPath = "healthz"; return a }, "HealthCheckPath"},
		{"root user", func(a *app.Args) *app.Args { a.User = "0:0"; return a }, "root"},
		{"no retention", func(a *app.Args) *app.Args { a.LogRetentionDays = 0; return a }, "LogRetentionDays"},
		{"bad bucket name", func(a *app.Args) *app.Args { a.AccessLogBucketName = "Logs_Bucket"; return a }, "AccessLogBucketName"},
		{"env also a secret", func(a *app.Args) *app.Args {
			a.Environment["DB_PASSWORD"] = pulumi.String("plain")
			return a
		}, "both in Environment and Secrets"},
		{"bad env name", func(a *app.Args) *app.Args { a.Environment["1X"] = pulumi.String("v"); return a }, "environment variable name"},
		{"secrets without SecretArns", func(a *app.Args) *app.Args { a.SecretArns = nil; return a }, "SecretArns"},
		{"schedule without timezone", func(a *app.Args) *app.Args { a.Timezone = ""; return a }, "Timezone"},
		{"bad timezone", func(a *app.Args) *app.Args { a.Timezone = "Tokyo"; return a }, "Timezone"},
		{"schedule not cron", func(a *app.Args) *app.Args { a.Schedules[0].StartCron = "06-15 07:00"; return a }, "StartCron"},
		{"schedule above max", func(a *app.Args) *app.Args { a.Schedules[0].MinTasks = 41; return a }, "MinTasks 41"},
		{"duplicate schedule", func(a *app.Args) *app.Args { a.Schedules = append(a.Schedules, a.Schedules[0]); return a }, "used twice"},
		{"image from Docker Hub", func(a *app.Args) *app.Args { a.Image = pulumi.String("nginx:1.27"); return a }, "is not"},
		{"image from the peer region", func(a *app.Args) *app.Args {
			a.Image = pulumi.String("123456789012.dkr.ecr.ap-northeast-3.amazonaws.com/agm-app:2026.06.1")
			return a
		}, "not this region's own ECR"},
		{"image without tag", func(a *app.Args) *app.Args {
			a.Image = pulumi.String("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/agm-app")
			return a
		}, "is not"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runErr(tc.mutate(validArgs()))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
