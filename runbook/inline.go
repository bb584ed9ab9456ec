package runbook

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/config"
)

// InlineOptions describe a project whose stacks run Go programs in this process (Automation
// API inline programs): drills against an emulator, and the end-to-end test.
type InlineOptions struct {
	Project  string                       // project name
	Programs map[string]pulumi.RunFunc    // stack → program
	Config   map[string]map[string]string // stack → stack config (e.g. aws:region)
	Env      map[string]string            // PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, AWS_*
	// Providers maps a provider plugin name to the directory holding its binary
	// (e.g. "agmdr" → <repo>/bin), as Pulumi.yaml's plugins.providers does.
	Providers map[string]string
	// Primary and Switchover are the project-level settings the real project keeps in
	// Pulumi.yaml; SetPrimary changes them.
	Primary    string
	Switchover config.Switchover
}

// Inline is a Workspace over inline programs plus the Project holding primaryRegion. The
// project-level settings are written into a stack's config just before each operation on it,
// as the CLI reads Pulumi.yaml when it runs: a stack not operated on is not touched.
type Inline struct {
	*Workspace
	mu   sync.Mutex
	opts InlineOptions
}

// NewInline returns the inline project. Stacks are created on first use.
func NewInline(o InlineOptions) *Inline {
	in := &Inline{opts: o}
	proj := workspace.Project{Name: tokens.PackageName(o.Project), Runtime: workspace.NewProjectRuntimeInfo("go", nil)}
	if len(o.Providers) > 0 {
		proj.Plugins = &workspace.Plugins{}
		for name, dir := range o.Providers {
			proj.Plugins.Providers = append(proj.Plugins.Providers, workspace.PluginOptions{Name: name, Path: dir})
		}
	}
	in.Workspace = &Workspace{
		open: func(ctx context.Context, stack string) (auto.Stack, error) {
			prog, ok := o.Programs[stack]
			if !ok {
				return auto.Stack{}, fmt.Errorf("no program for stack %s", stack)
			}
			s, err := auto.UpsertStackInlineSource(ctx, stack, o.Project, prog, auto.Project(proj), auto.EnvVars(o.Env))
			if err != nil {
				return auto.Stack{}, fmt.Errorf("creating inline stack %s: %w", stack, err)
			}
			return s, nil
		},
		prepare: in.writeConfig,
	}
	return in
}

func (in *Inline) writeConfig(ctx context.Context, s auto.Stack) error {
	in.mu.Lock()
	sw, err := json.Marshal(in.opts.Switchover)
	m := auto.ConfigMap{config.KeyPrimaryRegion: {Value: in.opts.Primary}, config.KeySwitchover: {Value: string(sw)}}
	in.mu.Unlock()
	if err != nil {
		return fmt.Errorf("encoding the switchover settings: %w", err)
	}
	for k, v := range in.opts.Config[s.Name()] {
		m[k] = auto.ConfigValue{Value: v}
	}
	if err := s.SetAllConfig(ctx, m); err != nil {
		return fmt.Errorf("writing config: %w", err)
	}
	return nil
}

// Primary implements Project.
func (in *Inline) Primary(context.Context) (string, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.opts.Primary, nil
}

// SetPrimary implements Project.
func (in *Inline) SetPrimary(_ context.Context, region string, mode config.Mode) (bool, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	changed := in.opts.Primary != region || in.opts.Switchover.Mode != mode
	in.opts.Primary, in.opts.Switchover.Mode = region, mode
	return changed, nil
}
