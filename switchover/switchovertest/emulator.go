package switchovertest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/smithy-go"
)

// EmulatorURL returns AGMDR_MINISTACK_URL, skipping the test when it is unset
// and failing it when it is not a loopback address: test traffic never
// leaves this machine.
func EmulatorURL(t testing.TB) string {
	t.Helper()
	raw := Env(t, "AGMDR_MINISTACK_URL", "`bash .ci/ministack.sh` starts ministack and prints the URL")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("AGMDR_MINISTACK_URL %q: %v", raw, err)
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Fatalf("AGMDR_MINISTACK_URL %q is not a loopback address; refusing to send test traffic there", raw)
	}
	return raw
}

// Env returns the environment variable name. Unset, the test is skipped on a developer's
// machine but fails in CI (CI=true), so CI can never go green by skipping these tests.
func Env(t testing.TB, name, hint string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set in CI (%s)", name, hint)
		}
		t.Skipf("%s is not set: test skipped (%s)", name, hint)
	}
	return v
}

// EmulatorEnv is the standard AWS SDK environment that points every client
// at the emulator with dummy credentials and no instance-metadata lookups.
func EmulatorEnv(emulatorURL, dir string) map[string]string {
	none := filepath.Join(dir, "no-aws-config")
	return map[string]string{
		"AWS_ENDPOINT_URL":            emulatorURL,
		"AWS_ACCESS_KEY_ID":           "test",
		"AWS_SECRET_ACCESS_KEY":       "test",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             none,
		"AWS_SHARED_CREDENTIALS_FILE": none,
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
}

// UseEmulator applies EmulatorEnv to this test's process environment and
// returns the emulator URL.
func UseEmulator(t testing.TB) string {
	t.Helper()
	u := EmulatorURL(t)
	for k, v := range EmulatorEnv(u, t.TempDir()) {
		t.Setenv(k, v)
	}
	return u
}

// EmulatorCluster is an Aurora global cluster created in the emulator.
type EmulatorCluster struct {
	GlobalID, HomeArn, PeerArn string
}

var seq atomic.Int64

// NewEmulatorCluster creates a global cluster whose writer is in home and a
// secondary (no master credentials, as AWS requires) in peer. Call
// UseEmulator first. Names are unique so tests can share one emulator.
func NewEmulatorCluster(t testing.TB, home, peer string) EmulatorCluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The pid keeps names apart between test binaries sharing one emulator (packages run in
	// parallel, and the emulator outlives a run).
	name := fmt.Sprintf("agm%d%d%03d", os.Getpid()%100000, time.Now().UnixNano()%1_000_000_000, seq.Add(1)%1000)
	h, p := EmulatorRDS(t, home), EmulatorRDS(t, peer)
	c := EmulatorCluster{GlobalID: name + "-global"}
	if _, err := h.CreateGlobalCluster(ctx, &rds.CreateGlobalClusterInput{
		GlobalClusterIdentifier: aws.String(c.GlobalID), Engine: aws.String("aurora-postgresql"),
	}); Resent(err, "GlobalClusterAlreadyExistsFault") != nil {
		t.Fatalf("emulator: create global cluster: %v", err)
	}
	c.HomeArn = createCluster(ctx, t, h, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(name + "-home"), Engine: aws.String("aurora-postgresql"),
		GlobalClusterIdentifier: aws.String(c.GlobalID),
		MasterUsername:          aws.String("agm"), MasterUserPassword: aws.String("test-only-password"),
	})
	c.PeerArn = createCluster(ctx, t, p, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(name + "-peer"), Engine: aws.String("aurora-postgresql"),
		GlobalClusterIdentifier: aws.String(c.GlobalID),
	})
	return c
}

// createCluster creates a cluster and returns its ARN; a resent create (Resent) is this
// request's own cluster.
func createCluster(ctx context.Context, t testing.TB, c *rds.Client, in *rds.CreateDBClusterInput) string {
	t.Helper()
	out, err := c.CreateDBCluster(ctx, in)
	if err == nil {
		return aws.ToString(out.DBCluster.DBClusterArn)
	}
	if Resent(err, "DBClusterAlreadyExistsFault") != nil {
		t.Fatalf("emulator: create cluster %s: %v", aws.ToString(in.DBClusterIdentifier), err)
	}
	d, err := c.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: in.DBClusterIdentifier})
	if err != nil || len(d.DBClusters) == 0 {
		t.Fatalf("emulator: cluster %s after a resent create: %v", aws.ToString(in.DBClusterIdentifier), err)
	}
	return aws.ToString(d.DBClusters[0].DBClusterArn)
}

// Resent forgives the "already exists" (code) of a create the SDK sent twice: the emulator
// sometimes closes a connection after it applied the request, and the SDK retries it
// (aws-sdk-go-v2 #1825, #2737). Callers use names unique to the run, so the resource is their
// own. Any other error is returned as is.
func Resent(err error, code string) error {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == code {
		return nil
	}
	return err
}

// EmulatorRDS returns an SDK RDS client for region using the process's AWS
// environment (see UseEmulator).
func EmulatorRDS(t testing.TB, region string) *rds.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(region))
	if err != nil {
		t.Fatalf("aws config for %s: %v", region, err)
	}
	return rds.NewFromConfig(cfg)
}

// WriterArn reads the current writer of a global cluster straight from the API.
func WriterArn(t testing.TB, client *rds.Client, globalID string) string {
	t.Helper()
	out, err := client.DescribeGlobalClusters(context.Background(),
		&rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(globalID)})
	if err != nil || len(out.GlobalClusters) == 0 {
		t.Fatalf("describe global cluster %s: %v", globalID, err)
	}
	for _, m := range out.GlobalClusters[0].GlobalClusterMembers {
		if aws.ToBool(m.IsWriter) {
			return aws.ToString(m.DBClusterArn)
		}
	}
	return ""
}
