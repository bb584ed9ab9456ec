package cost

import (
	"github.com/agm-dr/agm-dr/capture"
)

// The price table: every resource type the program registers has an entry here, priced in USD,
// on-demand, for ap-northeast-1 (Tokyo) and ap-northeast-3 (Osaka). A type with no entry fails
// TestPriceTableCoversEveryRegisteredType. Each Price carries its source, the date it was read
// and the usage assumed per resource and month. Estimated marks a price that could not be
// confirmed from a stored copy of its source when the table was written (2026-11-28): AWS's
// regional price lists are rendered by script, so several prices are the commonly published
// figure and the Osaka price is assumed equal to Tokyo's unless stated. Check them against
// the AWS Pricing Calculator before relying on the totals.
const read = "2026-11-28"

// Sources.
const (
	srcAurora      = "https://aws.amazon.com/rds/aurora/pricing/ (Tokyo ACU 0.20 USD/ACU-hour as quoted in https://qiita.com/panda_ebarou/items/ba64bb7f0cad524d7734)"
	srcElastiCache = "https://aws.amazon.com/elasticache/pricing/ (Valkey node-based pricing is 20% below Redis OSS)"
	srcNat         = "https://aws.amazon.com/vpc/pricing/ (ap-northeast-1 0.062 USD/hour and /GB as quoted in https://awsi.click/en/articles/nat-gateway-cost-structure-avoidance/)"
	srcIPv4        = "https://aws.amazon.com/vpc/pricing/ (public IPv4 address, 0.005 USD/hour, all regions)"
	srcALB         = "https://aws.amazon.com/elasticloadbalancing/pricing/ (Tokyo 0.0243 USD/hour, 0.008 USD/LCU-hour as quoted in https://aws.darcy-it.com/elb%E3%81%AE%E3%82%B3%E3%82%B9%E3%83%88%E6%96%99%E9%87%91/)"
	srcFargate     = "https://aws.amazon.com/fargate/pricing/ (ap-northeast-1 Linux/x86 0.05056 USD/vCPU-hour, 0.005536 USD/GB-hour as quoted in https://www.clyr.co.jp/posts/aws-fargate-pricing-breakdown-estimate-tips-3920)"
	srcEndpoint    = "https://aws.amazon.com/privatelink/pricing/ (interface endpoint per AZ-hour and per GB)"
	srcKMS         = "https://aws.amazon.com/kms/pricing/"
	srcSecrets     = "https://aws.amazon.com/secrets-manager/pricing/ (a replica is billed as a secret)"
	srcRoute53     = "https://aws.amazon.com/route53/pricing/"
	srcCloudWatch  = "https://aws.amazon.com/cloudwatch/pricing/ (Tokyo logs ingestion 0.77 USD/GB as quoted in https://www.clyr.co.jp/posts/aws-fargate-pricing-breakdown-estimate-tips-3920)"
	srcS3          = "https://aws.amazon.com/s3/pricing/"
	srcSQS         = "https://aws.amazon.com/sqs/pricing/"
	srcECR         = "https://aws.amazon.com/ecr/pricing/"
	srcWAF         = "https://aws.amazon.com/waf/pricing/ (web ACL 5 USD/month, rule or AWS managed rule group 1 USD/month, 0.60 USD per million requests, all regions)"
	srcBackup      = "https://aws.amazon.com/backup/pricing/ (Aurora snapshot storage, warm, and cross-region copy transfer)"
)

// both is one price for both regions (Osaka assumed equal to Tokyo unless a price says otherwise).
// Table is the price table, by resource type.
var Table = map[string]Entry{
	// --- Aurora
	"aws:rds/clusterInstance:ClusterInstance": {
		ClassOf: func(r capture.Resource, _ Scope) string { return str(r, "instanceClass") },
		Prices: []Price{
			{What: "Aurora Serverless v2 capacity (ACU-hours)", Unit: "ACU-hour", Class: "db.serverless", USD: both(0.20),
				Usage: serverlessACUHours, Assume: "idle drill environment: runs at the cluster's minimum ACU around the clock",
				Source: srcAurora, Date: read, Estimated: true},
			{What: "Aurora PostgreSQL db.r6g.large instance-hours", Unit: "hour", Class: "db.r6g.large", USD: both(0.313),
				Usage: hours, Assume: "on around the clock", Source: srcAurora, Date: read, Estimated: true},
		},
	},
	"aws:rds/cluster:Cluster": {Prices: []Price{
		{What: "Aurora storage (GB-month)", Unit: "GB-month", USD: both(0.12), Usage: fixed(20),
			Assume: "20 GB of meeting, broadcast and vote data; each region's cluster stores a full copy", Source: srcAurora, Date: read, Estimated: true},
		{What: "Aurora I/O (Standard configuration)", Unit: "million requests", USD: both(0.24), Usage: fixed(20),
			Assume: "20 million I/O requests a month", Source: srcAurora, Date: read, Estimated: true},
	}},
	"aws:rds/globalCluster:GlobalCluster": {Prices: []Price{
		{What: "Aurora global database replicated write I/O", Unit: "million writes", USD: both(0.22), Usage: fixed(10),
			Assume: "10 million writes a month replicated to the secondary region", Source: srcAurora, Date: read, Estimated: true},
	}},
	"aws:rds/subnetGroup:SubnetGroup": {Free: "configuration only"},

	// --- ElastiCache (Valkey)
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		ClassOf: cacheNodeType,
		Prices: []Price{
			{What: "ElastiCache cache.r7g.large node-hours (Valkey)", Unit: "node-hour", Class: "cache.r7g.large", USD: both(0.2096),
				Usage: cacheNodeHours, Assume: "every node on around the clock (a global datastore member cannot pause)",
				Source: srcElastiCache, Date: read, Estimated: true},
			{What: "ElastiCache cache.m7g.large node-hours (Valkey)", Unit: "node-hour", Class: "cache.m7g.large", USD: both(0.1592),
				Usage: cacheNodeHours, Assume: "every node on around the clock (a global datastore member cannot pause)",
				Source: srcElastiCache, Date: read, Estimated: true},
		},
	},
	"aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": {Free: "the datastore itself has no charge: its nodes are priced on the replication groups; cross-region replication traffic is assumed small"},
	"aws:elasticache/subnetGroup:SubnetGroup":                       {Free: "configuration only"},

	// --- network
	"aws:ec2/natGateway:NatGateway": {Prices: []Price{
		{What: "NAT gateway hours", Unit: "hour", USD: both(0.062), Usage: hours, Assume: "provisioned around the clock",
			Source: srcNat, Date: read, Estimated: true},
		{What: "NAT gateway data processed", Unit: "GB", USD: both(0.062), Usage: fixed(20),
			Assume: "20 GB a month (AWS APIs go through the VPC endpoints, images through the S3 gateway endpoint)",
			Source: srcNat, Date: read, Estimated: true},
	}},
	"aws:ec2/eip:Eip": {Prices: []Price{
		{What: "public IPv4 address hours", Unit: "hour", USD: both(0.005), Usage: hours, Assume: "allocated around the clock",
			Source: srcIPv4, Date: read, Estimated: true},
	}},
	"aws:ec2/vpcEndpoint:VpcEndpoint": {
		ClassOf: func(r capture.Resource, _ Scope) string { return str(r, "vpcEndpointType") },
		Prices: []Price{
			{What: "interface endpoint AZ-hours", Unit: "AZ-hour", Class: "Interface", USD: both(0.014),
				Usage:  func(r capture.Resource, _ Scope) float64 { return count(r, "subnetIds") * HoursPerMonth },
				Assume: "one endpoint network interface per private subnet, around the clock", Source: srcEndpoint, Date: read, Estimated: true},
			{What: "interface endpoint data processed", Unit: "GB", Class: "Interface", USD: both(0.01), Usage: fixed(5),
				Assume: "5 GB a month per endpoint", Source: srcEndpoint, Date: read, Estimated: true},
			free("Gateway"),
		},
	},
	"aws:ec2/vpc:Vpc":       {Free: "VPCs have no charge"},
	"aws:ec2/subnet:Subnet": {Free: "subnets have no charge"},
	"aws:ec2/vpcPeeringConnection:VpcPeeringConnection": {Free: "a peering connection has no hourly charge (aws.amazon.com/vpc/pricing/, \"VPC peering\"); " +
		"its inter-region data transfer flows only while cached DNS answers still lead to the old region after a switchover: assumed negligible"},
	"aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": {Free: "accepting a peering connection has no charge"},
	"aws:ec2/routeTable:RouteTable":                                     {Free: "route tables have no charge"},
	"aws:ec2/routeTableAssociation:RouteTableAssociation":               {Free: "configuration only"},
	"aws:ec2/route:Route":                                               {Free: "routes have no charge"},
	"aws:ec2/internetGateway:InternetGateway":                           {Free: "internet gateways have no charge (data transfer out is assumed small)"},
	"aws:ec2/securityGroup:SecurityGroup":                               {Free: "security groups have no charge"},
	"aws:ec2/securityGroupRule:SecurityGroupRule":                       {Free: "security groups have no charge"},
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                 {Free: "security groups have no charge"},
	"aws:ec2/flowLog:FlowLog":                                           {Free: "billed as log ingestion on its CloudWatch log group"},

	// --- app
	"aws:ecs/service:Service": {Prices: []Price{
		{What: "Fargate vCPU-hours", Unit: "vCPU-hour", USD: both(0.05056), Usage: fargate("cpu", 1024),
			Assume: "the service runs its floor (desired count) around the clock; season windows and scale-out are not counted",
			Source: srcFargate, Date: read, Estimated: true},
		{What: "Fargate memory GB-hours", Unit: "GB-hour", USD: both(0.005536), Usage: fargate("memory", 1024),
			Assume: "as for vCPU", Source: srcFargate, Date: read, Estimated: true},
	}},
	"aws:ecs/cluster:Cluster":               {Free: "ECS clusters have no charge (Container Insights metrics are assumed small)"},
	"aws:ecs/taskDefinition:TaskDefinition": {Free: "priced on the service that runs it"},
	"aws:lb/loadBalancer:LoadBalancer": {Prices: []Price{
		{What: "ALB hours", Unit: "hour", USD: both(0.0243), Usage: hours, Assume: "provisioned around the clock (kept while asleep: DNS and health checks point at it)",
			Source: srcALB, Date: read, Estimated: true},
		{What: "ALB capacity units (LCU-hours)", Unit: "LCU-hour", USD: both(0.008), Usage: hours,
			Assume: "1 LCU on average", Source: srcALB, Date: read, Estimated: true},
		{What: "ALB public IPv4 address hours", Unit: "hour", USD: both(0.005),
			Usage:  func(r capture.Resource, _ Scope) float64 { return count(r, "subnets") * HoursPerMonth },
			Assume: "one public address per subnet (AZ)", Source: srcIPv4, Date: read, Estimated: true},
	}},
	"aws:lb/listener:Listener":                            {Free: "priced on the load balancer"},
	"aws:lb/targetGroup:TargetGroup":                      {Free: "priced on the load balancer"},
	"aws:appautoscaling/target:Target":                    {Free: "Application Auto Scaling has no charge"},
	"aws:appautoscaling/policy:Policy":                    {Free: "Application Auto Scaling has no charge (its alarms are managed by AWS)"},
	"aws:appautoscaling/scheduledAction:ScheduledAction":  {Free: "Application Auto Scaling has no charge"},
	"aws:iam/role:Role":                                   {Free: "IAM has no charge"},
	"aws:iam/rolePolicy:RolePolicy":                       {Free: "IAM has no charge"},
	"aws:acm/certificate:Certificate":                     {Free: "public ACM certificates have no charge"},
	"aws:acm/certificateValidation:CertificateValidation": {Free: "configuration only"},

	// --- keys, secrets
	"aws:kms/key:Key": {Prices: []Price{
		{What: "KMS customer managed key", Unit: "key-month", USD: both(1.00), Usage: fixed(1),
			Assume: "requests stay within the 20,000 free requests a month", Source: srcKMS, Date: read, Estimated: true},
	}},
	"aws:kms/alias:Alias": {Free: "aliases have no charge"},
	"aws:secretsmanager/secret:Secret": {Prices: []Price{
		{What: "Secrets Manager secret and its replicas", Unit: "secret-month", USD: both(0.40),
			Usage:  func(r capture.Resource, _ Scope) float64 { return 1 + count(r, "replicas") },
			Assume: "API calls (0.05 USD per 10,000) are small", Source: srcSecrets, Date: read, Estimated: true},
	}},
	"aws:secretsmanager/secretVersion:SecretVersion": {Free: "priced on the secret"},
	"random:index/randomPassword:RandomPassword":     {Free: "generated by Pulumi, not an AWS resource"},
	"pulumi:providers:aws":                           {Free: "a provider configuration (us-east-1 for DNSSEC and query logs), not an AWS resource"},

	// --- DNS
	"aws:route53/zone:Zone": {Prices: []Price{
		{What: "Route 53 hosted zone", Unit: "zone-month", USD: both(0.50), Usage: fixed(1),
			Assume: "queries to alias records of load balancers have no charge", Source: srcRoute53, Date: read, Estimated: true},
	}},
	"aws:route53/healthCheck:HealthCheck": {Prices: []Price{
		{What: "Route 53 health check (AWS endpoint)", Unit: "check-month", USD: both(0.50), Usage: fixed(1),
			Assume: "one check per region, always on", Source: srcRoute53, Date: read, Estimated: true},
		{What: "Route 53 health check optional features", Unit: "feature-month", USD: both(1.00),
			Usage: healthCheckFeatures, Assume: "each optional feature the check sets is billed (HTTPS, string matching, latency measurement, 10-second interval)", Source: srcRoute53, Date: read, Estimated: true},
	}},
	"aws:route53/record:Record": {Free: "alias queries to load balancers have no charge"},

	// --- monitoring
	"aws:synthetics/canary:Canary": {Prices: []Price{
		{What: "CloudWatch Synthetics canary runs", Unit: "run", USD: both(0.0012), Usage: canaryRuns,
			Assume: "one run a minute around the clock while started (a sleeping dev environment stops it); the Tokyo and Osaka price per run is assumed equal to the published 0.0012 USD; its Lambda, logs and artifacts are assumed small",
			Source: srcCloudWatch, Date: read, Estimated: true},
	}},
	"aws:s3/bucketObjectv2:BucketObjectv2": {Free: "a few kilobytes of canary code in an existing bucket"},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {Prices: []Price{
		{What: "CloudWatch standard alarm", Unit: "alarm-month", USD: both(0.10), Usage: fixed(1),
			Assume: "the free tier's 10 alarms are used elsewhere in the account", Source: srcCloudWatch, Date: read, Estimated: true},
	}},
	"aws:cloudwatch/dashboard:Dashboard": {Prices: []Price{
		{What: "CloudWatch dashboard", Unit: "dashboard-month", USD: both(3.00), Usage: fixed(1),
			Assume: "the free tier's 3 dashboards are used elsewhere in the account", Source: srcCloudWatch, Date: read, Estimated: true},
	}},
	"aws:cloudwatch/logGroup:LogGroup": {Prices: []Price{
		{What: "CloudWatch Logs ingestion", Unit: "GB", USD: both(0.77), Usage: fixed(5),
			Assume: "5 GB of logs a month per group (app or VPC flow logs); storage of the retained logs is not counted",
			Source: srcCloudWatch, Date: read, Estimated: true},
	}},
	"aws:sns/topic:Topic":                                {Free: "alarm notifications stay within SNS's free tier"},
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {Free: "configuration only"},

	// --- protection: WAF, backups, DNSSEC, query and access logs
	"aws:wafv2/webAcl:WebAcl": {Prices: []Price{
		{What: "WAF web ACL", Unit: "ACL-month", USD: both(5.00), Usage: fixed(1),
			Assume: "one web ACL per region", Source: srcWAF, Date: read, Estimated: true},
		{What: "WAF rules and managed rule groups", Unit: "rule-month", USD: both(1.00),
			Usage:  func(r capture.Resource, _ Scope) float64 { return count(r, "rules") },
			Assume: "each rule (the rate rule and each AWS managed group) billed monthly; the baseline groups carry no subscription fee",
			Source: srcWAF, Date: read, Estimated: true},
		{What: "WAF requests inspected", Unit: "million requests", USD: both(0.60), Usage: fixed(10),
			Assume: "10 million requests a month reach the serving region's ALB", Source: srcWAF, Date: read, Estimated: true},
	}},
	"aws:wafv2/webAclAssociation:WebAclAssociation":                   {Free: "configuration only"},
	"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {Free: "billed as log ingestion on its CloudWatch log group"},
	"aws:backup/vault:Vault":                                          {Free: "vaults have no charge: storage is priced on the plan's recovery points"},
	"aws:backup/vaultLockConfiguration:VaultLockConfiguration":        {Free: "configuration only"},
	"aws:backup/selection:Selection":                                  {Free: "configuration only"},
	"aws:backup/plan:Plan": {Prices: []Price{
		{What: "AWS Backup Aurora snapshot storage", Unit: "GB-month", USD: both(0.021), Usage: fixed(40),
			Assume: "incremental daily snapshots of the 20 GB cluster amount to about twice its size over the retention",
			Source: srcBackup, Date: read, Estimated: true},
		{What: "AWS Backup storage of the peer region's copies", Unit: "GB-month", USD: both(0.021), Usage: fixed(40),
			Assume: "this region's vault also holds the peer plan's daily copies, kept as long as its own points: as much again",
			Source: srcBackup, Date: read, Estimated: true},
		{What: "AWS Backup cross-region copy transfer", Unit: "GB", USD: both(0.09), Usage: fixed(20),
			Assume: "about 20 GB a month of changed data copied to the peer region's vault", Source: srcBackup, Date: read, Estimated: true},
	}},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": {Free: "parameter groups have no charge (the slow-query logs are billed on log ingestion)"},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":   {Free: "IAM has no charge"},
	"aws:route53/hostedZoneDnsSec:HostedZoneDnsSec":       {Free: "DNSSEC signing has no Route 53 charge (its KMS key is priced as a key)"},
	"aws:route53/keySigningKey:KeySigningKey":             {Free: "no Route 53 charge (its KMS key is priced as a key)"},
	"aws:route53/queryLog:QueryLog":                       {Free: "billed as log ingestion on its CloudWatch log group"},
	"aws:s3/bucketLoggingV2:BucketLoggingV2":              {Free: "server access logging has no charge beyond the log objects' storage"},
	"aws:sns/topicPolicy:TopicPolicy":                     {Free: "configuration only"},

	// --- storage, queue, registry
	"aws:s3/bucketV2:BucketV2": {Prices: []Price{
		{What: "S3 Standard storage", Unit: "GB-month", USD: both(0.025), Usage: fixed(10),
			Assume: "10 GB per bucket (broadcast static sites or ALB access logs)", Source: srcS3, Date: read, Estimated: true},
	}},
	"aws:s3/bucketReplicationConfig:BucketReplicationConfig": {Prices: []Price{
		{What: "S3 Replication Time Control", Unit: "GB", USD: both(0.015), Usage: fixed(5),
			Assume: "5 GB replicated to the peer region a month", Source: srcS3, Date: read, Estimated: true},
		{What: "S3 inter-region transfer", Unit: "GB", USD: both(0.09), Usage: fixed(5),
			Assume: "as above", Source: srcS3, Date: read, Estimated: true},
	}},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       {Free: "configuration only"},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     {Free: "configuration only"},
	"aws:s3/bucketPolicy:BucketPolicy":                                                           {Free: "configuration only"},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     {Free: "configuration only"},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {Free: "configuration only (SSE-KMS requests are priced on the key)"},
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               {Free: "configuration only (old versions are counted in the bucket's storage)"},
	"aws:sqs/queue:Queue": {Prices: []Price{
		{What: "SQS requests", Unit: "million requests", USD: both(0.40), Usage: fixed(1),
			Assume: "1 million requests a month per queue; the free tier is not counted", Source: srcSQS, Date: read, Estimated: true},
	}},
	"aws:sqs/queuePolicy:QueuePolicy":               {Free: "configuration only"},
	"aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": {Free: "configuration only"},
	"aws:ecr/repository:Repository": {Prices: []Price{
		{What: "ECR storage", Unit: "GB-month", USD: both(0.10), Usage: fixed(2),
			Assume: "2 GB of images (the lifecycle policy expires old ones)", Source: srcECR, Date: read, Estimated: true},
	}},
	"aws:ecr/lifecyclePolicy:LifecyclePolicy": {Free: "configuration only"},
	"aws:ecr/replicationConfiguration:ReplicationConfiguration": {Prices: []Price{
		{What: "ECR replication transfer to the peer region", Unit: "GB", USD: both(0.09), Usage: fixed(1),
			Assume: "1 GB of new images a month", Source: srcECR, Date: read, Estimated: true},
	}},

	// --- the project's own
	"agmdr:index:AuroraWriter":     {Free: "the switchover provider's resource: calls AWS APIs only during a switchover"},
	"agmdr:index:CachePrimary":     {Free: "the switchover provider's resource: calls AWS APIs only during a switchover"},
	"agmdr:index:Capacity":         {Free: "the switchover provider's readiness gate: calls AWS APIs only (the tasks are priced on the ECS service)"},
	"agmdr:index:Traffic":          {Free: "the switchover provider's Route 53 change: API calls have no charge (the record is priced on the zone)"},
	"pulumi:pulumi:StackReference": {Free: "reads the peer stack's outputs from the state backend"},
}
