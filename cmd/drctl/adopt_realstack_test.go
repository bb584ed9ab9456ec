package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/adopt/adopttest"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/fakeaws"
	"github.com/agm-dr/agm-dr/policy"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/tests/enginetest"
)

// TestAdoptOnTheRealStacks takes a Tokyo a team built by hand (adopttest.BuildServing: its own
// names, subnet groups, security groups and key) to the two-stack design with `drctl adopt
// --yes`, through the real engine on the repo's own program and stacks: the existing resources
// are imported and nothing of them is replaced or deleted; the existing cluster and group are
// the primaries of the new global cluster and datastore; an interrupted run is finished by the
// next; a further run changes nothing; the
// Osaka bring-up and Tokyo's second up follow, and a planned switchover to Osaka then works.
func TestAdoptOnTheRealStacks(t *testing.T) {
	e := enginetest.Setup(t)
	tokyo := adopttest.BuildServing(t)
	old := openAdoptClients
	t.Cleanup(func() { openAdoptClients = old })
	openAdoptClients = func(context.Context, string, string) (adopt.Clients, error) { return tokyo.Clients, nil }
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	x := tokyo.Existing
	// Tokyo's healthy targets are the adopted service's running tasks; Osaka's are the program's.
	tokyoTasks, osakaTasks := fakeaws.RunningTasks(x.ECSCluster, x.ECSService), fakeaws.RunningTasks("app", "app")
	var lbDown atomic.Bool // Tokyo's load balancer unreachable: the import's up fails half-way
	e.ELB.Healthy = func(region, tg string) (int, error) {
		if region == config.Tokyo {
			if lbDown.Load() {
				return 0, errors.New("connection reset")
			}
			return tokyoTasks(region, tg)
		}
		return osakaTasks(region, tg)
	}
	args := []string{"adopt", "--dir", e.Project, "--yes", "--vpc", x.VpcID, "--cluster", x.ClusterID,
		"--replication-group", x.ReplicationGroup, "--ecs-cluster", x.ECSCluster, "--ecs-service", x.ECSService,
		"--queue", x.Queues[0], "--queue", x.Queues[1], "--bucket", x.Buckets[0], "--master-password-secret", x.MasterPasswordSecret}
	adoptTry := func() (string, error) {
		var out bytes.Buffer
		root := newRoot()
		root.SetOut(&out)
		root.SetErr(&out)
		root.SetArgs(args)
		err := root.ExecuteContext(ctx)
		if testing.Verbose() {
			t.Logf("drctl adopt:\n%s", out.String())
		}
		return out.String(), err
	}
	adoptRun := func() string {
		out, err := adoptTry()
		require.NoError(t, err, out)
		return out
	}

	// Interrupted: the import's up fails after the imports (the capacity gate cannot read
	// Tokyo's load balancer). The same command then finishes it.
	mark := e.Mark(t)
	lbDown.Store(true)
	out, err := adoptTry()
	assert.Equal(t, exitFailed, exitCode(err), out)
	assert.Contains(t, out, "global cluster     done now")
	assert.Contains(t, out, "deletes nothing")
	assert.Regexp(t, `import\s+13`, out, "the plan imports each existing resource")
	assert.ErrorContains(t, err, "run the same command again")
	n, err := stackResources(ctx, e.Project, config.TokyoStack)
	require.NoError(t, err)
	require.Positive(t, n, "the interrupted up imported resources")
	lbDown.Store(false)
	out = adoptRun()
	assert.Contains(t, out, "already holds", "the run finishes the adoption instead of refusing the stack")
	imported := map[string]string{} // URN → the id it was imported from
	for _, r := range e.RecordsSince(t, mark) {
		if r.Op == "read" && r.Stack() == config.TokyoStack && r.ID != "" {
			imported[r.URN] = r.ID
		}
	}
	for _, id := range []string{x.VpcID, x.ClusterID, x.ClusterID + "-writer", x.ClusterID + "-reader", e.Prefix + "-global",
		x.ReplicationGroup, x.ECSCluster, x.ECSCluster + "/" + x.ECSService, x.Buckets[0]} {
		assert.Contains(t, values(imported), id, "imported by id")
	}
	for _, r := range e.RecordsSince(t, mark) {
		assert.NotEqual(t, "delete", r.Op, "adoption deletes nothing: %s", r.URN)
		if r.Op == "create" && !r.Preview {
			_, wasImported := imported[r.URN]
			assert.False(t, wasImported, "%s was imported, not created", r.URN)
			assert.False(t, policy.DataTypes[r.Type] && (r.Type == "aws:rds/cluster:Cluster" || r.Type == "aws:elasticache/replicationGroup:ReplicationGroup"),
				"a second %s beside the existing one: %s", r.Type, r.URN)
		}
		assert.Empty(t, r.Replaces, "%s: no replacement", r.URN)
	}

	// The running tasks' role may use the key before the queues move to it.
	grantAt, queueAt := -1, -1
	for i, r := range e.RecordsSince(t, mark) {
		switch {
		case r.Preview:
		case r.Op == "create" && strings.HasSuffix(r.URN, "::adopted-tasks-key"):
			grantAt = i
		case r.Op == "update" && r.Type == "aws:sqs/queue:Queue" && queueAt < 0:
			queueAt = i
		}
	}
	require.GreaterOrEqual(t, grantAt, 0, "the grant to %s", adopttest.TaskRole)
	assert.Less(t, grantAt, queueAt, "the grant comes before the queues move to the key")
	assert.Contains(t, readFile(t, e.Project+"/Pulumi.tokyo.yaml"), adopttest.TaskRole)

	// The existing cluster writes the new global cluster; the existing group is the datastore's primary.
	gc, err := tokyo.Clients.RDS.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(e.Prefix + "-global")})
	require.NoError(t, err)
	var writer string
	for _, m := range gc.GlobalClusters[0].GlobalClusterMembers {
		if aws.ToBool(m.IsWriter) {
			writer = aws.ToString(m.DBClusterArn)
		}
	}
	assert.True(t, strings.HasSuffix(writer, ":cluster:"+x.ClusterID), "the writer is the existing cluster: %s", writer)
	cacheID := fakeaws.GlobalDatastorePrefix + e.Prefix + "-sessions"
	g, err := tokyo.Clients.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(x.ReplicationGroup)})
	require.NoError(t, err)
	require.NotNil(t, g.ReplicationGroups[0].GlobalReplicationGroupInfo)
	assert.Equal(t, "primary", strings.ToLower(aws.ToString(g.ReplicationGroups[0].GlobalReplicationGroupInfo.GlobalReplicationGroupMemberRole)))
	assert.Equal(t, cacheID, aws.ToString(g.ReplicationGroups[0].GlobalReplicationGroupInfo.GlobalReplicationGroupId))
	stackFile := readFile(t, e.Project+"/Pulumi.tokyo.yaml")
	assert.Contains(t, stackFile, config.KeyAdopted)
	assert.Contains(t, stackFile, tokyo.TargetGroup, "the service keeps the target group that serves shareholders today")
	// The app's DB_PASSWORD secret holds the cluster's live password, read from the team's secret.
	assert.Equal(t, "test-only-password", appDBPassword(t, e), "the tasks that roll to the program's task definition can log in")

	t.Run("a further run changes nothing", func(t *testing.T) {
		mark := e.Mark(t)
		out := adoptRun()
		assert.Equal(t, 4, strings.Count(out, "already done"), out)
		assert.Contains(t, out, "already holds")
		for _, r := range e.RecordsSince(t, mark) {
			assert.True(t, r.Preview || (r.Op != "create" && r.Op != "update" && r.Op != "delete"), "second run: %s %s %v", r.Op, r.URN, r.Changed)
		}
	})

	t.Run("bring-up, then a planned switchover to Osaka", func(t *testing.T) {
		e.Pulumi(t, "up", "--yes", "--skip-preview", "-s", config.OsakaStack)
		e.Pulumi(t, "up", "--yes", "--skip-preview", "-s", config.TokyoStack)
		out, rep, err := runDrctl(ctx, t, e, "switchover", "--to", config.Osaka, "--no-probe")
		require.NoError(t, err, out)
		assert.Equal(t, report.OK, rep.Result, out)
		assert.Equal(t, config.Osaka, writerRegion(t, e))
		assert.Equal(t, config.Osaka, e.Cache.PrimaryRegion(cacheID))
		floor, ok := e.Scaling.Floor(config.Osaka, "service/app/app")
		require.True(t, ok, "osaka's task floor is registered")
		assert.Equal(t, int32(adopttest.LoadedTasks), floor, "the new primary follows the adopted service's load, read by its own names")
	})
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// appDBPassword is the value the tokyo stack stored in the app's DB_PASSWORD secret (db-master).
func appDBPassword(t *testing.T, e *enginetest.Env) string {
	t.Helper()
	var dep struct {
		Deployment struct {
			Resources []struct {
				Type   string         `json:"type"`
				URN    string         `json:"urn"`
				Inputs map[string]any `json:"inputs"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	out := e.Pulumi(t, "stack", "export", "--show-secrets", "-s", config.TokyoStack)
	require.NoError(t, json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &dep))
	for _, r := range dep.Deployment.Resources {
		if r.Type == "aws:secretsmanager/secretVersion:SecretVersion" && strings.HasSuffix(r.URN, "::db-master") {
			if v, ok := r.Inputs["secretString"].(map[string]any); ok { // a secret: {"4dabf18193072939515e22adb298388d": ..., "plaintext": "\"...\""}
				var s string
				require.NoError(t, json.Unmarshal([]byte(v["plaintext"].(string)), &s))
				return s
			}
			s, _ := r.Inputs["secretString"].(string)
			return s
		}
	}
	t.Fatal("no db-master secret version in the tokyo stack")
	return ""
}
