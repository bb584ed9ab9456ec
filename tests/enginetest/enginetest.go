// Package enginetest sets up the real program of this repo under the real Pulumi engine for
// tests: the Pulumi CLI, the shared Go language host and random plugin, the recording fake aws
// plugin (package fakeaws), the agmdr plugin built from this tree, a file:// backend, ministack
// as AWS and the ElastiCache fake for what ministack does not serve. Every path it needs is
// checked first: missing, the test fails under CI=true and is skipped otherwise, with a message
// saying where the tool is expected and how to get it.
package enginetest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/agm-dr/agm-dr/fakeaws"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/switchover/switchovertest"
)

// SharedToolsEnv overrides where the shared prebuilt plugins are (default: ../shared/tools/bin
// next to the repo, where the project's machines keep them).
const SharedToolsEnv = "AGMDR_SHARED_TOOLS"

// Env is one set-up: directories, the records file and the ElastiCache fake.
type Env struct {
	Root    string // the repo root
	Project string // a temp project dir: the repo's Pulumi.yaml and stack files
	Prefix  string // the unique agm-dr:namePrefix of this set-up (emulator names never collide)
	Records string // the fake aws plugin's JSON-lines records
	Cache   *fakeaws.ElastiCache
	Scaling *fakeaws.AutoScaling // Application Auto Scaling (ministack does not serve it)
	ELB     *fakeaws.ELB         // target health (the target groups exist only in the fake plugin's records)
	Backups *fakeaws.Backup      // AWS Backup recovery points (ministack lists none)
	AWS     *Proxy               // every other AWS call of the run goes through it
	// Fast is a second project dir for the tests' own pulumi CLI calls: the same stacks and
	// backend, with the program prebuilt once (Pulumi's Go runtime option `binary`).
	Fast   string
	Binary string
	Vars   map[string]string // the process environment the engine and drctl run with
}

func missing(t testing.TB, what, where, how string) {
	t.Helper()
	msg := fmt.Sprintf("%s not found: expected at %s; %s", what, where, how)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg + " (test skipped; under CI=true it fails)")
}

// RepoRoot finds the directory holding go.mod above the test's working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	d, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatal("no go.mod above the test directory")
		}
	}
}

// SharedTools is the directory holding pulumi-language-go and pulumi-resource-random.
func SharedTools(t testing.TB, root string) string {
	t.Helper()
	dir := os.Getenv(SharedToolsEnv)
	if dir == "" {
		dir = filepath.Join(filepath.Dir(root), "shared", "tools", "bin")
	}
	for _, f := range []string{"pulumi-language-go", "pulumi-resource-random"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			missing(t, f, filepath.Join(dir, f)+" (or $"+SharedToolsEnv+")",
				"it is built from Pulumi's public sources as ../shared/tools/README.md says "+
					"(pulumi/pulumi v3.259.0 sdk/go/pulumi-language-go; pulumi/pulumi-random v4.18.4 provider/cmd/pulumi-resource-random)")
		}
	}
	return dir
}

// CLI is the directory holding the pulumi CLI (AGMDR_PULUMI_BIN).
func CLI(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("AGMDR_PULUMI_BIN")
	if dir == "" {
		missing(t, "the Pulumi CLI", "$AGMDR_PULUMI_BIN", "run `make tools` and `source .ci/env.sh` (`bash .ci/pulumi-cli.sh` builds it and prints the dir)")
	}
	if _, err := os.Stat(filepath.Join(dir, "pulumi")); err != nil {
		missing(t, "the Pulumi CLI", filepath.Join(dir, "pulumi"), "run `bash .ci/pulumi-cli.sh`")
	}
	return dir
}

// Build runs `go build -o out pkg` in root.
func Build(t testing.TB, root, out, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

var seq atomic.Int64

// Setup prepares everything and sets the process environment (t.Setenv) so that the pulumi CLI,
// Automation API workspaces and drctl run against it.
func Setup(t testing.TB) *Env {
	t.Helper()
	root := RepoRoot(t)
	shared := SharedTools(t, root)
	cli := CLI(t)
	emulator := switchovertest.UseEmulator(t)

	tmp := t.TempDir()
	plugins := filepath.Join(tmp, "plugins")
	Build(t, root, filepath.Join(plugins, "pulumi-resource-aws"), "./cmd/pulumi-resource-aws-fake")
	agmdr := filepath.Join(tmp, "agmdr")
	Build(t, root, filepath.Join(agmdr, "pulumi-resource-agmdr"), "./cmd/pulumi-resource-agmdr")

	cache := fakeaws.NewElastiCache()
	srv := httptest.NewServer(cache)
	t.Cleanup(srv.Close)
	scaling := fakeaws.NewAutoScaling()
	ssrv := httptest.NewServer(scaling)
	t.Cleanup(ssrv.Close)
	// A target group's healthy targets: the running tasks of the region's service in ministack.
	elb := fakeaws.NewELB(fakeaws.RunningTasks("app", "app"))
	esrv := httptest.NewServer(elb)
	t.Cleanup(esrv.Close)
	backups := fakeaws.NewBackup()
	bsrv := httptest.NewServer(backups)
	t.Cleanup(bsrv.Close)
	proxy, err := NewProxy(emulator)
	if err != nil {
		t.Fatal(err)
	}
	psrv := httptest.NewServer(proxy)
	t.Cleanup(psrv.Close)
	bin, _, err := runbook.BuildProgram(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}

	e := &Env{Root: root, Project: filepath.Join(tmp, "project"), Records: filepath.Join(tmp, "records.jsonl"), Cache: cache,
		AWS: proxy, Scaling: scaling, ELB: elb, Backups: backups, Fast: filepath.Join(tmp, "fast"), Binary: bin,
		Prefix: fmt.Sprintf("t%d%02d", time.Now().UnixNano()%1_000_000_000, seq.Add(1)%100)}
	e.Vars = map[string]string{
		"PATH":                     strings.Join([]string{plugins, shared, cli, os.Getenv("PATH")}, string(os.PathListSeparator)),
		"PULUMI_BACKEND_URL":       "file://" + filepath.Join(tmp, "state"),
		"PULUMI_CONFIG_PASSPHRASE": "engine-tests-only",
		"PULUMI_HOME":              filepath.Join(tmp, "pulumi-home"),
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"AWS_ENDPOINT_URL_ELASTICACHE":                srv.URL,
		"AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING":   ssrv.URL,
		"AWS_ENDPOINT_URL_BACKUP":                     bsrv.URL,
		"AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2":  esrv.URL,
		fakeaws.LogEnv:     e.Records,
		fakeaws.WorldEnv:   "1",
		"AWS_ENDPOINT_URL": psrv.URL,
	}
	for k, v := range e.Vars {
		t.Setenv(k, v)
	}
	resetServices(t)
	for _, d := range []string{filepath.Join(tmp, "state"), e.Project, e.Fast} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	WriteProject(t, root, e.Project, e.Prefix, agmdr, "")
	for _, s := range []string{"tokyo", "osaka"} {
		if out, err := e.TryIn(e.Project, "stack", "init", s); err != nil {
			t.Fatalf("pulumi stack init %s: %v\n%s", s, err, out)
		}
	}
	return e
}

// The test project's own public name and alarm address, in place of the repo's placeholders.
const (
	Domain     = "agm.drill.test"
	AlarmEmail = "oncall@agm-dr.test"
)

// MadeOurs replaces the placeholders of the repo's Pulumi.yaml as the README's "Make it yours"
// asks (Domain and AlarmEmail), so readiness has nothing to refuse for them. The config block is
// the file's last, so the alarm key goes at the end.
func MadeOurs(pulumiYAML []byte) []byte {
	s := strings.Replace(string(pulumiYAML), "name: agm.example.jp", "name: "+Domain, 1)
	return []byte(s + "  agm-dr:alarmEmail:\n    value: " + AlarmEmail + "\n")
}

// WriteProject writes dir/Pulumi.yaml and the stack files: the repo's own, with namePrefix set
// to prefix, the agmdr plugin path pointing at agmdrDir and the program at the repo (`main`), or
// at a prebuilt binary when binary is set.
func WriteProject(t testing.TB, root, dir, prefix, agmdrDir, binary string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src = MadeOurs(src)
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Content[0]
	rel, err := filepath.Rel(dir, root)
	if err != nil {
		t.Fatal(err)
	}
	set := func(m *yaml.Node, key string, v *yaml.Node) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				m.Content[i+1] = v
				return
			}
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
	scalar := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	mapping := func(kv ...any) *yaml.Node {
		n := &yaml.Node{Kind: yaml.MappingNode}
		for i := 0; i < len(kv); i += 2 {
			v, ok := kv[i+1].(*yaml.Node)
			if !ok {
				v = scalar(kv[i+1].(string))
			}
			n.Content = append(n.Content, scalar(kv[i].(string)), v)
		}
		return n
	}
	if binary != "" {
		set(m, "runtime", mapping("name", "go", "options", mapping("binary", binary)))
	} else {
		set(m, "main", scalar(rel))
	}
	set(m, "plugins", mapping("providers", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{
		mapping("name", "agmdr", "path", agmdrDir)}}))
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "config" {
			continue
		}
		cfg := m.Content[i+1]
		set(cfg, "agm-dr:namePrefix", mapping("value", prefix))
		// The emulators switch at once: poll every second instead of every 10 s, and no resolver
		// caches the emulator's records: wait 1 s, not the 60 s alias TTL, after each traffic move.
		for j := 0; j+1 < len(cfg.Content); j += 2 {
			if cfg.Content[j].Value != "agm-dr:switchover" {
				continue
			}
			for k := 0; k+1 < len(cfg.Content[j+1].Content); k += 2 {
				if cfg.Content[j+1].Content[k].Value == "value" {
					set(cfg.Content[j+1].Content[k+1], "pollSeconds", scalar("1"))
					set(cfg.Content[j+1].Content[k+1], "clientTtlSeconds", scalar("1"))
				}
			}
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"tokyo", "osaka"} {
		f := "Pulumi." + s + ".yaml"
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			continue // keep what `pulumi stack init` added (the passphrase salt)
		}
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
