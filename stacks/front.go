package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/app"
	"github.com/agm-dr/agm-dr/components/dns"
	"github.com/agm-dr/agm-dr/components/failover"
	"github.com/agm-dr/agm-dr/components/monitoring"
	"github.com/agm-dr/agm-dr/components/registry"
	"github.com/agm-dr/agm-dr/components/storage"
	"github.com/agm-dr/agm-dr/config"
)

const (
	containerPort   = 8080
	healthCheckPath = config.LivenessPath // the load balancer's target health: a task is up
)

type frontDoor struct {
	zone   *dns.Zone
	cert   *dns.Certificate
	app    *app.App
	record *dns.Record
}

type failoverState struct {
	capacity *failover.Capacity
	writer   *failover.AuroraWriter
	primary  *failover.CachePrimary
}

type alarmState struct{ mon *monitoring.Monitoring }

func (r *region) addDnsZoneAndCert() (err error) {
	d := r.cfg.Domain
	zoneID := d.ZoneID
	if zoneID == "" && !r.cfg.IsHome() {
		// The zone the home stack created, from the state backend: no Route 53 lookup, so this
		// program builds while Route 53's control plane (us-east-1) is down.
		zoneID = r.peer.zoneID
	}
	r.front.zone, err = dns.NewZone(r.ctx, "zone", &dns.ZoneArgs{
		DomainName: d.Name,
		ZoneID:     zoneID,
		Create:     d.ZoneID == "" && r.cfg.IsHome(),
	})
	if err != nil {
		return err
	}
	r.front.cert, err = dns.NewCertificate(r.ctx, "certificate", &dns.CertificateArgs{
		DomainName: d.Name,
		ZoneID:     r.front.zone.ZoneID,
	})
	return err
}

func (r *region) addApp() (err error) {
	image := registry.ImageRef(r.n.account, r.cfg.Region, r.n.repository(), r.cfg.AppImage)
	var schedules []app.Schedule
	for _, w := range r.cfg.Season.Windows {
		// Parse cannot fail here: config.Parse validated every window.
		start, _ := config.ParseMoment(w.Start)
		end, _ := config.ParseMoment(w.End)
		schedules = append(schedules, app.Schedule{Name: w.Name, StartCron: start.Cron(), EndCron: end.Cron(), MinTasks: w.MinTasks})
	}
	writer := r.db.GlobalWriterEndpoint
	if !r.cfg.IsHome() {
		writer = pulumi.String(r.peer.auroraGlobalURL).ToStringOutput()
	}
	env := map[string]pulumi.StringInput{
		// Apps write through the global writer endpoint, which follows the writer across
		// a switchover, so the flip needs no task redeploy.
		"DB_WRITER_ENDPOINT": writer,
		"DB_READER_ENDPOINT": r.db.ReaderEndpoint,
		"CACHE_ENDPOINT":     r.cache.PrimaryEndpoint,
		"QUEUE_URL":          r.queue.QueueURL,
		"SITE_BUCKET":        r.bucket.BucketName,
		"AWS_REGION":         pulumi.String(r.cfg.Region),
	}
	if r.peer.cacheEndpoint != "" {
		// Only the Global Datastore primary takes writes. The app's contract
		// (docs/switchover.md): a session write that CACHE_ENDPOINT refuses with READONLY goes
		// here, across the peering. Static, so the flip needs no task redeploy either.
		env["CACHE_PEER_ENDPOINT"] = pulumi.String(r.peer.cacheEndpoint)
	}
	r.front.app, err = app.New(r.ctx, appName, &app.Args{
		VpcID:               r.net.VpcID,
		PublicSubnetIDs:     r.net.PublicSubnetIDs,
		PrivateSubnetIDs:    r.net.PrivateSubnetIDs,
		TaskSecurityGroupID: r.net.TaskSecurityGroupID,
		CertificateArn:      r.front.cert.CertificateArn,
		Image:               pulumi.String(image),
		ContainerPort:       containerPort,
		HealthCheckPath:     healthCheckPath,
		Cpu:                 r.size.taskCPU,
		Memory:              r.size.taskMemory,
		MinTasks:            r.cfg.MinTasks(),
		MaxTasks:            r.cfg.Capacity.MaxTasks,
		Schedules:           schedules,
		Asleep:              r.cfg.Sleeping,
		Timezone:            r.cfg.Season.Timezone,
		Environment:         env,
		Secrets: map[string]pulumi.StringInput{
			"DB_PASSWORD": r.dbSecret.SecretArn,
			"CACHE_AUTH":  r.cacheKey.SecretArn,
		},
		SecretArns:          pulumi.StringArray{r.dbSecret.SecretArn, r.cacheKey.SecretArn},
		QueueArns:           pulumi.StringArray{r.queue.QueueArn},
		BucketArn:           r.bucket.BucketArn,
		KmsKeyArn:           r.key.KeyArn,
		LogRetentionDays:    r.size.logRetentionDays,
		AccessLogBucketName: r.n.logBucket(r.cfg.Region),
		Region:              r.cfg.Region,
		Adopted:             r.adoptedApp(),
	})
	return err
}

// switchover declares this region's role, in the order a switchover must happen on the new
// primary, each step a Pulumi dependency of the next so a refused or failed step stops the rest:
//
//  1. capacity: the task floor becomes max(role floor, active season window) and, on the new
//     primary in planned mode, also the old primary's desired count (read-only there); the
//     gate waits until that many targets are healthy in the load balancer; it starts tasks
//     only once the network they need to start (NAT gateways, interface endpoints) exists,
//     which a wake creates again;
//  2. Aurora writer, whose preflight also checks the cache datastore, so neither data store
//     moves unless both can;
//  3. cache primary, after the writer: if it then fails, the old primary keeps its traffic and
//     its writable cache and still writes to Aurora through the global writer endpoint, which
//     follows the writer; the reverse order would leave it serving with a read-only cache;
//  4. traffic (addTraffic), last.
//
// Flipping primaryRegion changes only role inputs here; the new primary's stack makes them true.
func (r *region) addSwitchover() (err error) {
	s := r.cfg.Switchover
	var windows pulumi.MapArray
	for _, w := range r.awakeWindows() {
		windows = append(windows, pulumi.Map{"name": pulumi.String(w.Name), "start": pulumi.String(w.Start),
			"end": pulumi.String(w.End), "minTasks": pulumi.Int(w.MinTasks)})
	}
	r.failover.capacity, err = failover.NewCapacity(r.ctx, "capacity", &failover.CapacityArgs{
		Region:         pulumi.String(r.cfg.Region),
		Cluster:        r.front.app.ClusterName,
		Service:        r.front.app.ServiceName,
		RoleFloor:      pulumi.Int(r.runningFloor()),
		MaxTasks:       pulumi.Int(r.taskCeiling()),
		Primary:        pulumi.Bool(r.cfg.IsPrimary()),
		TargetGroupArn: r.front.app.TargetGroupArn,
		// The new primary reads the old primary's service in the peer region: by this stack's
		// names, unless the peer's differ (an adopted home keeps its own).
		PeerRegion:     pulumi.String(r.loadPeer()),
		PeerCluster:    r.peerName(r.peer.ecsCluster, r.ownECS().Cluster),
		PeerService:    r.peerName(r.peer.ecsService, r.ownECS().Service),
		Timezone:       pulumi.String(r.cfg.Season.Timezone),
		Windows:        windows,
		Mode:           pulumi.String(string(s.Mode)),
		TimeoutSeconds: pulumi.Int(s.TimeoutSeconds),
		PollSeconds:    pulumi.Int(s.PollSeconds),
	}, pulumi.DependsOn(append([]pulumi.Resource{r.front.app}, r.net.Egress...)))
	if err != nil {
		return err
	}
	r.failover.writer, err = failover.NewAuroraWriter(r.ctx, "aurora-writer", &failover.AuroraWriterArgs{
		GlobalClusterId:               pulumi.String(r.n.globalCluster()),
		Region:                        pulumi.String(r.cfg.Region),
		ClusterArn:                    r.db.ClusterArn,
		Writer:                        pulumi.Bool(r.cfg.IsPrimary()),
		Mode:                          pulumi.String(string(s.Mode)),
		RpoBudgetSeconds:              pulumi.Int(s.RpoBudgetSeconds),
		TimeoutSeconds:                pulumi.Int(s.TimeoutSeconds),
		PollSeconds:                   pulumi.Int(s.PollSeconds),
		CacheGlobalReplicationGroupId: r.cache.GlobalID,
		CacheReplicationGroupId:       r.cache.ReplicationGroupID,
	}, pulumi.DependsOn([]pulumi.Resource{r.failover.capacity}))
	if err != nil {
		return err
	}
	r.failover.primary, err = failover.NewCachePrimary(r.ctx, "cache-primary", &failover.CachePrimaryArgs{
		GlobalReplicationGroupId: r.cache.GlobalID,
		Region:                   pulumi.String(r.cfg.Region),
		ReplicationGroupId:       r.cache.ReplicationGroupID,
		Primary:                  pulumi.Bool(r.cfg.IsPrimary()),
		Mode:                     pulumi.String(string(s.Mode)),
		TimeoutSeconds:           pulumi.Int(s.TimeoutSeconds),
		PollSeconds:              pulumi.Int(s.PollSeconds),
	}, pulumi.DependsOn([]pulumi.Resource{r.failover.capacity, r.failover.writer}))
	return err
}

// traffic declares that all traffic goes to primaryRegion, the same in both stacks; only the
// primary's stack changes Route 53 (one atomic change of both regions' records). It waits for
// capacity, writer and cache, so traffic moves last and only onto a region that can write.
func (r *region) addTraffic() (err error) {
	s := r.cfg.Switchover
	r.front.record, err = dns.New(r.ctx, "traffic", &dns.Args{
		ZoneID:              r.front.zone.ZoneID,
		RecordName:          r.cfg.Domain.Name,
		Region:              r.cfg.Region,
		PrimaryRegion:       r.cfg.PrimaryRegion,
		LoadBalancerDNSName: r.front.app.LoadBalancerDNSName,
		LoadBalancerZoneID:  r.front.app.LoadBalancerZoneID,
		HealthCheckPath:     r.cfg.Domain.ReadinessPath,
		Mode:                string(s.Mode),
		TimeoutSeconds:      s.TimeoutSeconds,
		PollSeconds:         s.PollSeconds,
		ClientTTLSeconds:    s.ClientTTLSeconds,
		After:               []pulumi.Resource{r.failover.capacity, r.failover.writer, r.failover.primary},
	})
	return err
}

func (r *region) addMonitoring() (err error) {
	r.alarms.mon, err = monitoring.New(r.ctx, "monitoring", &monitoring.Args{
		Region:                  r.cfg.Region,
		IsPrimary:               r.cfg.IsPrimary(),
		KmsKeyArn:               r.key.KeyArn,
		AlarmEmail:              r.cfg.AlarmEmail,
		LoadBalancerArnSuffix:   r.front.app.LoadBalancerArnSuffix,
		TargetGroupArnSuffix:    r.front.app.TargetGroupArnSuffix,
		ClusterName:             r.front.app.ClusterName,
		ServiceName:             r.front.app.ServiceName,
		MinTasks:                r.runningFloor(),
		QueueName:               r.queue.QueueName,
		DlqName:                 r.queue.DlqName,
		DbClusterID:             r.db.ClusterID,
		PeerRegion:              r.cfg.PeerRegion,
		RpoBudgetSeconds:        r.cfg.Switchover.RpoBudgetSeconds,
		CacheReplicationGroupID: r.cache.ReplicationGroupID,
		BucketName:              r.bucket.BucketName,
		PeerBucketName:          r.peerBucketName(),
		ReplicationRuleID:       storage.RuleID(r.cfg.PeerRegion),
		CacheNodeCount:          r.size.cacheNodes,
	})
	return err
}

func (r *region) export() {
	ctx, c := r.ctx, r.cfg
	ctx.Export(OutRegion, pulumi.String(c.Region))
	ctx.Export(OutRole, pulumi.String(string(c.Role())))
	ctx.Export(OutPrimaryRegion, pulumi.String(c.PrimaryRegion))
	ctx.Export(OutAppImage, pulumi.String(c.AppImage))
	ctx.Export(OutURL, pulumi.String("https://"+c.Domain.Name))
	ctx.Export(OutLoadBalancerDNSName, r.front.app.LoadBalancerDNSName)
	if c.IsHome() {
		ctx.Export(OutAuroraGlobalWriter, r.db.GlobalWriterEndpoint)
	} else {
		ctx.Export(OutAuroraGlobalWriter, pulumi.String(r.peer.auroraGlobalURL))
	}
	ctx.Export(OutAuroraGlobalCluster, r.db.GlobalClusterID)
	ctx.Export(OutAuroraCluster, r.db.ClusterID)
	ctx.Export(OutAuroraClusterArn, r.db.ClusterArn)
	if a := c.Adopted; a != nil {
		ctx.Export(OutAuroraEngineVersion, pulumi.String(a.EngineVersion))
	}
	ctx.Export(OutCacheGlobalID, r.cache.GlobalID)
	ctx.Export(OutCacheReplicationGrp, r.cache.ReplicationGroupID)
	ctx.Export(OutQueueURL, r.queue.QueueURL)
	ctx.Export(OutDeadLetterQueueURL, r.queue.DlqURL)
	ctx.Export(OutBucketName, r.bucket.BucketName)
	ctx.Export(OutClusterName, r.front.app.ClusterName)
	ctx.Export(OutServiceName, r.front.app.ServiceName)
	ctx.Export(OutZoneNameServers, r.front.zone.NameServers)
	ctx.Export(OutZoneID, r.front.zone.ZoneID)
	ctx.Export(OutDashboardName, r.alarms.mon.DashboardName)
	ctx.Export(OutAlarmTopicArn, r.alarms.mon.TopicArn)
	ctx.Export(OutSwitchoverWriter, r.failover.writer.ActualWriter)
	ctx.Export(OutSwitchoverCache, r.failover.primary.ActualPrimary)
	ctx.Export(OutLastSwitchoverSecond, r.failover.writer.LastSwitchoverSeconds)
	ctx.Export(OutTrafficRecords, r.front.record.Records)
	ctx.Export(OutVpcID, r.net.VpcID)
	ctx.Export(OutCacheEndpoint, r.cache.PrimaryEndpoint)
	if !c.IsHome() {
		ctx.Export(OutPeeringID, r.net.PeeringID)
	}
}
