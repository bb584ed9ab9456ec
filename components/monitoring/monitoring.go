// Package monitoring raises this region's CloudWatch alarms to an encrypted SNS topic and draws
// its dashboard. Alarms are the same in both regions; the role only decides which of them page:
// traffic-driven alarms (5xx, queue age) page from the primary alone; readiness alarms (running
// tasks, replication lag, DLQ, S3 replication) page from both, because a standby that lost its
// warm tasks or fell behind is a DR plan that silently stopped working. The flip changes
// actionsEnabled (and the task threshold) and nothing else.
package monitoring

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	defaultMaxQueueAgeSeconds = 300
	defaultCacheNodeCount     = 2
	maxCacheNodeCount         = 6 // one primary and up to five replicas per shard
)

// Args describe what to watch in this region.
type Args struct {
	Region     string             // this stack's region, for the dashboard
	IsPrimary  bool               // serving alarms page only on the primary
	KmsKeyArn  pulumi.StringInput // customer-managed key for the SNS topic (must let CloudWatch use it)
	AlarmEmail string             // optional e-mail subscription ("" for none)

	LoadBalancerArnSuffix pulumi.StringInput // ALB "app/<name>/<id>"
	TargetGroupArnSuffix  pulumi.StringInput // "targetgroup/<name>/<id>"
	ClusterName           pulumi.StringInput // ECS cluster (Container Insights on)
	ServiceName           pulumi.StringInput // ECS service
	MinTasks              int                // page when fewer tasks run (>= 0)

	QueueName          pulumi.StringInput
	DlqName            pulumi.StringInput
	MaxQueueAgeSeconds int // oldest message age that pages; 0 means 300

	DbClusterID      pulumi.StringInput // this region's Aurora cluster identifier
	PeerRegion       string             // the other region: the lag's SourceRegion when this one is secondary
	RpoBudgetSeconds int                // replication lag that breaks the RPO (> 0)

	CacheReplicationGroupID pulumi.StringInput // this region's replication group (cluster mode disabled)
	CacheNodeCount          int                // nodes in that group; 0 means 2

	BucketName        pulumi.StringInput // this region's bucket (replication source)
	PeerBucketName    string             // the peer region's bucket (replication destination)
	ReplicationRuleID string             // id of the replication rule from BucketName to PeerBucketName
}

// Monitoring is this region's alarm topic, alarms and dashboard.
type Monitoring struct {
	pulumi.ResourceState
	TopicArn      pulumi.StringOutput `pulumi:"topicArn"`
	DashboardName pulumi.StringOutput `pulumi:"dashboardName"`
}

func (a *Args) validate() error {
	if a == nil {
		return errors.New("args are required")
	}
	var errs []error
	required := map[string]pulumi.StringInput{
		"KmsKeyArn": a.KmsKeyArn, "LoadBalancerArnSuffix": a.LoadBalancerArnSuffix,
		"TargetGroupArnSuffix": a.TargetGroupArnSuffix, "ClusterName": a.ClusterName,
		"ServiceName": a.ServiceName, "QueueName": a.QueueName, "DlqName": a.DlqName,
		"DbClusterID": a.DbClusterID, "CacheReplicationGroupID": a.CacheReplicationGroupID,
		"BucketName": a.BucketName,
	}
	for _, k := range sortedKeys(required) {
		if required[k] == nil {
			errs = append(errs, fmt.Errorf("%s is required", k))
		}
	}
	if a.Region == "" {
		errs = append(errs, errors.New("Region is required"))
	}
	if a.PeerRegion == "" || a.PeerRegion == a.Region {
		errs = append(errs, fmt.Errorf("PeerRegion %q must be the other region (the Aurora lag's SourceRegion)", a.PeerRegion))
	}
	if a.PeerBucketName == "" || a.ReplicationRuleID == "" {
		errs = append(errs, errors.New("PeerBucketName and ReplicationRuleID are required (S3 publishes replication metrics per rule)"))
	}
	if a.RpoBudgetSeconds <= 0 {
		errs = append(errs, fmt.Errorf("RpoBudgetSeconds must be positive, got %d", a.RpoBudgetSeconds))
	}
	if a.MinTasks < 0 {
		errs = append(errs, fmt.Errorf("MinTasks must not be negative, got %d", a.MinTasks))
	}
	if a.MaxQueueAgeSeconds < 0 {
		errs = append(errs, fmt.Errorf("MaxQueueAgeSeconds must not be negative, got %d", a.MaxQueueAgeSeconds))
	}
	if a.CacheNodeCount < 0 || a.CacheNodeCount > maxCacheNodeCount {
		errs = append(errs, fmt.Errorf("CacheNodeCount must be 0..%d, got %d", maxCacheNodeCount, a.CacheNodeCount))
	}
	if a.AlarmEmail != "" && !strings.Contains(a.AlarmEmail, "@") {
		errs = append(errs, fmt.Errorf("AlarmEmail %q is not an e-mail address", a.AlarmEmail))
	}
	return errors.Join(errs...)
}

// withDefaults returns a copy with zero values replaced by defaults.
func (a Args) withDefaults() Args {
	if a.MaxQueueAgeSeconds == 0 {
		a.MaxQueueAgeSeconds = defaultMaxQueueAgeSeconds
	}
	if a.CacheNodeCount == 0 {
		a.CacheNodeCount = defaultCacheNodeCount
	}
	return a
}

// New creates the topic, the alarms and the dashboard.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("monitoring %s: %w", name, err)
	}
	a := args.withDefaults()
	m := &Monitoring{}
	if err := ctx.RegisterComponentResource("agm-dr:monitoring:Monitoring", name, m, opts...); err != nil {
		return nil, fmt.Errorf("monitoring %s: %w", name, err)
	}

	topic, err := newTopic(ctx, name, &a, m)
	if err != nil {
		return nil, fmt.Errorf("monitoring %s: %w", name, err)
	}
	for _, spec := range alarmSpecs(name, &a) {
		if err := newAlarm(ctx, spec, topic.Arn, a.IsPrimary, m); err != nil {
			return nil, fmt.Errorf("monitoring %s: %w", name, err)
		}
	}
	dash, err := newDashboard(ctx, name, &a, m)
	if err != nil {
		return nil, fmt.Errorf("monitoring %s: %w", name, err)
	}

	m.TopicArn = topic.Arn
	m.DashboardName = dash.DashboardName
	return m, ctx.RegisterResourceOutputs(m, pulumi.Map{
		"topicArn":      m.TopicArn,
		"dashboardName": m.DashboardName,
	})
}

// newTopic creates the KMS-encrypted alarm topic that only CloudWatch of this account may publish to.
func newTopic(ctx *pulumi.Context, name string, a *Args, parent pulumi.Resource) (*sns.Topic, error) {
	topic, err := sns.NewTopic(ctx, name+"-alarms", &sns.TopicArgs{
		Name:           pulumi.String(name + "-alarms"),
		KmsMasterKeyId: a.KmsKeyArn,
	}, pulumi.Parent(parent))
	if err != nil {
		return nil, err
	}
	policy, err := topicPolicy(ctx, a.Region, topic.Arn, parent)
	if err != nil {
		return nil, err
	}
	if _, err := sns.NewTopicPolicy(ctx, name+"-alarms", &sns.TopicPolicyArgs{
		Arn: topic.Arn, Policy: policy,
	}, pulumi.Parent(parent)); err != nil {
		return nil, err
	}
	if a.AlarmEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-email", &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(a.AlarmEmail),
		}, pulumi.Parent(parent)); err != nil {
			return nil, err
		}
	}
	return topic, nil
}
