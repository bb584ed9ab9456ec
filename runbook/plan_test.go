package runbook_test

import (
	"bytes"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
)

// tinyProgram registers a switchover resource and a bucket; with leak, the bucket's tags depend
// on the role, which the flip contract forbids for a data resource.
func tinyProgram(leak bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cfg, err := config.Load(ctx)
		if err != nil {
			return err
		}
		var w pulumi.CustomResourceState
		if err := ctx.RegisterResource("agmdr:index:AuroraWriter", "aurora-writer", pulumi.Map{
			"writer": pulumi.Bool(cfg.IsPrimary()), "region": pulumi.String(cfg.Region),
		}, &w); err != nil {
			return err
		}
		tags := pulumi.StringMap{"region": pulumi.String(cfg.Region)}
		if leak {
			tags["role"] = pulumi.String(string(cfg.Role()))
		}
		var b pulumi.CustomResourceState
		if err := ctx.RegisterResource("aws:s3/bucketV2:BucketV2", "site", pulumi.Map{
			"bucket": pulumi.String("site-" + cfg.Region), "tags": tags,
		}, &b); err != nil {
			return err
		}
		ctx.Export(runbook.OutBucketName, pulumi.String("site-"+cfg.Region))
		return nil
	}
}

func TestPlanListsOnlyAllowedChangesNewPrimaryFirst(t *testing.T) {
	dir := repoProject(t)
	p, err := runbook.MakePlan(tinyProgram(false), dir, config.Osaka, config.Planned)
	require.NoError(t, err)
	assert.Empty(t, p.Violations)
	require.Len(t, p.Stacks, 2)
	assert.Equal(t, config.OsakaStack, p.Stacks[0].Stack, "the new primary is updated first")
	assert.Equal(t, config.RolePrimary, p.Stacks[0].RoleAfter)
	require.Len(t, p.Stacks[0].Changes, 1)
	c := p.Stacks[0].Changes[0]
	assert.Equal(t, "writer", c.Property)
	assert.Equal(t, "false", c.Before)
	assert.Equal(t, "true", c.After)
	assert.Equal(t, 2, p.ChangeCount())

	var out bytes.Buffer
	p.Print(&out)
	s := out.String()
	assert.Contains(t, s, "Flip contract: OK")
	assert.Contains(t, s, "writer: false => true")
	assert.Contains(t, s, "1. stack osaka (ap-northeast-3): standby → primary")
	assert.Contains(t, s, "estimates")
	assert.Contains(t, s, "Expected RTO (steps 1–3)")
	assert.Contains(t, s, "against the target of 15 min")
}

func TestPlanFlagsChangesOutsideTheFlipContract(t *testing.T) {
	dir := repoProject(t)
	p, err := runbook.MakePlan(tinyProgram(true), dir, config.Osaka, config.Planned)
	require.NoError(t, err)
	require.Len(t, p.Violations, 2, "one per stack")
	assert.Equal(t, "aws:s3/bucketV2:BucketV2", p.Violations[0].Type)
	var out bytes.Buffer
	p.Print(&out)
	assert.Contains(t, out.String(), "tags: ")
	assert.Contains(t, out.String(), "<-- NOT ALLOWED by the flip contract")
	assert.Contains(t, out.String(), "Flip contract: VIOLATED by 2 change(s)")
}

func TestPlanUnplannedSkipsTheOldRegion(t *testing.T) {
	dir := repoProject(t)
	p, err := runbook.MakePlan(tinyProgram(false), dir, config.Osaka, config.Unplanned)
	require.NoError(t, err)
	assert.Empty(t, p.Violations, "the mode input may change with --mode")
	var out bytes.Buffer
	p.Print(&out)
	assert.Contains(t, out.String(), "pulumi up tokyo (old primary → standby): skipped (unplanned")
	assert.Contains(t, out.String(), "FailoverGlobalCluster")
}

func TestPlanRefusesAnUnknownRegion(t *testing.T) {
	_, err := runbook.MakePlan(tinyProgram(false), repoProject(t), "eu-west-1", config.Planned)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ap-northeast-3 (osaka)")
}
