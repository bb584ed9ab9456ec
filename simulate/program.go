package simulate

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/stacks"
)

// The simulation runs the repo's real program (stacks.Program) under
// Pulumi's mock monitor, as `drctl plan` does, to learn what each `pulumi up`
// changes and in which order: a resource operation starts once every
// resource it depends on (its own dependencies, its parents' and, for a
// component, all its children) has finished.

// sampleHome stands in for home stack outputs the mock cannot produce.
var sampleHome = map[string]any{
	runbook.OutBucketName:         "agm-dr-site-123456789012-" + config.Tokyo,
	runbook.OutCacheGlobalID:      "ldgnf-agm-dr-sessions",
	runbook.OutAuroraGlobalWriter: "agm-dr-global.global-abc123.global.rds.amazonaws.com",
}

var captures sync.Map // key → map[stack]*capture.Result

// programs is the project's config and the captured program runs.
type programs struct {
	dir string
	raw map[string]map[string]string // stack → config as `pulumi up` passes it
	cfg map[string]config.Config
}

func loadPrograms(dir string) (*programs, error) {
	p := &programs{dir: dir, raw: map[string]map[string]string{}, cfg: map[string]config.Config{}}
	for _, s := range config.Stacks() {
		raw, err := capture.ProjectConfig(dir, s)
		if err != nil {
			return nil, err
		}
		c, err := config.Parse(s, raw)
		if err != nil {
			return nil, err
		}
		p.raw[s], p.cfg[s] = raw, c
	}
	return p, nil
}

// run captures both stacks with primaryRegion = primary and the given mode.
func (p *programs) run(primary string, mode config.Mode) (map[string]*capture.Result, error) {
	key := fmt.Sprintf("%s|%s|%s", p.dir, primary, mode)
	if v, ok := captures.Load(key); ok {
		return v.(map[string]*capture.Result), nil
	}
	home := config.StackFor(p.cfg[config.TokyoStack].HomeRegion)
	peer := config.StackFor(config.Peer(config.RegionFor(home)))
	sw := p.cfg[home].Switchover
	sw.Mode = mode
	swJSON := fmt.Sprintf(`{"mode":%q,"rpoBudgetSeconds":%d,"timeoutSeconds":%d,"pollSeconds":%d,"rtoTargetMinutes":%d}`,
		sw.Mode, sw.RpoBudgetSeconds, sw.TimeoutSeconds, sw.PollSeconds, sw.RtoTargetMinutes)
	// README's bring-up: home, then the peer (it requests the VPC peering towards home's VPC),
	// then home again (it accepts the connection and learns the peer's cache endpoint). Each
	// run reads the outputs of the other stack's last run, as a StackReference does.
	outs := map[string]map[string]any{peer: {runbook.OutBucketName: "agm-dr-site-123456789012-" + config.RegionFor(peer)}, home: maps.Clone(sampleHome)}
	res := map[string]*capture.Result{}
	for _, s := range []string{home, peer, home} {
		c := maps.Clone(p.raw[s])
		c[config.KeyPrimaryRegion] = primary
		c[config.KeySwitchover] = swJSON
		r, err := capture.Run(stacks.Program, capture.Options{Project: config.Namespace, Stack: s, Config: c, StackOutputs: outs})
		if err != nil {
			return nil, fmt.Errorf("running the program of stack %s (primaryRegion %s): %w", s, primary, err)
		}
		res[s] = r
		for k, v := range r.Outputs {
			if sv, ok := v.(string); ok && sv != "" {
				outs[s][k] = sv
			}
		}
	}
	captures.Store(key, res)
	return res, nil
}

// graph is one capture's dependency graph.
type graph struct {
	byURN    map[string]capture.Resource
	children map[string][]string
}

// newGraph indexes a capture by URN (the mock monitor does not report
// URNs, so they are derived from the parent's type as the engine does).
func newGraph(stack string, r *capture.Result) *graph {
	g := &graph{byURN: map[string]capture.Resource{}, children: map[string][]string{}}
	for _, x := range r.Resources {
		x.URN = urnOf(stack, x)
		g.byURN[x.URN] = x
		if x.Parent != "" {
			g.children[x.Parent] = append(g.children[x.Parent], x.URN)
		}
	}
	return g
}

func urnOf(stack string, r capture.Resource) string {
	if r.URN != "" {
		return r.URN
	}
	var parent tokens.Type
	if r.Parent != "" {
		if qt := resource.URN(r.Parent).QualifiedType(); qt != "pulumi:pulumi:Stack" {
			parent = tokens.Type(qt)
		}
	}
	return string(resource.NewURN(tokens.QName(stack), tokens.PackageName(config.Namespace), parent, tokens.Type(r.Type), r.Name))
}

// deps is every resource that must finish before urn starts.
func (g *graph) deps(urn string) map[string]bool {
	out := map[string]bool{}
	var visit func(string)
	expand := func(u string) {
		// A dependency on a component waits for all of its children.
		stack := []string{u}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if out[x] {
				continue
			}
			out[x] = true
			visit(x)
			stack = append(stack, g.children[x]...)
		}
	}
	visit = func(u string) {
		r, ok := g.byURN[u]
		if !ok {
			return
		}
		for _, d := range r.DependsOn {
			expand(d)
		}
		if r.Parent != "" {
			// A child waits for what its parent waits for.
			if p, ok := g.byURN[r.Parent]; ok {
				for _, d := range p.DependsOn {
					expand(d)
				}
				visit(r.Parent)
			}
		}
	}
	visit(urn)
	delete(out, urn)
	return out
}

// equalInputs compares two resources' inputs.
func equalInputs(a, b resource.PropertyMap) bool {
	return a.DeepEquals(b)
}

// sentInputs are the inputs `pulumi up` compares and sends: those the
// program does not cover with ignoreChanges (read from the captured program).
func sentInputs(r capture.Resource, in resource.PropertyMap) resource.PropertyMap {
	if len(r.IgnoreChanges) == 0 {
		return in
	}
	out := resource.PropertyMap{}
	for k, v := range in {
		if !capture.Ignored(r, string(k)) {
			out[k] = v
		}
	}
	return out
}

// name is a short label for a resource.
func name(r capture.Resource) string {
	t := r.Type
	if i := strings.LastIndex(t, ":"); i >= 0 {
		t = t[i+1:]
	}
	return r.Name + " (" + t + ")"
}

// sortedKeys orders a map's keys, for determinism.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// withoutRemoved drops the dependencies a scenario removed (OffCacheOrder,
// OffTrafficLast) from a resource's dependency set.
func (d *deployment) withoutRemoved(typ string, g *graph, deps map[string]bool) map[string]bool {
	var drop []string
	switch {
	case typ == typeCachePrimary && d.w.mechanismOff(OffCacheOrder):
		drop = []string{typeAuroraWriter}
	case typ == typeTraffic && d.w.mechanismOff(OffTrafficLast):
		drop = []string{typeAuroraWriter, typeCachePrimary}
	}
	for u := range deps {
		if slices.Contains(drop, g.byURN[u].Type) {
			delete(deps, u)
		}
	}
	return deps
}
