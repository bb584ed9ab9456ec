// Package stacks assembles one region of the service from the shared components. The same
// program runs for both stacks; the stack's region and the project-wide primaryRegion decide
// what differs.
package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/config"
)

// Program is the whole Pulumi program: parse and validate config first, so an invalid config
// registers nothing, then build this stack's region.
func Program(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	return Build(ctx, cfg)
}

// Build registers one region's resources for a validated config.
func Build(ctx *pulumi.Context, cfg config.Config) error {
	id, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("stacks: reading the AWS account: %w", err)
	}
	peer, err := readPeer(ctx, cfg)
	if err != nil {
		return err
	}
	r := &region{ctx: ctx, cfg: cfg, n: names{prefix: cfg.NamePrefix, account: id.AccountId}, size: sizingFor(cfg.Profile).with(cfg.Classes), peer: peer}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"keys", r.addKeys},
		{"adopted tasks' key grant", r.addAdoptedKeyGrant},
		{"network", r.addNetwork},
		{"registry", r.addRegistry},
		{"secrets", r.addSecrets},
		{"database", r.addDatabase},
		{"backup", r.addBackup},
		{"cache", r.addCache},
		{"queue", r.addQueue},
		{"storage", r.addStorage},
		{"dns", r.addDnsZoneAndCert},
		{"dns protection", r.addZoneProtection},
		{"app", r.addApp},
		{"waf", r.addWAF},
		{"site access logs", r.addSiteAccessLogs},
		{"switchover", r.addSwitchover},
		{"traffic", r.addTraffic},
		{"monitoring", r.addMonitoring},
		{"canary", r.addCanary},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s stack, %s: %w", cfg.Stack, s.name, err)
		}
	}
	r.export()
	return nil
}

// peerFacts are what this stack needs from the other stack's last deployment. They come from the
// state backend, never from the other region, so a stack can be updated while the other
// region is down.
type peerFacts struct {
	deployed        bool   // the peer's bucket exists: replication to it can be configured
	cacheGlobalID   string // the global datastore id (AWS adds a region prefix), from home
	auroraGlobalURL string // the Aurora global writer endpoint, from home
	vpcID           string // the home VPC, which the non-home stack peers with
	peeringID       string // the connection the non-home stack requested, for home to accept
	cacheEndpoint   string // the peer's cluster, where sessions go while it is the primary
	zoneID          string // the hosted zone the home stack created or was given, from home
	bucket          string // the peer's site bucket (an adopted home keeps its own name)
	// the peer's ECS cluster and service (an adopted home keeps its own names)
	ecsCluster, ecsService string
	// the global cluster's engine version, from home (an adopted home keeps the cluster's own)
	auroraEngineVersion string
}

func readPeer(ctx *pulumi.Context, cfg config.Config) (peerFacts, error) {
	ref, err := pulumi.NewStackReference(ctx, fmt.Sprintf("%s/%s/%s", ctx.Organization(), ctx.Project(), cfg.PeerStack()), nil)
	if err != nil {
		return peerFacts{}, fmt.Errorf("stacks: reading stack %s: %w", cfg.PeerStack(), err)
	}
	get := func(key string) (string, error) {
		d, err := ref.GetOutputDetails(key)
		if err != nil {
			return "", fmt.Errorf("stacks: reading %s from stack %s: %w", key, cfg.PeerStack(), err)
		}
		if d == nil {
			return "", nil
		}
		s, _ := d.Value.(string)
		return s, nil
	}
	var f peerFacts
	bucket, err := get(OutBucketName)
	if err != nil {
		return f, err
	}
	f.deployed, f.bucket = bucket != "", bucket
	if f.cacheEndpoint, err = get(OutCacheEndpoint); err != nil {
		return f, err
	}
	if f.ecsCluster, err = get(OutClusterName); err != nil {
		return f, err
	}
	if f.ecsService, err = get(OutServiceName); err != nil {
		return f, err
	}
	if cfg.IsHome() {
		f.peeringID, err = get(OutPeeringID)
		return f, err
	}
	if f.vpcID, err = get(OutVpcID); err != nil {
		return f, err
	}
	if f.cacheGlobalID, err = get(OutCacheGlobalID); err != nil {
		return f, err
	}
	if f.auroraGlobalURL, err = get(OutAuroraGlobalWriter); err != nil {
		return f, err
	}
	if f.auroraEngineVersion, err = get(OutAuroraEngineVersion); err != nil {
		return f, err
	}
	if f.cacheGlobalID == "" {
		return f, fmt.Errorf("stacks: the home stack %s has no %s output yet: run `pulumi up -s %s` first, it creates the global resources this stack joins",
			cfg.HomeStack(), OutCacheGlobalID, cfg.HomeStack())
	}
	if f.zoneID, err = get(OutZoneID); err != nil {
		return f, err
	}
	if f.zoneID == "" && cfg.Domain.ZoneID == "" {
		return f, fmt.Errorf("stacks: %s zoneId is empty and the home stack %s has no %s output yet: run `pulumi up -s %s` first, or set the hosted zone id in %s",
			config.KeyDomain, cfg.HomeStack(), OutZoneID, cfg.HomeStack(), config.KeyDomain)
	}
	return f, nil
}
