package monitoring

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// treatMissingData values.
const (
	missingNotBreaching = "notBreaching"
	missingBreaching    = "breaching"
)

const (
	period           = 60  // seconds
	s3Period         = 300 // seconds
	max5xxPercent    = 5.0 // share of requests answered 5xx
	secondsToMs      = 1000
	greaterThan      = "GreaterThanThreshold"
	lessThan         = "LessThanThreshold"
	statMax, statSum = "Maximum", "Sum"
)

// alarmSpec is one alarm before routing: serving (traffic-driven) alarms page only from the
// primary; the others guard readiness and page from both regions.
type alarmSpec struct {
	name    string
	serving bool
	args    cloudwatch.MetricAlarmArgs
}

// alarmSpecs lists every alarm of a region. It must not depend on the role: the flip only
// changes actionsEnabled, never which alarms exist.
func alarmSpecs(name string, a *Args) []alarmSpec {
	return []alarmSpec{
		{name: name + "-alb-5xx", serving: true, args: cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(fmt.Sprintf("ALB answers more than %.0f%% of requests with 5xx (target or load balancer)", max5xxPercent)),
			ComparisonOperator: pulumi.String(greaterThan),
			Threshold:          pulumi.Float64(max5xxPercent),
			EvaluationPeriods:  pulumi.Int(5),
			DatapointsToAlarm:  pulumi.Int(3),
			TreatMissingData:   pulumi.String(missingNotBreaching), // no requests, no errors
			MetricQueries: cloudwatch.MetricAlarmMetricQueryArray{
				metricQuery("target5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", statSum, period,
					pulumi.StringMap{"LoadBalancer": a.LoadBalancerArnSuffix, "TargetGroup": a.TargetGroupArnSuffix}),
				metricQuery("elb5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", statSum, period,
					pulumi.StringMap{"LoadBalancer": a.LoadBalancerArnSuffix}),
				metricQuery("requests", "AWS/ApplicationELB", "RequestCount", statSum, period,
					pulumi.StringMap{"LoadBalancer": a.LoadBalancerArnSuffix}),
				expression("rate5xx", "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / FILL(requests, 1)", "5xx % of requests"),
			},
		}},
		// Not serving: the standby's warm tasks are its readiness, so losing them pages too.
		{name: name + "-running-tasks", args: cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(fmt.Sprintf("fewer than %d ECS tasks running", a.MinTasks)),
			Namespace:          pulumi.String("ECS/ContainerInsights"),
			MetricName:         pulumi.String("RunningTaskCount"),
			Dimensions:         pulumi.StringMap{"ClusterName": a.ClusterName, "ServiceName": a.ServiceName},
			Statistic:          pulumi.String("Minimum"),
			Period:             pulumi.Int(period),
			ComparisonOperator: pulumi.String(lessThan),
			Threshold:          pulumi.Float64(float64(a.MinTasks)),
			EvaluationPeriods:  pulumi.Int(3),
			TreatMissingData:   pulumi.String(missingBreaching), // a silent service is a down service
		}},
		{name: name + "-queue-age", serving: true, args: cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(fmt.Sprintf("oldest message older than %d s", a.MaxQueueAgeSeconds)),
			Namespace:          pulumi.String("AWS/SQS"),
			MetricName:         pulumi.String("ApproximateAgeOfOldestMessage"),
			Dimensions:         pulumi.StringMap{"QueueName": a.QueueName},
			Statistic:          pulumi.String(statMax),
			Period:             pulumi.Int(period),
			ComparisonOperator: pulumi.String(greaterThan),
			Threshold:          pulumi.Float64(float64(a.MaxQueueAgeSeconds)),
			EvaluationPeriods:  pulumi.Int(2),
			TreatMissingData:   pulumi.String(missingNotBreaching), // SQS stops reporting idle queues
		}},
		{name: name + "-dlq-depth", args: cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String("messages in the dead-letter queue"),
			Namespace:          pulumi.String("AWS/SQS"),
			MetricName:         pulumi.String("ApproximateNumberOfMessagesVisible"),
			Dimensions:         pulumi.StringMap{"QueueName": a.DlqName},
			Statistic:          pulumi.String(statMax),
			Period:             pulumi.Int(period),
			ComparisonOperator: pulumi.String(greaterThan),
			Threshold:          pulumi.Float64(0),
			EvaluationPeriods:  pulumi.Int(1),
			TreatMissingData:   pulumi.String(missingNotBreaching),
		}},
		// The lag is published per {DBClusterIdentifier, SourceRegion} (see switchover.LagMetric);
		// an alarm on DBClusterIdentifier alone matches no metric and never fires. This cluster's
		// source is always the peer when it is the secondary, so the set does not depend on the role.
		{name: name + "-aurora-lag", args: cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(fmt.Sprintf("Aurora global replication lag above the RPO budget (%d s)", a.RpoBudgetSeconds)),
			Namespace:          pulumi.String("AWS/RDS"),
			MetricName:         pulumi.String("AuroraGlobalDBReplicationLag"), // milliseconds
			Dimensions:         pulumi.StringMap{"DBClusterIdentifier": a.DbClusterID, "SourceRegion": pulumi.String(a.PeerRegion)},
			Statistic:          pulumi.String(statMax),
			Period:             pulumi.Int(period),
			ComparisonOperator: pulumi.String(greaterThan),
			Threshold:          pulumi.Float64(float64(a.RpoBudgetSeconds) * secondsToMs),
			EvaluationPeriods:  pulumi.Int(3),
			DatapointsToAlarm:  pulumi.Int(2),
			// Only the secondary cluster publishes the lag; the writer's region has no data.
			TreatMissingData: pulumi.String(missingNotBreaching),
		}},
		{name: name + "-cache-lag", args: cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(fmt.Sprintf("ElastiCache global datastore lag above the RPO budget (%d s)", a.RpoBudgetSeconds)),
			ComparisonOperator: pulumi.String(greaterThan),
			Threshold:          pulumi.Float64(float64(a.RpoBudgetSeconds)), // metric is in seconds
			EvaluationPeriods:  pulumi.Int(3),
			DatapointsToAlarm:  pulumi.Int(2),
			// Only the secondary region's primary node publishes the lag.
			TreatMissingData: pulumi.String(missingNotBreaching),
			MetricQueries:    cacheLagQueries(a),
		}},
		{name: name + "-s3-replication-failed", args: cloudwatch.MetricAlarmArgs{
			AlarmDescription: pulumi.String(fmt.Sprintf("objects failed to replicate to %s", a.PeerBucketName)),
			Namespace:        pulumi.String("AWS/S3"),
			MetricName:       pulumi.String("OperationsFailedReplication"),
			Dimensions: pulumi.StringMap{
				"SourceBucket":      a.BucketName,
				"DestinationBucket": pulumi.String(a.PeerBucketName),
				"RuleId":            pulumi.String(a.ReplicationRuleID),
			},
			Statistic:          pulumi.String(statSum),
			Period:             pulumi.Int(s3Period),
			ComparisonOperator: pulumi.String(greaterThan),
			Threshold:          pulumi.Float64(0),
			EvaluationPeriods:  pulumi.Int(1),
			TreatMissingData:   pulumi.String(missingNotBreaching), // published only when replication runs
		}},
	}
}

// cacheLagQueries takes the maximum over the group's member clusters: the lag is published per
// CacheClusterId ("<group>-001", ...) by whichever node is primary, which moves on failover.
func cacheLagQueries(a *Args) cloudwatch.MetricAlarmMetricQueryArray {
	var qs cloudwatch.MetricAlarmMetricQueryArray
	ids := make([]string, 0, a.CacheNodeCount)
	for i := 1; i <= a.CacheNodeCount; i++ {
		id := fmt.Sprintf("node%d", i)
		ids = append(ids, id)
		qs = append(qs, metricQuery(id, "AWS/ElastiCache", "GlobalDatastoreReplicationLag", statMax, period,
			pulumi.StringMap{"CacheClusterId": cacheMember(a.CacheReplicationGroupID, i)}))
	}
	return append(qs, expression("lag", "MAX(["+strings.Join(ids, ", ")+"])", "global datastore lag (s)"))
}

// cacheMember is the CacheClusterId of node i of a cluster-mode-disabled replication group.
func cacheMember(group pulumi.StringInput, i int) pulumi.StringOutput {
	return group.ToStringOutput().ApplyT(func(g string) string { return fmt.Sprintf("%s-%03d", g, i) }).(pulumi.StringOutput)
}

func metricQuery(id, namespace, metric, stat string, seconds int, dims pulumi.StringMap) cloudwatch.MetricAlarmMetricQueryArgs {
	return cloudwatch.MetricAlarmMetricQueryArgs{
		Id: pulumi.String(id),
		Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
			Namespace: pulumi.String(namespace), MetricName: pulumi.String(metric),
			Stat: pulumi.String(stat), Period: pulumi.Int(seconds), Dimensions: dims,
		},
		ReturnData: pulumi.Bool(false),
	}
}

func expression(id, expr, label string) cloudwatch.MetricAlarmMetricQueryArgs {
	return cloudwatch.MetricAlarmMetricQueryArgs{
		Id: pulumi.String(id), Expression: pulumi.String(expr), Label: pulumi.String(label),
		ReturnData: pulumi.Bool(true),
	}
}

// newAlarm routes an alarm to the topic. Actions are always listed; on the standby the serving
// alarms keep evaluating but do not notify, so the flip is one boolean per alarm.
func newAlarm(ctx *pulumi.Context, spec alarmSpec, topicArn pulumi.StringOutput, isPrimary bool, parent pulumi.Resource) error {
	args := spec.args
	args.Name = pulumi.String(spec.name)
	args.ActionsEnabled = pulumi.Bool(!spec.serving || isPrimary)
	args.AlarmActions = pulumi.Array{topicArn}
	args.OkActions = pulumi.Array{topicArn}
	args.Tags = pulumi.StringMap{"agm-dr:pages": pages(spec.serving)}
	_, err := cloudwatch.NewMetricAlarm(ctx, spec.name, &args, pulumi.Parent(parent))
	return err
}

func pages(serving bool) pulumi.String {
	if serving {
		return "primary-only"
	}
	return "always"
}
