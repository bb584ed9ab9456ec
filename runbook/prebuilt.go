package runbook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"gopkg.in/yaml.v3"

	"github.com/agm-dr/agm-dr/config"
)

// Compiling the Go program is not part of a switchover. By default every `pulumi up` of a Go
// project compiles the program first (measured here: about 50 s per up on 2 cores with a warm
// build cache, minutes with a cold one), and a switchover runs two or four of them. So drctl
// compiles once, before the first up (BuildProgram), and runs every up from a shadow copy of the
// project whose Pulumi.yaml names that binary (the Go runtime's `binary` option, see
// https://www.pulumi.com/docs/concepts/projects: `runtime: {name: go, options: {binary: ...}}`). The operator's
// Pulumi.yaml is never changed for this; the shadow copy is rewritten from it before every
// operation, so primaryRegion edits reach the engine.

// BuildProgram compiles the Go program of the project in dir (its `main` directory, if
// Pulumi.yaml sets one) into a per-project path under the user's cache directory and returns the
// binary's path and how long the build took. `go build -o` relinks only when a source changed
// (it compares build IDs), so a second call with nothing changed takes well under a second,
// and a stale binary is never used.
func BuildProgram(ctx context.Context, dir string) (string, time.Duration, error) {
	start := time.Now()
	proj, err := readProjectDoc(dir)
	if err != nil {
		return "", 0, err
	}
	prog := dir
	if m := config.MapValue(proj.Content[0], "main"); m != nil && m.Value != "" {
		prog = m.Value
		if !filepath.IsAbs(prog) {
			prog = filepath.Join(dir, prog)
		}
	}
	prog, err = filepath.Abs(prog)
	if err != nil {
		return "", 0, err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	h := sha256.Sum256([]byte(prog))
	out := filepath.Join(cache, "agm-dr", "programs", hex.EncodeToString(h[:6]), "program")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Dir = prog
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return "", time.Since(start), fmt.Errorf("building the program in %s: %w\n%s", prog, err, strings.TrimSpace(log.String()))
	}
	return out, time.Since(start), nil
}

// LocalOptions tune NewLocalWith.
type LocalOptions struct {
	// Binary, when set, is the prebuilt program every operation runs (see BuildProgram).
	Binary string
	// RefreshAll restores `up --refresh` of every resource before each up. Without it, each up
	// refreshes only the switchover resources (agmdr:*) first: they read the real Aurora writer
	// and cache primary, which is what a resumed or hand-made switchover needs; refreshing the
	// ~140 aws resources only finds drift, which the flip does not depend on, so that is left for
	// after traffic has moved (Workspace.Refresh).
	RefreshAll bool
}

// NewLocalWith is NewLocal with a prebuilt program and targeted refresh.
func NewLocalWith(dir string, env map[string]string, o LocalOptions) *Workspace {
	w := NewLocal(dir, env)
	w.refreshAll = o.RefreshAll
	if o.Binary == "" {
		return w
	}
	w.open = func(ctx context.Context, stack string) (auto.Stack, error) {
		return OpenShadow(ctx, dir, o.Binary, stack, env)
	}
	shadow := shadowDir(dir, o.Binary)
	w.prepare = func(context.Context, auto.Stack) error { return writeShadow(dir, shadow, o.Binary) }
	return w
}

// shadowDir is where the shadow of the project in dir lives: next to the binary, one per project
// directory, so runs reuse it instead of leaving temp dirs behind.
func shadowDir(dir, binary string) string {
	abs, _ := filepath.Abs(dir)
	h := sha256.Sum256([]byte(abs))
	return filepath.Join(filepath.Dir(binary), "project-"+hex.EncodeToString(h[:6]))
}

// OpenShadow writes the shadow of the project in dir, whose program is the prebuilt binary,
// and selects stack in it (it must exist in the backend: this never creates one).
func OpenShadow(ctx context.Context, dir, binary, stack string, env map[string]string) (auto.Stack, error) {
	shadow := shadowDir(dir, binary)
	if err := os.MkdirAll(shadow, 0o755); err != nil {
		return auto.Stack{}, err
	}
	if err := writeShadow(dir, shadow, binary); err != nil {
		return auto.Stack{}, err
	}
	s, err := auto.SelectStackLocalSource(ctx, stack, shadow, auto.EnvVars(env))
	if err != nil {
		return auto.Stack{}, fmt.Errorf("selecting stack %s of %s (is PULUMI_BACKEND_URL / `pulumi login` the project's backend?): %w", stack, dir, err)
	}
	return s, nil
}

func readProjectDoc(dir string) (*yaml.Node, error) {
	src, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "Pulumi.yaml"), err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a YAML mapping", filepath.Join(dir, "Pulumi.yaml"))
	}
	return &doc, nil
}

// WriteShadow is writeShadow, for tools and tests that run the CLI on a prebuilt program.
func WriteShadow(dir, shadow, binary string) error { return writeShadow(dir, shadow, binary) }

// writeShadow copies the project's Pulumi.yaml into shadow with the runtime set to the prebuilt
// binary and relative plugin paths made absolute, and copies the stack files.
func writeShadow(dir, shadow, binary string) error {
	doc, err := readProjectDoc(dir)
	if err != nil {
		return err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	m := doc.Content[0]
	scalar := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	runtime := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		scalar("name"), scalar("go"),
		scalar("options"), {Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("binary"), scalar(binary)}},
	}}
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch m.Content[i].Value {
		case "runtime":
			m.Content[i+1] = runtime
		case "main":
			m.Content[i+1] = scalar(".")
		case "plugins":
			for _, kind := range m.Content[i+1].Content {
				for _, p := range kind.Content {
					if path := config.MapValue(p, "path"); path != nil && !filepath.IsAbs(path.Value) {
						path.Value = filepath.Join(absDir, path.Value)
					}
				}
			}
		}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(shadow, "Pulumi.yaml"), out, 0o644); err != nil {
		return err
	}
	stacks, err := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	if err != nil {
		return err
	}
	for _, f := range stacks {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(shadow, filepath.Base(f)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
