// Package canary runs the drill's probe from inside AWS: a CloudWatch Synthetics canary in this
// region that reads the public name and this region's load balancer (the app contract's
// GET /probe/read) every minute, with an alarm when its runs fail. Canaries in both regions see
// from two places what shareholders see; the drill report reads their runs for its window as a
// second view (package canaryruns). Nothing here depends on primaryRegion: a flip never changes it.
package canary

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/synthetics"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Runtime is the Synthetics Node.js runtime the script runs on; the script uses only Node's
// https module. The code must sit under nodejs/node_modules/ in its archive, handler
// <file>.handler:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_WritingCanary_Nodejs_Pup.html
// https://repost.aws/knowledge-center/cloudwatch-fix-failing-canary
const Runtime = "syn-nodejs-puppeteer-9.1"

// MaxNameLength is the longest canary name Synthetics accepts (lower case, digits, - and _).
const MaxNameLength = 21

// Args describe the canary of one region.
type Args struct {
	Name             string             // canary name, at most MaxNameLength
	PublicHost       string             // the service's public name
	LoadBalancerHost pulumi.StringInput // this region's load balancer DNS name
	Bucket           pulumi.StringInput // an existing bucket of this region for the code and the runs' artifacts
	AlarmTopicArn    pulumi.StringInput // where the alarm goes
	Schedule         string             // default rate(1 minute)
	// Paused stops the canary and silences its alarm (a sleeping dev environment has no tasks to
	// answer it: it would alarm, and cost runs, for nothing).
	Paused bool
}

// Canary is the canary, its role, its code and its alarm.
type Canary struct {
	pulumi.ResourceState
	CanaryName pulumi.StringOutput `pulumi:"canaryName"`
	AlarmName  pulumi.StringOutput `pulumi:"alarmName"`
}

// Prefix is where in the bucket the code and the artifacts go.
const Prefix = "synthetics/"

func (a *Args) validate() error {
	switch {
	case a.Name == "" || len(a.Name) > MaxNameLength:
		return fmt.Errorf("canary name %q: 1 to %d characters", a.Name, MaxNameLength)
	case a.PublicHost == "":
		return errors.New("canary: the public host name is required")
	case a.LoadBalancerHost == nil || a.Bucket == nil || a.AlarmTopicArn == nil:
		return errors.New("canary: load balancer host, bucket and alarm topic are required")
	}
	return nil
}

// New creates the canary of one region.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Canary, error) {
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Canary{}
	if err := ctx.RegisterComponentResource("agm-dr:canary:Canary", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(assumeLambda),
		Description:      pulumi.String("CloudWatch Synthetics canary " + args.Name + ": writes its artifacts, metrics and logs"),
	}, parent)
	if err != nil {
		return nil, err
	}
	_, err = iam.NewRolePolicy(ctx, name+"-policy", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: args.Bucket.ToStringOutput().ApplyT(policy).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, err
	}
	code, err := s3.NewBucketObjectv2(ctx, name+"-code", &s3.BucketObjectv2Args{
		Bucket: args.Bucket,
		// The key names the script's content: a changed script is a new object and a changed
		// S3Key, which is what makes the canary take the new code (no version id is needed).
		Key: pulumi.String(codeKey(args.Name)),
		Source: pulumi.NewAssetArchive(map[string]interface{}{
			"nodejs/node_modules/probe.js": pulumi.NewStringAsset(script),
		}),
	}, parent)
	if err != nil {
		return nil, err
	}
	schedule := args.Schedule
	if schedule == "" {
		schedule = "rate(1 minute)"
	}
	cn, err := synthetics.NewCanary(ctx, name, &synthetics.CanaryArgs{
		Name:               pulumi.String(args.Name),
		RuntimeVersion:     pulumi.String(Runtime),
		Handler:            pulumi.String("probe.handler"),
		ExecutionRoleArn:   role.Arn,
		S3Bucket:           args.Bucket,
		S3Key:              code.Key,
		ArtifactS3Location: pulumi.Sprintf("s3://%s/%sruns/%s/", args.Bucket, Prefix, args.Name),
		StartCanary:        pulumi.Bool(!args.Paused),
		Schedule:           &synthetics.CanaryScheduleArgs{Expression: pulumi.String(schedule)},
		RunConfig: &synthetics.CanaryRunConfigArgs{
			TimeoutInSeconds: pulumi.Int(30),
			EnvironmentVariables: pulumi.StringMap{
				"PUBLIC_HOST": pulumi.String(args.PublicHost),
				"LB_HOST":     args.LoadBalancerHost,
			},
		},
		SuccessRetentionPeriod: pulumi.Int(7),
		FailureRetentionPeriod: pulumi.Int(31),
	}, parent)
	if err != nil {
		return nil, err
	}
	alarm, err := cloudwatch.NewMetricAlarm(ctx, name+"-failing", &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.String("canary " + args.Name + ": fewer than 90% of its runs reach the public name and this region's load balancer"),
		Namespace:          pulumi.String("CloudWatchSynthetics"),
		MetricName:         pulumi.String("SuccessPercent"),
		Dimensions:         pulumi.StringMap{"CanaryName": cn.Name},
		Statistic:          pulumi.String("Average"),
		Period:             pulumi.Int(60),
		EvaluationPeriods:  pulumi.Int(5),
		DatapointsToAlarm:  pulumi.Int(3),
		Threshold:          pulumi.Float64(90),
		ComparisonOperator: pulumi.String("LessThanThreshold"),
		TreatMissingData:   pulumi.String("breaching"), // a canary that stopped running is a probe that stopped watching
		ActionsEnabled:     pulumi.Bool(!args.Paused),
		AlarmActions:       pulumi.Array{args.AlarmTopicArn},
		OkActions:          pulumi.Array{args.AlarmTopicArn},
	}, parent)
	if err != nil {
		return nil, err
	}
	c.CanaryName, c.AlarmName = cn.Name, alarm.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"canaryName": c.CanaryName, "alarmName": c.AlarmName})
}

// codeKey is where the script's archive goes: named by its content.
func codeKey(name string) string {
	return fmt.Sprintf("%scode/%s-%x.zip", Prefix, name, sha256.Sum256([]byte(script)))
}

const assumeLambda = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// policy lets the canary write its artifacts under Prefix in bucket, its metrics (namespace
// CloudWatchSynthetics only) and its logs, and read its code.
func policy(bucket string) (string, error) {
	doc := map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Effect": "Allow", "Action": []string{"s3:PutObject", "s3:GetObject"}, "Resource": "arn:aws:s3:::" + bucket + "/" + Prefix + "*"},
		{"Effect": "Allow", "Action": []string{"s3:GetBucketLocation"}, "Resource": "arn:aws:s3:::" + bucket},
		{"Effect": "Allow", "Action": []string{"s3:ListAllMyBuckets"}, "Resource": "*"},
		{"Effect": "Allow", "Action": []string{"cloudwatch:PutMetricData"}, "Resource": "*",
			"Condition": map[string]any{"StringEquals": map[string]string{"cloudwatch:namespace": "CloudWatchSynthetics"}}},
		{"Effect": "Allow", "Action": []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/cwsyn-*"},
	}}
	b, err := json.Marshal(doc)
	return string(b), err
}

// script reads GET /probe/read on the public name and on this region's load balancer (with the
// public name as Host and TLS server name, as the listener and certificate expect); a run fails
// unless both answer 200 with a region.
const script = `const https = require('https');
function read(host, servername) {
  return new Promise((resolve, reject) => {
    const req = https.request({host, servername, path: '/probe/read', method: 'GET', timeout: 10000,
      headers: {Host: process.env.PUBLIC_HOST, 'User-Agent': 'agm-dr-canary'}}, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        let region = '';
        try { region = JSON.parse(body).region || ''; } catch (e) {}
        if (res.statusCode !== 200 || !region) { reject(new Error(host + ': ' + res.statusCode + ' ' + body.slice(0, 200))); return; }
        console.log(host + ' answered from ' + region);
        resolve(region);
      });
    });
    req.on('timeout', () => req.destroy(new Error(host + ': timeout')));
    req.on('error', reject);
    req.end();
  });
}
exports.handler = async () => {
  const pub = process.env.PUBLIC_HOST;
  await read(pub, pub);
  await read(process.env.LB_HOST, pub);
  return 'public name and load balancer answered';
};
`
