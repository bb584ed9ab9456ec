package monitoring

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const widgetWidth, widgetHeight = 12, 6

// the physical names the dashboard plots, resolved from other resources.
type watched struct {
	lb, tg, cluster, service, queue, dlq, db, cache, bucket string
}

// newDashboard draws the alarmed metrics. Dashboards are global to the account, so the name
// carries the region to keep the two stacks apart.
func newDashboard(ctx *pulumi.Context, name string, a *Args, parent pulumi.Resource) (*cloudwatch.Dashboard, error) {
	body := pulumi.All(a.LoadBalancerArnSuffix, a.TargetGroupArnSuffix, a.ClusterName, a.ServiceName,
		a.QueueName, a.DlqName, a.DbClusterID, a.CacheReplicationGroupID, a.BucketName,
	).ApplyT(func(v []any) (string, error) {
		s := func(i int) string { return v[i].(string) }
		return dashboardBody(a, watched{s(0), s(1), s(2), s(3), s(4), s(5), s(6), s(7), s(8)})
	}).(pulumi.StringOutput)

	return cloudwatch.NewDashboard(ctx, name+"-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(fmt.Sprintf("%s-%s", name, a.Region)),
		DashboardBody: body,
	}, pulumi.Parent(parent))
}

// metricLine is one line of a widget: namespace, metric name, then dimension name/value pairs.
type metricLine []any

func line(namespace, metric string, dims ...string) metricLine {
	l := metricLine{namespace, metric}
	for _, d := range dims {
		l = append(l, d)
	}
	return l
}

func dashboardBody(a *Args, w watched) (string, error) {
	cacheLines := make([]metricLine, 0, a.CacheNodeCount)
	for i := 1; i <= a.CacheNodeCount; i++ {
		cacheLines = append(cacheLines, line("AWS/ElastiCache", "GlobalDatastoreReplicationLag",
			"CacheClusterId", fmt.Sprintf("%s-%03d", w.cache, i)))
	}
	widgets := []map[string]any{
		widget(a.Region, "ALB 5xx and requests", "Sum", nil,
			line("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", w.lb, "TargetGroup", w.tg),
			line("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", w.lb),
			line("AWS/ApplicationELB", "RequestCount", "LoadBalancer", w.lb)),
		widget(a.Region, "Running tasks", "Minimum", threshold("minimum", float64(a.MinTasks)),
			line("ECS/ContainerInsights", "RunningTaskCount", "ClusterName", w.cluster, "ServiceName", w.service)),
		widget(a.Region, "Queue age (s)", "Maximum", threshold("max age", float64(a.MaxQueueAgeSeconds)),
			line("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", w.queue)),
		widget(a.Region, "Dead-letter queue depth", "Maximum", threshold("any", 0),
			line("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", w.dlq)),
		widget(a.Region, "Aurora global replication lag (ms)", "Maximum", threshold("RPO", float64(a.RpoBudgetSeconds)*secondsToMs),
			line("AWS/RDS", "AuroraGlobalDBReplicationLag", "DBClusterIdentifier", w.db, "SourceRegion", a.PeerRegion)),
		widget(a.Region, "Cache global datastore lag (s)", "Maximum", threshold("RPO", float64(a.RpoBudgetSeconds)), cacheLines...),
		widget(a.Region, "S3 replication to peer", "Sum", nil,
			line("AWS/S3", "OperationsFailedReplication", "SourceBucket", w.bucket, "DestinationBucket", a.PeerBucketName, "RuleId", a.ReplicationRuleID),
			line("AWS/S3", "OperationsPendingReplication", "SourceBucket", w.bucket, "DestinationBucket", a.PeerBucketName, "RuleId", a.ReplicationRuleID)),
	}
	for i, wd := range widgets { // two columns
		wd["x"], wd["y"] = (i%2)*widgetWidth, (i/2)*widgetHeight
	}
	b, err := json.Marshal(map[string]any{"widgets": widgets})
	return string(b), err
}

func widget(region, title, stat string, annotations map[string]any, lines ...metricLine) map[string]any {
	props := map[string]any{
		"title": title, "region": region, "view": "timeSeries", "stat": stat, "period": period,
		"metrics": lines,
	}
	if annotations != nil {
		props["annotations"] = annotations
	}
	return map[string]any{"type": "metric", "width": widgetWidth, "height": widgetHeight, "properties": props}
}

func threshold(label string, value float64) map[string]any {
	return map[string]any{"horizontal": []map[string]any{{"label": label, "value": value}}}
}
