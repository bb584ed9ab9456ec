package canary_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/canary"
	"github.com/agm-dr/agm-dr/config"
)

func args() *canary.Args {
	return &canary.Args{
		Name:             "agm-dr-probe-apne1",
		PublicHost:       "agm.example.jp",
		LoadBalancerHost: pulumi.String("app-123.ap-northeast-1.elb.amazonaws.com"),
		Bucket:           pulumi.String("agm-dr-logs-ap-northeast-1"),
		AlarmTopicArn:    pulumi.String("arn:aws:sns:ap-northeast-1:123456789012:alarms"),
	}
}

func run(t *testing.T, a *canary.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := canary.New(ctx, "canary", a)
		return err
	}, capture.Options{Project: "agm-dr", Stack: config.TokyoStack, Config: map[string]string{"aws:region": config.Tokyo}})
}

func TestTheCanaryProbesThePublicNameAndItsOwnLoadBalancerAndAlarms(t *testing.T) {
	res, err := run(t, args())
	require.NoError(t, err)
	cs := res.Find("aws:synthetics/canary:Canary")
	require.Len(t, cs, 1)
	c := cs[0].Inputs
	assert.Equal(t, "agm-dr-probe-apne1", c["name"].StringValue())
	assert.Equal(t, canary.Runtime, c["runtimeVersion"].StringValue())
	assert.Equal(t, "probe.handler", c["handler"].StringValue(), "the script is nodejs/node_modules/probe.js")
	env := c["runConfig"].ObjectValue()["environmentVariables"].ObjectValue()
	assert.Equal(t, "agm.example.jp", env["PUBLIC_HOST"].StringValue())
	assert.Equal(t, "app-123.ap-northeast-1.elb.amazonaws.com", env["LB_HOST"].StringValue())
	assert.True(t, strings.HasPrefix(c["artifactS3Location"].StringValue(), "s3://agm-dr-logs-ap-northeast-1/"+canary.Prefix))
	assert.True(t, c["startCanary"].BoolValue(), "the canary runs from the moment it exists")
	// The code is addressed by its key (named by the script's content), not by the object's
	// version id: a version id is unknown at every preview, so each preview would show a change.
	assert.NotContains(t, c, resource.PropertyKey("s3Version"))
	obj := res.Find("aws:s3/bucketObjectv2:BucketObjectv2")
	require.Len(t, obj, 1)
	assert.Regexp(t, `^synthetics/code/agm-dr-probe-apne1-[0-9a-f]{64}\.zip$`, obj[0].Inputs["key"].StringValue())

	alarms := res.Find("aws:cloudwatch/metricAlarm:MetricAlarm")
	require.Len(t, alarms, 1)
	a := alarms[0].Inputs
	assert.Equal(t, "SuccessPercent", a["metricName"].StringValue())
	assert.Equal(t, "CloudWatchSynthetics", a["namespace"].StringValue())
	assert.Equal(t, "breaching", a["treatMissingData"].StringValue(), "a canary that stops running alarms")
	assert.Len(t, a["alarmActions"].ArrayValue(), 1)
}

func TestCanaryArgsAreChecked(t *testing.T) {
	cases := map[string]func(a *canary.Args){
		"name too long":  func(a *canary.Args) { a.Name = strings.Repeat("x", canary.MaxNameLength+1) },
		"no public host": func(a *canary.Args) { a.PublicHost = "" },
		"no bucket":      func(a *canary.Args) { a.Bucket = nil },
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			a := args()
			breakIt(a)
			_, err := run(t, a)
			assert.Error(t, err)
		})
	}
}

// A sleeping dev environment has no tasks: its canary is stopped and its alarm silent.
func TestAPausedCanaryNeitherRunsNorPages(t *testing.T) {
	for _, paused := range []bool{false, true} {
		a := args()
		a.Paused = paused
		res, err := run(t, a)
		require.NoError(t, err)
		assert.Equal(t, !paused, res.Find("aws:synthetics/canary:Canary")[0].Inputs["startCanary"].BoolValue(), "paused %v", paused)
		assert.Equal(t, !paused, res.Find("aws:cloudwatch/metricAlarm:MetricAlarm")[0].Inputs["actionsEnabled"].BoolValue(), "paused %v", paused)
	}
}
