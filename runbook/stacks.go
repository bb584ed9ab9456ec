// Package runbook is the operators' switchover runbook as code: the ordered multi-stack
// switchover, the readiness check, the status view and the offline plan. It works through two
// small interfaces, Stacks (Pulumi operations on one stack at a time) and Project (where
// primaryRegion is set), so the order and the rules are tested without a cloud or a Pulumi CLI;
// Automation API implementations of both run it for real.
package runbook

import (
	"context"
	"time"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
)

// Stacks are the Pulumi operations the runbook needs. Each call concerns exactly one stack, so
// an unplanned switchover can be run without ever touching the old primary's stack.
type Stacks interface {
	// Up deploys the stack with the project's current config (`pulumi up`), passing each line
	// of the engine's progress to progress as it comes.
	Up(ctx context.Context, stack string, progress func(Line)) (UpResult, error)
	// Preview counts the resources an up would change now (0: the stack is up to date).
	Preview(ctx context.Context, stack string) (int, error)
	// Outputs are the stack outputs of the last deployment, read from the state backend.
	Outputs(ctx context.Context, stack string) (map[string]any, error)
	// LastUpdate describes the stack's latest operation; zero when it has none.
	LastUpdate(ctx context.Context, stack string) (Update, error)
}

// Project is where the project-level switchover settings live (Pulumi.yaml for real runs).
type Project interface {
	// Primary is the region set as agm-dr:primaryRegion now.
	Primary(ctx context.Context) (string, error)
	// SetPrimary sets agm-dr:primaryRegion to region and the switchover mode to mode.
	// It is idempotent and reports whether anything changed.
	SetPrimary(ctx context.Context, region string, mode config.Mode) (bool, error)
}

// Line is one line of live progress.
type Line struct {
	At    time.Time
	Stack string // "" for the runbook's own lines
	Text  string
}

// UpResult is what one `pulumi up` did.
type UpResult struct {
	Changes map[string]int // operation → count, as `pulumi up` summarises (e.g. "update": 3)
	Ops     []report.Op    // resource operations other than "same", with their timing
}

// Update is a stack's latest operation.
type Update struct {
	Kind   string // update, refresh, ...
	Result string // succeeded, failed, in-progress
	Start  time.Time
	End    time.Time
}

// Stack output names the runbook reads. They mirror stacks/names.go (cmd/drctl's tests check
// they match); the runbook does not import stacks, so it builds and tests without the program.
const (
	OutRole                 = "role"
	OutPrimaryRegion        = "primaryRegion"
	OutAppImage             = "appImage"
	OutBucketName           = "bucketName"
	OutAuroraGlobalWriter   = "auroraGlobalWriterEndpoint"
	OutAuroraGlobalCluster  = "auroraGlobalClusterId"
	OutAuroraCluster        = "auroraClusterId"
	OutCacheGlobalID        = "cacheGlobalReplicationGroupId"
	OutCacheReplicationGrp  = "cacheReplicationGroupId"
	OutQueueURL             = "queueUrl"
	OutDeadLetterQueueURL   = "deadLetterQueueUrl"
	OutClusterName          = "ecsClusterName"
	OutServiceName          = "ecsServiceName"
	OutSwitchoverWriter     = "auroraActualWriter"
	OutSwitchoverCache      = "cacheActualPrimary"
	OutLastSwitchoverSecond = "lastSwitchoverSeconds"
	OutVpcID                = "vpcId"
	OutCacheEndpoint        = "cacheEndpoint"
	OutPeeringID            = "vpcPeeringConnectionId"
)

// str reads a string output; missing or non-string values read as "".
func str(outs map[string]any, key string) string {
	s, _ := outs[key].(string)
	return s
}

// num reads a numeric output.
func num(outs map[string]any, key string) (float64, bool) {
	switch v := outs[key].(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	}
	return 0, false
}

// stackOf returns the stack of a region, checking it is one of the project's.
func stackOf(region string) (string, bool) {
	s := config.StackFor(region)
	return s, s != ""
}
