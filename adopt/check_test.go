package adopt_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/adopt/adopttest"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

func TestCheckPassesAWellBuiltTokyo(t *testing.T) {
	e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
	r, err := adopt.Check(context.Background(), e.Clients, e.Existing, e.Target)
	require.NoError(t, err)
	assert.Empty(t, r.Blockers)
	assert.Len(t, r.Facts, 1+1+2+1+1+2+1+1, "one fact per resource and instance, and the password secret: %v", r.Facts)
	assert.Positive(t, e.Osaka.Calls.Load(), "the peer region's catalogue was asked")
}

// TestCheckFindsEachPlantedBlocker plants one blocker of each kind in an otherwise good Tokyo:
// Check must find exactly that one, with a source, and change nothing.
func TestCheckFindsEachPlantedBlocker(t *testing.T) {
	for _, tc := range []struct {
		name     string
		plant    func(*adopttest.Spec, *adopttest.Osaka)
		resource string // the blocker's resource starts with this
		problem  string // ... and its problem contains this
	}{
		{"cluster not encrypted at rest", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.Encrypted = false }, "aurora cluster", "not encrypted at rest"},
		{"engine version not offered in Osaka", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.Version = "15.13" }, "aurora cluster", "not offered in ap-northeast-3"},
		{"engine version without global databases", func(s *adopttest.Spec, o *adopttest.Osaka) { s.Version = "15.12"; o.Versions["15.12"] = false }, "aurora cluster", "does not support global databases"},
		{"cache engine version too old for a global datastore", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.CacheEngine, s.CacheVer = "redis", "5.0.5" }, "replication group", "5.0.6 or later"},
		{"cache node type a global datastore refuses", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.Node = "cache.t3.medium" }, "replication group", "node type cache.t3.medium"},
		{"transit encryption off", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.Transit = false }, "replication group", "transit encryption"},
		{"cache not encrypted at rest", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.AtRest = false }, "replication group", "encryption at rest is off"},
		{"CIDR overlapping the Osaka plan", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.Cidr = "10.20.0.0/16" }, "vpc", "overlaps the ap-northeast-3 plan"},
		{"existing subnet where the program adds one", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.Subnet = "10.10.16.0/24" }, "vpc", "overlaps the program's subnet"},
		{"default security group in use", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.DefaultGroupInUse = true }, "vpc", "use its default security group"},
		{"service not on Fargate", func(s *adopttest.Spec, _ *adopttest.Osaka) { s.LaunchType = ecstypes.LaunchTypeEc2 }, "ecs service", "launch type \"EC2\""},
		{"instance class not offered in Osaka", func(_ *adopttest.Spec, o *adopttest.Osaka) { o.Classes = []string{"db.r6g.xlarge"} }, "aurora cluster", "db.r6g.large is not offered in ap-northeast-3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := adopttest.GoodTokyo
			o := adopttest.NewOsaka()
			tc.plant(&spec, o)
			e := adopttest.BuildTokyo(t, spec)
			e.Osaka.Versions, e.Osaka.Classes = o.Versions, o.Classes
			r, err := adopt.Check(context.Background(), e.Clients, e.Existing, e.Target)
			require.NoError(t, err)
			var found []adopt.Blocker
			for _, b := range r.Blockers {
				if strings.HasPrefix(b.Resource, tc.resource) && strings.Contains(b.Problem, tc.problem) {
					found = append(found, b)
				}
			}
			require.Len(t, found, 1, "blockers: %+v", r.Blockers)
			assert.NotEmpty(t, found[0].Source)
			assert.NotEmpty(t, found[0].Fix)
			// The overlapping CIDR also differs from the configured Tokyo CIDR: that is a second,
			// separate blocker; every other plant is exactly one.
			if !strings.HasPrefix(tc.problem, "overlaps the ap-northeast-3") {
				assert.Len(t, r.Blockers, 1, "only the planted blocker: %+v", r.Blockers)
			}
			assertNothingChanged(t, e)
		})
	}
}

func assertNothingChanged(t *testing.T, e *adopttest.Env) {
	t.Helper()
	assert.False(t, e.GlobalExists(t), "no global cluster was created")
	assert.Zero(t, e.World.Count("CreateGlobalReplicationGroup"), "no global datastore was created")
	for _, b := range e.Existing.Buckets {
		assert.Empty(t, e.Versioning(t, b), "bucket %s versioning untouched", b)
	}
}

func TestCheckRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spec  func(*adopttest.Spec)
		input func(*adopt.Existing)
		want  string
	}{
		{"nonexistent cluster", nil, func(x *adopt.Existing) { x.ClusterID = "shareholders-typo" }, "aurora cluster shareholders-typo does not exist in ap-northeast-1"},
		{"nonexistent replication group", nil, func(x *adopt.Existing) { x.ReplicationGroup = "sessions-typo" }, "replication group sessions-typo does not exist"},
		{"nonexistent vpc", nil, func(x *adopt.Existing) { x.VpcID = "vpc-0000000000000dead" }, "vpc vpc-0000000000000dead does not exist"},
		{"nonexistent queue", nil, func(x *adopt.Existing) { x.Queues = append(x.Queues, "votes-typo") }, "sqs queue votes-typo does not exist"},
		{"nonexistent bucket", nil, func(x *adopt.Existing) { x.Buckets = append(x.Buckets, "agm-sites-typo-0001") }, "s3 bucket agm-sites-typo-0001 does not exist"},
		{"nonexistent ecs service", nil, func(x *adopt.Existing) { x.ECSService = "agm-typo" }, "does not exist"},
		{"cluster already in another global cluster", func(s *adopttest.Spec) { s.ClusterGlobal = "reporting-global" }, nil, "is already a member of global cluster reporting-global"},
		{"group already in another global datastore", func(s *adopttest.Spec) { s.RGGlobal = "abcde-analytics" }, nil, "already the primary member of global datastore abcde-analytics"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := adopttest.GoodTokyo
			if tc.spec != nil {
				tc.spec(&spec)
			}
			e := adopttest.BuildTokyo(t, spec)
			in := e.Existing
			in.Queues, in.Buckets = slices.Clone(in.Queues), slices.Clone(in.Buckets)
			if tc.input != nil {
				tc.input(&in)
			}
			_, err := adopt.Check(context.Background(), e.Clients, in, e.Target)
			var bad *adopt.InputError
			require.True(t, errors.As(err, &bad), "an input error, got %v", err)
			assert.Contains(t, err.Error(), tc.want)
			assertNothingChanged(t, e)
		})
	}
}

// TestCheckDevProfile: with the dev profile's Aurora Serverless v2 class configured, a Tokyo on
// Serverless v2 has no class blocker, and one on a provisioned class does (the import would
// change it).
func TestCheckDevProfile(t *testing.T) {
	for _, tc := range []struct {
		class    string
		blockers int
	}{{"db.serverless", 0}, {"db.r6g.large", 2}} {
		t.Run(tc.class, func(t *testing.T) {
			spec := adopttest.GoodTokyo
			spec.Class = tc.class
			e := adopttest.BuildTokyo(t, spec)
			e.Target.DBInstanceClass = "db.serverless"
			r, err := adopt.Check(context.Background(), e.Clients, e.Existing, e.Target)
			require.NoError(t, err)
			assert.Len(t, r.Blockers, tc.blockers, "one per instance: %+v", r.Blockers)
		})
	}
}

// TestCheckFailedReadIsNotBadInput: when a read fails, the error is not reported as bad input,
// even next to a resource that does not exist.
func TestCheckFailedReadIsNotBadInput(t *testing.T) {
	e := adopttest.BuildTokyo(t, adopttest.GoodTokyo)
	e.World.FailNext("DescribeReplicationGroups", switchovertest.APIError("InternalFailure", "injected"))
	in := e.Existing
	in.ClusterID = "shareholders-typo"
	_, err := adopt.Check(context.Background(), e.Clients, in, e.Target)
	require.ErrorContains(t, err, "injected")
	var bad *adopt.InputError
	assert.False(t, errors.As(err, &bad), "a failed read is not bad input: %v", err)
}
