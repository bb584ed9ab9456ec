// Package database provides the Aurora PostgreSQL global database: the home region's stack
// creates the global cluster and its primary member, the peer region's stack only a secondary
// cluster that joins it. Both members are guarded against the changes that lose data (docs/architecture.md, data-loss guards).
package database

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Engine is the only engine this component builds.
const Engine = "aurora-postgresql"

// Port is the PostgreSQL port the cluster security group opens to the app tasks.
const Port = 5432

// Defaults applied when the matching Args field is empty.
const (
	DefaultEngineVersion  = "16.6"
	DefaultDatabaseName   = "agm"
	DefaultMasterUsername = "agm_admin"
)

// Serverless v2 capacity for the dev profile, in Aurora capacity units.
const (
	ServerlessMinACU = 0.5
	ServerlessMaxACU = 4.0
)

// Args describe one region's member of the global database.
type Args struct {
	// IsHome is true in the region that owns the global cluster (homeRegion), never derived
	// from primaryRegion: the flip must not change data resources.
	IsHome bool
	// GlobalClusterID is the global cluster's identifier, the same in both stacks.
	GlobalClusterID string
	// ClusterID is this region's cluster identifier, e.g. "agm-dr-ap-northeast-1".
	ClusterID string

	EngineVersion string // default DefaultEngineVersion
	DatabaseName  string // home only (the peer inherits it); default DefaultDatabaseName

	// Serverless selects Aurora Serverless v2 (dev profile); otherwise InstanceClass is used.
	Serverless    bool
	InstanceClass string // provisioned class, memory-optimised (db.r*/db.x*), e.g. "db.r6g.large"
	Instances     int    // instances in this region's cluster, at least 1

	SubnetIDs             pulumi.StringArrayInput // isolated subnets
	VpcID                 pulumi.StringInput
	ClientSecurityGroupID pulumi.StringInput // the only source allowed to reach Port
	PeerCidrs             []string           // the peer region's app-task subnets, also admitted on Port (its tasks write here across the peering)

	// KmsKeyArn is this region's own key: KMS keys are regional, so each member needs its own.
	KmsKeyArn pulumi.StringInput

	// MasterPassword is required for home and must be nil for the peer: AWS rejects a secondary
	// cluster with master credentials. manageMasterUserPassword is not supported for global
	// databases, so the stack passes a generated password.
	MasterPassword pulumi.StringInput
	// MasterUsername is home only (an error for the peer); default DefaultMasterUsername.
	MasterUsername string

	BackupRetentionDays int // 7..35

	// EnhancedMonitoring turns on RDS enhanced monitoring (OS metrics every 60 s) and
	// Performance Insights on the instances (production).
	// Adopted, on the home stack only, takes over an existing cluster instead of creating one.
	Adopted *Adopted

	EnhancedMonitoring bool
	// SlowQueryMs is log_min_duration_statement; default DefaultSlowQueryMs.
	SlowQueryMs int
}

// Database is one region's member of the Aurora global database.
type Database struct {
	pulumi.ResourceState

	ClusterArn      pulumi.StringOutput `pulumi:"clusterArn"`
	ClusterID       pulumi.StringOutput `pulumi:"clusterId"`
	ClusterEndpoint pulumi.StringOutput `pulumi:"clusterEndpoint"`
	ReaderEndpoint  pulumi.StringOutput `pulumi:"readerEndpoint"`
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// GlobalClusterID is always the global cluster's identifier.
	GlobalClusterID pulumi.StringOutput `pulumi:"globalClusterId"`
	// GlobalWriterEndpoint is the global cluster's writer endpoint in the home stack and empty
	// in the peer stack, which reads it from the home stack's outputs.
	GlobalWriterEndpoint pulumi.StringOutput `pulumi:"globalWriterEndpoint"`
}

// New registers this region's member of the global database (and, at home, the global cluster).
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		return nil, errors.New("database: args are required")
	}
	a := *args
	if err := a.withDefaults().validate(); err != nil {
		return nil, fmt.Errorf("database %s: %w", name, err)
	}
	d := &Database{}
	if err := ctx.RegisterComponentResource("agm-dr:database:Database", name, d, opts...); err != nil {
		return nil, fmt.Errorf("database %s: %w", name, err)
	}
	if err := d.build(ctx, name, &a); err != nil {
		return nil, fmt.Errorf("database %s: %w", name, err)
	}
	return d, ctx.RegisterResourceOutputs(d, pulumi.Map{
		"clusterArn":           d.ClusterArn,
		"clusterId":            d.ClusterID,
		"clusterEndpoint":      d.ClusterEndpoint,
		"readerEndpoint":       d.ReaderEndpoint,
		"securityGroupId":      d.SecurityGroupID,
		"globalClusterId":      d.GlobalClusterID,
		"globalWriterEndpoint": d.GlobalWriterEndpoint,
	})
}

func (d *Database) build(ctx *pulumi.Context, name string, a *Args) error {
	net, err := newPlacement(ctx, name, a, d)
	if err != nil {
		return err
	}
	globalID := pulumi.String(a.GlobalClusterID).ToStringOutput()
	writer := pulumi.String("").ToStringOutput()
	if a.IsHome {
		gc, err := newGlobalCluster(ctx, name, a, d)
		if err != nil {
			return err
		}
		globalID, writer = gc.GlobalClusterIdentifier, gc.Endpoint
	}
	params, err := newClusterParameters(ctx, name, a, d)
	if err != nil {
		return err
	}
	net.parameterGroup = params.Name
	if a.EnhancedMonitoring {
		role, err := newMonitoringRole(ctx, name, d)
		if err != nil {
			return err
		}
		net.monitoringRoleArn = role.Arn
	}
	cluster, err := newCluster(ctx, name, a, globalID, net, d)
	if err != nil {
		return err
	}
	if err := newInstances(ctx, name, a, cluster, net, d); err != nil {
		return err
	}
	d.ClusterArn = cluster.Arn
	d.ClusterID = cluster.ClusterIdentifier
	d.ClusterEndpoint = cluster.Endpoint
	d.ReaderEndpoint = cluster.ReaderEndpoint
	d.SecurityGroupID = net.securityGroupID
	d.GlobalClusterID = globalID
	d.GlobalWriterEndpoint = writer
	return nil
}

// dataGuards are the options every data-holding resource here gets (docs/architecture.md, data-loss guards).
func dataGuards(parent pulumi.Resource, ignore ...string) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent), pulumi.Protect(true), pulumi.RetainOnDelete(true)}
	if len(ignore) > 0 {
		opts = append(opts, pulumi.IgnoreChanges(ignore))
	}
	return opts
}

// newGlobalCluster creates the global cluster; only the home stack may call it.
func newGlobalCluster(ctx *pulumi.Context, name string, a *Args, parent pulumi.Resource) (*rds.GlobalCluster, error) {
	// engine, databaseName and storageEncrypted force replacement of the global cluster, which
	// evicts every member: they are fixed at creation, so a drift or a changed default must
	// never reach a plan. engineVersion stays managed: upgrades are declared here, in place.
	return rds.NewGlobalCluster(ctx, name+"-global", &rds.GlobalClusterArgs{
		GlobalClusterIdentifier: pulumi.String(a.GlobalClusterID),
		Engine:                  pulumi.String(Engine),
		EngineVersion:           pulumi.String(a.EngineVersion),
		DatabaseName:            pulumi.String(a.DatabaseName),
		StorageEncrypted:        pulumi.Bool(true),
		DeletionProtection:      pulumi.Bool(true),
	}, append(dataGuards(parent, "databaseName", "engine", "storageEncrypted"), a.imported(a.GlobalClusterID)...)...)
}
