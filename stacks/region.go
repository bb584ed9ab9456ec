package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/cache"
	"github.com/agm-dr/agm-dr/components/database"
	"github.com/agm-dr/agm-dr/components/keys"
	"github.com/agm-dr/agm-dr/components/network"
	"github.com/agm-dr/agm-dr/components/queue"
	"github.com/agm-dr/agm-dr/components/registry"
	"github.com/agm-dr/agm-dr/components/secrets"
	"github.com/agm-dr/agm-dr/components/storage"
	"github.com/agm-dr/agm-dr/config"
)

// region holds one stack's components as they are built, in dependency order.
type region struct {
	ctx  *pulumi.Context
	cfg  config.Config
	n    names
	size sizing
	peer peerFacts

	key      *keys.Key
	net      *network.Network
	repo     *registry.Registry
	dbSecret *secrets.Secret
	cacheKey *secrets.Secret
	db       *database.Database
	cache    *cache.Cache
	queue    *queue.Queue
	bucket   *storage.Bucket
	front    frontDoor
	failover failoverState
	alarms   alarmState

	adoptedKeyGrant []pulumi.Resource // the adopted tasks' use of the key, before the queues move to it
}

func (r *region) addKeys() (err error) {
	r.key, err = keys.New(r.ctx, "key", &keys.Args{
		Alias:       r.n.keyAlias(),
		Description: "agm-dr data in " + r.cfg.Region,
		AccountID:   r.n.account,
		Region:      r.cfg.Region,
	})
	return err
}

func (r *region) addNetwork() (err error) {
	r.net, err = network.New(r.ctx, "network", &network.Args{
		Cidr:             r.cfg.VpcCidrs[r.cfg.Region],
		ZoneIDs:          zoneIDs[r.cfg.Region],
		Region:           r.cfg.Region,
		SingleNat:        r.size.singleNat,
		Idle:             r.cfg.Sleeping,
		KmsKeyArn:        r.key.KeyArn,
		LogRetentionDays: r.size.logRetentionDays,
		Peer:             r.peering(),
		Adopted:          r.adoptedNetwork(),
	})
	return err
}

// peering is this stack's side of the VPC peering: the non-home stack requests it once the home
// VPC exists (always, since it deploys after home), the home stack accepts it on its next up.
func (r *region) peering() *network.Peer {
	p := &network.Peer{Region: r.cfg.PeerRegion, Cidr: r.cfg.VpcCidrs[r.cfg.PeerRegion]}
	if r.cfg.IsHome() {
		p.PeeringID = r.peer.peeringID
	} else {
		p.VpcID = r.peer.vpcID
	}
	if p.PeeringID == "" && p.VpcID == "" {
		r.ctx.Log.Warn("the VPC peering with "+r.cfg.PeerRegion+" is set up once stack "+r.cfg.PeerStack()+
			" has run: run `pulumi up` on this stack again after it (until then this region's tasks cannot write to the other region's cache or database); "+
			"the home stack must accept the request within 7 days or it expires (`drctl check` reports a pending or expired peering)", nil)
	}
	return p
}

// peerTaskCidrs are the peer region's private subnets, where its app tasks run: the only part
// of the peer's VPC this region's data stores admit. config validated the CIDR already.
func (r *region) peerTaskCidrs() []string {
	cidrs, _ := network.PrivateSubnetCidrs(r.cfg.VpcCidrs[r.cfg.PeerRegion])
	return cidrs
}

func (r *region) addRegistry() (err error) {
	r.repo, err = registry.New(r.ctx, "registry", &registry.Args{
		RepositoryName: r.n.repository(),
		IsHome:         r.cfg.IsHome(),
		PeerRegion:     r.cfg.PeerRegion,
		AccountID:      r.n.account,
		Region:         r.cfg.Region,
		KmsKeyArn:      r.key.KeyArn,
		// The peer creates its repository before its bucket: replication waits as S3's does.
		PeerDeployed: r.peer.deployed,
	})
	return err
}

// secrets are generated in the home region and replicated to the peer, whose stack reads its
// local replica: the peer never needs the home region to start its tasks.
func (r *region) addSecrets() (err error) {
	common := func(name string) *secrets.Args {
		return &secrets.Args{
			IsHome:     r.cfg.IsHome(),
			SecretName: name,
			KmsKeyArn:  r.key.KeyArn,
			PeerRegion: r.cfg.PeerRegion,
			// The replica uses the peer's AWS-managed Secrets Manager key: the peer's own key
			// does not exist yet when the home stack is first deployed.
			PeerKmsKeyArn: "alias/aws/secretsmanager",
			Length:        32,
		}
	}
	db := common(r.n.dbSecret())
	if r.cfg.Adopted != nil {
		// The import keeps the cluster's password: the app's secret holds it (never generated).
		db.Value = r.adoptedPassword(r.cfg.Adopted.MasterPasswordSecret)
	}
	if r.dbSecret, err = secrets.New(r.ctx, "db-master", db); err != nil {
		return err
	}
	r.cacheKey, err = secrets.New(r.ctx, "cache-auth", common(r.n.cacheSecret()))
	return err
}

func (r *region) addDatabase() error {
	args := &database.Args{
		IsHome:                r.cfg.IsHome(),
		GlobalClusterID:       r.n.globalCluster(),
		ClusterID:             r.n.cluster(r.cfg.Region),
		Serverless:            r.size.serverlessDB,
		InstanceClass:         r.size.dbInstanceClass,
		Instances:             r.size.dbInstances,
		SubnetIDs:             r.net.IsolatedSubnetIDs,
		VpcID:                 r.net.VpcID,
		ClientSecurityGroupID: r.net.TaskSecurityGroupID,
		PeerCidrs:             r.peerTaskCidrs(),
		KmsKeyArn:             r.key.KeyArn,
		BackupRetentionDays:   r.size.backupDays,
		EnhancedMonitoring:    r.size.dbMonitoring,
	}
	r.adoptedDatabase(args)
	if r.cfg.IsHome() {
		// Only the cluster that creates the global database carries master credentials:
		// AWS rejects a secondary cluster that has them.
		args.MasterPassword = r.dbSecret.Value
	}
	var err error
	r.db, err = database.New(r.ctx, "database", args)
	return err
}

func (r *region) addCache() error {
	args := &cache.Args{
		IsHome:                r.cfg.IsHome(),
		ReplicationGroupID:    r.n.cacheGroup(r.cfg.Region),
		GlobalIDSuffix:        r.n.cacheGlobalSuffix(),
		NodeType:              r.size.cacheNodeType,
		Replicas:              r.size.cacheNodes,
		SubnetIDs:             r.net.IsolatedSubnetIDs,
		VpcID:                 r.net.VpcID,
		ClientSecurityGroupID: r.net.TaskSecurityGroupID,
		PeerCidrs:             r.peerTaskCidrs(),
		KmsKeyArn:             r.key.KeyArn,
		AuthToken:             r.cacheKey.Value,
	}
	if !r.cfg.IsHome() {
		args.GlobalID = pulumi.String(r.peer.cacheGlobalID)
	}
	r.adoptedCache(args)
	var err error
	r.cache, err = cache.New(r.ctx, "cache", args)
	return err
}

func (r *region) addQueue() (err error) {
	r.queue, err = queue.New(r.ctx, "queue", &queue.Args{
		KmsKeyArn:                r.key.KeyArn,
		MaxReceiveCount:          5,
		VisibilityTimeoutSeconds: 60,
		RetentionSeconds:         4 * 24 * 3600,
		AccountID:                r.n.account,
		Adopted:                  r.adoptedQueue(),
		After:                    r.adoptedKeyGrant,
	})
	return err
}

func (r *region) addStorage() (err error) {
	r.bucket, err = storage.New(r.ctx, "site", &storage.Args{
		BucketName:      r.bucketName(),
		PeerBucketName:  r.peerBucketName(),
		Adopted:         r.cfg.Adopted != nil,
		PeerRegion:      r.cfg.PeerRegion,
		ReplicateToPeer: r.peer.deployed,
		KmsKeyArn:       r.key.KeyArn,
		PeerKmsKeyArn:   r.n.keyAliasArn(r.cfg.PeerRegion),
		AccountID:       r.n.account,
	})
	if err == nil && !r.peer.deployed {
		r.ctx.Log.Warn("replication of the site bucket (and, from home, of the image registry) to "+r.cfg.PeerRegion+" starts once stack "+
			r.cfg.PeerStack()+" is deployed: run `pulumi up` on this stack again after it", nil)
	}
	return err
}
