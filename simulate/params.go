package simulate

import "time"

// Params are the durations and rates of the world model. Every AWS duration
// is a parameter whose default cites the AWS documentation it comes from;
// the tests sweep them over their documented ranges.
type Params struct {
	// Aurora global database.
	//
	// SwitchoverGlobalCluster: "Your database is unavailable for a short time
	// while the primary and selected secondary clusters are assuming their
	// new roles"; all secondaries are synchronized first, so no data is lost.
	// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html
	// AuroraSwitchover is the whole switching-over state; the write pause is
	// its last AuroraWritePause (the role change itself). AWS gives no figure
	// for either: the defaults are assumptions, and the tests sweep the pause
	// from 10 s to 60 s and the switchover up to 5 minutes.
	AuroraSwitchover time.Duration
	AuroraWritePause time.Duration
	// FailoverGlobalCluster with AllowDataLoss promotes the secondary; writes
	// not yet replicated when the primary failed are lost (the RPO is the
	// replication lag at that moment); AWS: a secondary region is promoted
	// "in less than a minute" (swept 30 s to 5 min).
	// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html
	// https://disaster-recovery.workshop.aws/en/services/databases/aurora/global-database.html
	AuroraFailover time.Duration
	// ReplicationLag is AuroraGlobalDBReplicationLag (the RPO lag,
	// aurora_global_db_status.rpo_lag_in_msec); AWS: replication "with typical
	// latency of less than a second" (swept 0.5 s to 8 s).
	// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora_global_db_status.html
	// https://disaster-recovery.workshop.aws/en/services/databases/aurora/global-database.html
	ReplicationLag time.Duration
	// FailoverStateSticks: with the old primary region down, FailoverState
	// (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverState.html)
	// may stay set after the target already is the writer, until the old
	// region is back and rejoins as a secondary. On by default: it is what
	// the finding 4 is about (an assumption; the tests run both ways).
	FailoverStateSticks bool

	// ElastiCache global datastore: "A primary cluster accepts writes ...
	// A secondary cluster only accepts read requests".
	// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html
	// FailoverGlobalReplicationGroup: the datastore is `modifying` while the
	// secondary is promoted and every member refuses writes; AWS's disaster
	// recovery workshop gives an RTO of about 1 minute for promoting the
	// secondary when the primary degrades (swept 30 s to 5 min).
	// https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_FailoverGlobalReplicationGroup.html
	// https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html
	CacheFailover time.Duration
	// CacheModifyingSticks: with the old primary region down the datastore may
	// stay `modifying` (the demoted member cannot be reached) while the
	// promoted group already accepts writes. An assumption (AWS documents
	// promotion, not the status afterwards); the tests run both ways.
	CacheModifyingSticks bool

	// ECS: a new Fargate task is provisioned, pulls its image and starts
	// (PROVISIONING → PENDING → RUNNING, about a minute): TaskStart.
	// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html
	// The ALB then needs HealthyThreshold (2) passing checks 15 s apart
	// (components/app/alb.go) before the task gets requests: TaskHealthy.
	// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
	TaskStart   time.Duration
	TaskHealthy time.Duration
	// TaskCapacity is requests per second one task serves before it sheds
	// load (an application fact, not AWS's: 1 vCPU tasks, see stacks/sizing.go).
	TaskCapacity float64
	// TaskTarget is the ALBRequestCountPerTarget the service tracks
	// (components/app: 1000 per minute), in requests per second.
	TaskTarget float64
	// ScaleOutDelay: target tracking scales out after its alarm sees 3
	// one-minute datapoints; ScaleInDelay after 15.
	// https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
	ScaleOutDelay time.Duration
	ScaleInDelay  time.Duration
	// Drain is the ALB deregistration delay of a task being stopped
	// (components/app/alb.go: 30 s).
	Drain time.Duration

	// Route 53. Health checkers probe every HealthInterval (10 or 30 s) and
	// change status after FailureThreshold consecutive results.
	// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
	HealthInterval   time.Duration
	FailureThreshold int
	// RecordTTL: an alias record to an ELB load balancer has the ELB's fixed
	// TTL of 60 s (Route 53 FAQ, DNS failover).
	// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
	RecordTTL time.Duration
	// RecordSync: ChangeResourceRecordSets is PENDING until every Route 53
	// name server has the change, then INSYNC; Pulumi waits for INSYNC.
	// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html
	RecordSync time.Duration

	// Pulumi: how long `pulumi up` spends before and after the resource
	// operations (plugin start, refresh-free diff, checkpoint).
	UpOverhead time.Duration
	// ResourceUpdate is how long a plain AWS resource update takes (an
	// App Auto Scaling target, an ECS service, a scheduled action).
	ResourceUpdate time.Duration

	// measured names the fields a drill measured (Calibration.Apply), field → report.
	measured map[string]string
}

// Defaults are the documented typical values.
func Defaults() Params {
	return Params{
		AuroraSwitchover:     90 * time.Second,
		AuroraWritePause:     30 * time.Second,
		AuroraFailover:       60 * time.Second,
		ReplicationLag:       800 * time.Millisecond,
		FailoverStateSticks:  true,
		CacheFailover:        60 * time.Second,
		CacheModifyingSticks: true,
		TaskStart:            60 * time.Second,
		TaskHealthy:          30 * time.Second,
		TaskCapacity:         40,
		TaskTarget:           1000.0 / 60,
		ScaleOutDelay:        3 * time.Minute,
		ScaleInDelay:         15 * time.Minute,
		Drain:                30 * time.Second,
		HealthInterval:       10 * time.Second,
		FailureThreshold:     3,
		RecordTTL:            60 * time.Second,
		RecordSync:           30 * time.Second,
		UpOverhead:           15 * time.Second,
		ResourceUpdate:       3 * time.Second,
	}
}
