package monitoring_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/monitoring"
	"github.com/agm-dr/agm-dr/config"
)

const (
	alarmType     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	topicType     = "aws:sns/topic:Topic"
	policyType    = "aws:sns/topicPolicy:TopicPolicy"
	subType       = "aws:sns/topicSubscription:TopicSubscription"
	dashboardType = "aws:cloudwatch/dashboard:Dashboard"
	topicArn      = "arn:aws:mock:ap-northeast-1:123456789012:mon-alarms"
)

func baseArgs(isPrimary bool) *monitoring.Args {
	return &monitoring.Args{
		Region:                  config.Tokyo,
		IsPrimary:               isPrimary,
		KmsKeyArn:               pulumi.String("arn:aws:kms:ap-northeast-1:123456789012:key/abc"),
		LoadBalancerArnSuffix:   pulumi.String("app/agm/123"),
		TargetGroupArnSuffix:    pulumi.String("targetgroup/agm/456"),
		ClusterName:             pulumi.String("agm-cluster"),
		ServiceName:             pulumi.String("agm-web"),
		MinTasks:                4,
		QueueName:               pulumi.String("agm-queue"),
		DlqName:                 pulumi.String("agm-dlq"),
		DbClusterID:             pulumi.String("agm-db-tokyo"),
		PeerRegion:              config.Osaka,
		RpoBudgetSeconds:        5,
		CacheReplicationGroupID: pulumi.String("agm-cache"),
		BucketName:              pulumi.String("agm-site-tokyo"),
		PeerBucketName:          "agm-site-osaka",
		ReplicationRuleID:       "to-peer",
	}
}

func run(t *testing.T, args *monitoring.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := monitoring.New(ctx, "mon", args)
		return err
	}, capture.Options{Project: "agm-dr", Stack: config.TokyoStack, Config: map[string]string{"aws:region": config.Tokyo}})
}

func mustRun(t *testing.T, args *monitoring.Args) *capture.Result {
	t.Helper()
	res, err := run(t, args)
	require.NoError(t, err)
	return res
}

func alarms(res *capture.Result) map[string]resource.PropertyMap {
	out := map[string]resource.PropertyMap{}
	for _, r := range res.Find(alarmType) {
		out[r.Name] = r.Inputs
	}
	return out
}

// dims flattens a dimensions map.
func dims(m resource.PropertyMap) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[string(k)] = v.StringValue()
	}
	return out
}

// the single source of truth of what must be watched, and who pages.
var wantAlarms = []struct {
	name      string
	serving   bool
	namespace string // "" for metric-math alarms
	metric    string
	dims      map[string]string
	op        string
	threshold float64
	missing   string
}{
	{"mon-alb-5xx", true, "", "", nil, "GreaterThanThreshold", 5, "notBreaching"},
	{"mon-running-tasks", false, "ECS/ContainerInsights", "RunningTaskCount",
		map[string]string{"ClusterName": "agm-cluster", "ServiceName": "agm-web"}, "LessThanThreshold", 4, "breaching"},
	{"mon-queue-age", true, "AWS/SQS", "ApproximateAgeOfOldestMessage",
		map[string]string{"QueueName": "agm-queue"}, "GreaterThanThreshold", 300, "notBreaching"},
	{"mon-dlq-depth", false, "AWS/SQS", "ApproximateNumberOfMessagesVisible",
		map[string]string{"QueueName": "agm-dlq"}, "GreaterThanThreshold", 0, "notBreaching"},
	{"mon-aurora-lag", false, "AWS/RDS", "AuroraGlobalDBReplicationLag",
		map[string]string{"DBClusterIdentifier": "agm-db-tokyo", "SourceRegion": "ap-northeast-3"}, "GreaterThanThreshold", 5000, "notBreaching"},
	{"mon-cache-lag", false, "", "", nil, "GreaterThanThreshold", 5, "notBreaching"},
	{"mon-s3-replication-failed", false, "AWS/S3", "OperationsFailedReplication",
		map[string]string{"SourceBucket": "agm-site-tokyo", "DestinationBucket": "agm-site-osaka", "RuleId": "to-peer"},
		"GreaterThanThreshold", 0, "notBreaching"},
}

func TestEveryAlarmWatchesTheRightMetric(t *testing.T) {
	got := alarms(mustRun(t, baseArgs(true)))
	require.Len(t, got, len(wantAlarms), "unexpected alarm set: %v", keys(got))
	for _, w := range wantAlarms {
		t.Run(w.name, func(t *testing.T) {
			in, ok := got[w.name]
			require.True(t, ok, "alarm %s missing", w.name)
			assert.Equal(t, w.name, in["name"].StringValue())
			assert.Equal(t, w.op, in["comparisonOperator"].StringValue())
			assert.Equal(t, w.threshold, in["threshold"].NumberValue(), "threshold of %s", w.name)
			assert.Equal(t, w.missing, in["treatMissingData"].StringValue(), "treatMissingData of %s", w.name)
			if w.namespace != "" {
				assert.Equal(t, w.namespace, in["namespace"].StringValue())
				assert.Equal(t, w.metric, in["metricName"].StringValue())
				assert.Equal(t, w.dims, dims(in["dimensions"].ObjectValue()))
			}
		})
	}
}

// queries returns the metric queries of a metric-math alarm by id.
func queries(in resource.PropertyMap) map[string]resource.PropertyMap {
	out := map[string]resource.PropertyMap{}
	for _, q := range in["metricQueries"].ArrayValue() {
		o := q.ObjectValue()
		out[o["id"].StringValue()] = o
	}
	return out
}

func TestALB5xxAlarmIsARateOfBothSources(t *testing.T) {
	qs := queries(alarms(mustRun(t, baseArgs(true)))["mon-alb-5xx"])
	require.Len(t, qs, 4)
	for id, want := range map[string]struct {
		metric string
		dims   map[string]string
	}{
		"target5xx": {"HTTPCode_Target_5XX_Count", map[string]string{"LoadBalancer": "app/agm/123", "TargetGroup": "targetgroup/agm/456"}},
		"elb5xx":    {"HTTPCode_ELB_5XX_Count", map[string]string{"LoadBalancer": "app/agm/123"}},
		"requests":  {"RequestCount", map[string]string{"LoadBalancer": "app/agm/123"}},
	} {
		m := qs[id]["metric"].ObjectValue()
		assert.Equal(t, "AWS/ApplicationELB", m["namespace"].StringValue())
		assert.Equal(t, want.metric, m["metricName"].StringValue())
		assert.Equal(t, want.dims, dims(m["dimensions"].ObjectValue()))
		assert.False(t, qs[id]["returnData"].BoolValue())
	}
	expr := qs["rate5xx"]
	assert.True(t, expr["returnData"].BoolValue(), "only the rate is alarmed on")
	assert.Contains(t, expr["expression"].StringValue(), "target5xx")
	assert.Contains(t, expr["expression"].StringValue(), "elb5xx")
	assert.Contains(t, expr["expression"].StringValue(), "/ FILL(requests, 1)")
}

func TestCacheLagAlarmCoversEveryMember(t *testing.T) {
	for _, n := range []int{0, 3} { // 0 means the default of 2
		args := baseArgs(true)
		args.CacheNodeCount = n
		qs := queries(alarms(mustRun(t, args))["mon-cache-lag"])
		want := n
		if n == 0 {
			want = 2
		}
		require.Len(t, qs, want+1)
		var ids []string
		for i := 1; i <= want; i++ {
			m := qs[fmt.Sprintf("node%d", i)]["metric"].ObjectValue()
			assert.Equal(t, "AWS/ElastiCache", m["namespace"].StringValue())
			assert.Equal(t, "GlobalDatastoreReplicationLag", m["metricName"].StringValue())
			ids = append(ids, dims(m["dimensions"].ObjectValue())["CacheClusterId"])
		}
		assert.Equal(t, []string{"agm-cache-001", "agm-cache-002", "agm-cache-003"}[:want], ids)
		assert.True(t, strings.HasPrefix(qs["lag"]["expression"].StringValue(), "MAX(["))
	}
}

func TestAuroraLagThresholdIsRpoBudgetInMs(t *testing.T) {
	for _, tc := range []struct{ rpo, ms int }{{1, 1000}, {5, 5000}, {60, 60000}} {
		args := baseArgs(true)
		args.RpoBudgetSeconds = tc.rpo
		got := alarms(mustRun(t, args))
		assert.Equal(t, float64(tc.ms), got["mon-aurora-lag"]["threshold"].NumberValue(), "RPO %d s", tc.rpo)
		assert.Equal(t, float64(tc.rpo), got["mon-cache-lag"]["threshold"].NumberValue(), "cache lag is in seconds")
	}
}

func TestFlipOnlyTogglesServingAlarmActions(t *testing.T) {
	primary := alarms(mustRun(t, baseArgs(true)))
	standby := alarms(mustRun(t, baseArgs(false)))
	assert.Equal(t, keys(primary), keys(standby), "the flip must not create or delete alarms")

	for _, w := range wantAlarms {
		p, s := primary[w.name], standby[w.name]
		require.NotNil(t, p, w.name)
		assert.True(t, p["actionsEnabled"].BoolValue(), "%s must notify on the primary", w.name)
		assert.Equal(t, !w.serving, s["actionsEnabled"].BoolValue(),
			"%s on the standby: serving alarms stay silent, replication/DLQ alarms notify", w.name)
		for _, in := range []resource.PropertyMap{p, s} {
			for _, k := range []resource.PropertyKey{"alarmActions", "okActions"} {
				acts := in[k].ArrayValue()
				require.Len(t, acts, 1, "%s %s", w.name, k)
				assert.Equal(t, topicArn, acts[0].StringValue())
			}
		}
		// Everything but actionsEnabled is identical across roles.
		p2, s2 := p.Copy(), s.Copy()
		delete(p2, "actionsEnabled")
		delete(s2, "actionsEnabled")
		assert.True(t, p2.DeepEquals(s2), "%s differs between primary and standby beyond actionsEnabled", w.name)
	}
}

func TestTopicIsEncryptedAndOnlyCloudWatchPublishes(t *testing.T) {
	res := mustRun(t, baseArgs(true))
	topics := res.Find(topicType)
	require.Len(t, topics, 1)
	assert.Equal(t, "arn:aws:kms:ap-northeast-1:123456789012:key/abc", topics[0].Inputs["kmsMasterKeyId"].StringValue())

	pol, ok := res.Get(policyType, "mon-alarms")
	require.True(t, ok, "topic policy missing")
	assert.Equal(t, topicArn, pol.Inputs["arn"].StringValue())
	raw := pol.Inputs["policy"].StringValue()
	var doc struct {
		Statement []struct {
			Effect    string
			Principal any
			Action    string
			Resource  string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &doc), raw)
	require.Len(t, doc.Statement, 1)
	st := doc.Statement[0]
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, map[string]any{"Service": "cloudwatch.amazonaws.com"}, st.Principal)
	assert.Equal(t, "sns:Publish", st.Action)
	assert.Equal(t, topicArn, st.Resource)
	assert.Equal(t, "123456789012", st.Condition["StringEquals"]["aws:SourceAccount"])
	assert.NotContains(t, raw, `"*"`, "no wildcard principal")
}

func TestEmailSubscriptionIsOptional(t *testing.T) {
	assert.Empty(t, mustRun(t, baseArgs(true)).Find(subType))

	args := baseArgs(true)
	args.AlarmEmail = "ops@example.com"
	subs := mustRun(t, args).Find(subType)
	require.Len(t, subs, 1)
	assert.Equal(t, "email", subs[0].Inputs["protocol"].StringValue())
	assert.Equal(t, "ops@example.com", subs[0].Inputs["endpoint"].StringValue())
	assert.Equal(t, topicArn, subs[0].Inputs["topic"].StringValue())
}

func TestDashboardPlotsTheAlarmedMetrics(t *testing.T) {
	res := mustRun(t, baseArgs(true))
	d, ok := res.Get(dashboardType, "mon-dashboard")
	require.True(t, ok)
	assert.Equal(t, "mon-ap-northeast-1", d.Inputs["dashboardName"].StringValue(), "dashboards are global: name carries the region")
	body := d.Inputs["dashboardBody"].StringValue()
	var parsed struct{ Widgets []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(body), &parsed))
	assert.Len(t, parsed.Widgets, 7)
	for _, s := range []string{"HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RunningTaskCount",
		"ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible", "AuroraGlobalDBReplicationLag",
		"GlobalDatastoreReplicationLag", "OperationsFailedReplication", "agm-db-tokyo", "agm-cache-001", "app/agm/123"} {
		assert.Contains(t, body, s)
	}
}

func TestRejectsBadArgs(t *testing.T) {
	cases := map[string]func(a *monitoring.Args){
		"negative RPO":       func(a *monitoring.Args) { a.RpoBudgetSeconds = -1 },
		"zero RPO":           func(a *monitoring.Args) { a.RpoBudgetSeconds = 0 },
		"negative min tasks": func(a *monitoring.Args) { a.MinTasks = -1 },
		"negative queue age": func(a *monitoring.Args) { a.MaxQueueAgeSeconds = -5 },
		"too many nodes":     func(a *monitoring.Args) { a.CacheNodeCount = 7 },
		"no kms key":         func(a *monitoring.Args) { a.KmsKeyArn = nil },
		"no db cluster":      func(a *monitoring.Args) { a.DbClusterID = nil },
		"no region":          func(a *monitoring.Args) { a.Region = "" },
		"no rule id":         func(a *monitoring.Args) { a.ReplicationRuleID = "" },
		"bad email":          func(a *monitoring.Args) { a.AlarmEmail = "ops" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			args := baseArgs(true)
			mutate(args)
			_, err := run(t, args)
			require.Error(t, err)
		})
	}
	t.Run("nil args", func(t *testing.T) {
		_, err := run(t, nil)
		require.Error(t, err)
	})
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
