package config

import (
	"net/url"
	"regexp"
	"strings"
)

// KeyAdopted names the resources of a service that ran in the home region before agm-dr.
// `drctl adopt --import` writes it into the home stack's file; the home stack then takes those
// resources over with Pulumi's import, under their existing names and in their existing
// subnet groups and keys (which AWS cannot change in place), instead of creating its own.
const KeyAdopted = Namespace + ":adopted"

// Adopted is KeyAdopted. Every field but the security groups is required: a resource the
// program would otherwise create anew beside the running one.
type Adopted struct {
	VpcID             string `json:"vpcId"`
	InternetGatewayID string `json:"internetGatewayId"` // the VPC's, when it has one (at most one per VPC)

	Cluster          string   `json:"clusterIdentifier"`
	EngineVersion    string   `json:"engineVersion"` // the cluster's: the import must not upgrade it
	ClusterInstances []string `json:"clusterInstances"`
	DBSubnetGroup    string   `json:"dbSubnetGroupName"`
	// MasterPasswordSecret is the Secrets Manager secret (name or ARN) that holds the cluster's
	// live master password, plain or as RDS's JSON with "password". The import keeps the
	// password, so the app's DB_PASSWORD secret is filled from it, or the app's tasks could not
	// log in once they roll to the program's task definition.
	MasterPasswordSecret  string   `json:"masterPasswordSecret"`
	ClusterKmsKeyArn      string   `json:"clusterKmsKeyArn"`
	ClusterSecurityGroups []string `json:"clusterSecurityGroupIds"`

	ReplicationGroup    string   `json:"replicationGroupId"`
	CacheEngine         string   `json:"cacheEngine"` // valkey or redis, the group's: the import must not change it
	CacheSubnetGroup    string   `json:"cacheSubnetGroupName"`
	CacheSecurityGroups []string `json:"cacheSecurityGroupIds"`
	CacheGlobalID       string   `json:"cacheGlobalId"` // the datastore drctl adopt created (AWS prefixes the id)

	ECSCluster string `json:"ecsCluster"`
	ECSService string `json:"ecsService"`
	// The service's own security groups and target groups, kept beside the program's: the load
	// balancer that serves shareholders today keeps reaching the tasks the import rolls out.
	ECSSecurityGroups []string `json:"ecsSecurityGroupIds"`
	ECSTargetGroups   []string `json:"ecsTargetGroupArns"`
	// ECSTaskRole is the role the running tasks use ("" when they have none). The program
	// grants it the use of the home key before the queues move to that key, so tasks still on
	// the old task definition keep sending votes while the import's rollout replaces them.
	ECSTaskRole string `json:"ecsTaskRoleName"`

	QueueURL           string `json:"queueUrl"`
	DeadLetterQueueURL string `json:"deadLetterQueueUrl"`
	Bucket             string `json:"bucket"`
}

var (
	vpcIDRE  = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	igwIDRE  = regexp.MustCompile(`^igw-[0-9a-f]{8,17}$`)
	sgIDRE   = regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`)
	kmsArnRE = regexp.MustCompile(`^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-fA-F-]+$`)
)

// QueueName is the name in an SQS queue URL (its last path segment).
func QueueName(queueURL string) string {
	u, err := url.Parse(queueURL)
	if err != nil || u.Scheme == "" {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 {
		return ""
	}
	return parts[1]
}

// adopted parses KeyAdopted. Only the home region's stack adopts: the peer region has nothing
// running yet, and the global resources are created from the home region's.
func (p *parser) adopted(key, region, home string) *Adopted {
	var a Adopted
	if !p.object(key, &a) {
		return nil
	}
	if region != home {
		p.failf(key, "only the home region's stack (%s) adopts existing resources; remove the key from stack %s", StackFor(home), StackFor(region))
		return nil
	}
	required := []struct{ field, v string }{
		{"vpcId", a.VpcID}, {"clusterIdentifier", a.Cluster}, {"engineVersion", a.EngineVersion}, {"dbSubnetGroupName", a.DBSubnetGroup},
		{"clusterKmsKeyArn", a.ClusterKmsKeyArn}, {"masterPasswordSecret", a.MasterPasswordSecret}, {"replicationGroupId", a.ReplicationGroup},
		{"cacheEngine", a.CacheEngine}, {"cacheSubnetGroupName", a.CacheSubnetGroup}, {"cacheGlobalId", a.CacheGlobalID},
		{"ecsCluster", a.ECSCluster}, {"ecsService", a.ECSService}, {"queueUrl", a.QueueURL},
		{"deadLetterQueueUrl", a.DeadLetterQueueURL}, {"bucket", a.Bucket},
	}
	for _, r := range required {
		if strings.TrimSpace(r.v) == "" {
			p.failf(key, "%s is required (drctl adopt --import writes every field from what it read)", r.field)
		}
	}
	if a.VpcID != "" && !vpcIDRE.MatchString(a.VpcID) {
		p.failf(key, "vpcId %q is not a VPC id (vpc-...)", a.VpcID)
	}
	if a.InternetGatewayID != "" && !igwIDRE.MatchString(a.InternetGatewayID) {
		p.failf(key, "internetGatewayId %q is not an internet gateway id (igw-...)", a.InternetGatewayID)
	}
	if a.ClusterKmsKeyArn != "" && !kmsArnRE.MatchString(a.ClusterKmsKeyArn) {
		p.failf(key, "clusterKmsKeyArn %q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): the cluster's key cannot change in place", a.ClusterKmsKeyArn)
	}
	if a.CacheEngine != "" && a.CacheEngine != "valkey" && a.CacheEngine != "redis" {
		p.failf(key, "cacheEngine %q is not allowed; allowed: valkey, redis", a.CacheEngine)
	}
	if len(a.ClusterInstances) == 0 {
		p.failf(key, "clusterInstances: give the existing instance identifiers (at least the writer)")
	}
	for _, tg := range a.ECSTargetGroups {
		if !strings.HasPrefix(tg, "arn:aws:elasticloadbalancing:") || !strings.Contains(tg, ":targetgroup/") {
			p.failf(key, "ecsTargetGroupArns: %q is not a target group ARN", tg)
		}
	}
	if len(a.ECSTargetGroups) > 4 {
		p.failf(key, "ecsTargetGroupArns: %d target groups and the program's is more than the 5 an ECS service takes", len(a.ECSTargetGroups))
	}
	for _, sg := range append(append(append([]string{}, a.ClusterSecurityGroups...), a.CacheSecurityGroups...), a.ECSSecurityGroups...) {
		if !sgIDRE.MatchString(sg) {
			p.failf(key, "%q is not a security group id (sg-...)", sg)
		}
	}
	for _, q := range []struct{ field, v string }{{"queueUrl", a.QueueURL}, {"deadLetterQueueUrl", a.DeadLetterQueueURL}} {
		if q.v != "" && QueueName(q.v) == "" {
			p.failf(key, "%s %q is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)", q.field, q.v)
		}
	}
	return &a
}
