package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"gopkg.in/yaml.v3"

	"github.com/agm-dr/agm-dr/adopt"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/policy"
	"github.com/agm-dr/agm-dr/runbook"
)

// previewPlan runs `pulumi preview` on the stack (Automation API) and returns every step the
// engine planned.
func previewPlan(ctx context.Context, s auto.Stack) ([]adopt.PlanStep, error) {
	ch := make(chan events.EngineEvent)
	var steps []adopt.PlanStep
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range ch { // the Automation API closes the channel when the preview ends
			if ev.ResourcePreEvent != nil {
				m := ev.ResourcePreEvent.Metadata
				steps = append(steps, adopt.PlanStep{URN: m.URN, Type: m.Type, Op: string(m.Op)})
			}
		}
	}()
	_, err := s.Preview(ctx, optpreview.EventStreams(ch))
	<-done
	if err != nil {
		return nil, fmt.Errorf("pulumi preview -s %s: %w", s.Name(), err)
	}
	return steps, nil
}

// verifyImport previews the stack and refuses a plan that replaces or deletes a data resource
// (policy.DataTypes) or deletes anything: the gate before the import's `pulumi up`.
func verifyImport(ctx context.Context, w io.Writer, s auto.Stack) error {
	fmt.Fprintf(w, "Previewing stack %s (the import plan) ...\n", s.Name())
	steps, err := previewPlan(ctx, s)
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	n := adopt.CountOps(steps)
	ops := make([]string, 0, len(n))
	for op := range n {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		fmt.Fprintf(w, "  %-20s %d\n", op, n[op])
	}
	if err := adopt.RefuseDataChanges(steps, func(typ string) bool { return policy.DataTypes[typ] }); err != nil {
		return &exitError{code: exitNotReady, err: err}
	}
	fmt.Fprintln(w, "The plan replaces and deletes no data resource and deletes nothing: run `pulumi up` on it.")
	return nil
}

// writeAdopted sets agm-dr:adopted in the stack's file (Pulumi.<stack>.yaml), keeping the rest of
// the file, and reports whether it changed: the home stack then imports those resources.
func writeAdopted(dir, stack string, a config.Adopted) (bool, error) {
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	src, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return false, err
	}
	var doc yaml.Node
	if len(src) > 0 {
		if err := yaml.Unmarshal(src, &doc); err != nil {
			return false, fmt.Errorf("%s: %w", path, err)
		}
	}
	if len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	root := doc.Content[0]
	cfg := mappingValue(root, "config")
	raw, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return false, err
	}
	var value yaml.Node
	if err := value.Encode(m); err != nil {
		return false, err
	}
	if old := mappingValue(cfg, config.KeyAdopted); old.Kind == yaml.MappingNode {
		var was map[string]any
		if err := old.Decode(&was); err == nil && reflect.DeepEqual(was, m) {
			return false, nil
		}
	}
	*mappingValue(cfg, config.KeyAdopted) = value
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return false, err
	}
	return true, os.WriteFile(path, out, 0o644)
}

// mappingValue is the value node of key in the mapping m, added (as an empty mapping) when absent.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	v := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v
}

// importExisting is the import step: it reads what the home stack needs (adopt.Read), writes
// agm-dr:adopted into the stack's file, previews the stack with the program compiled once and
// refuses a plan that replaces or deletes a data resource (verifyImport), then runs `pulumi up`
// on it, showing the engine's progress. Re-run after an interruption, it does the same: the
// imports already done are no longer imports, and the rest of the plan is applied.
func importExisting(ctx context.Context, w io.Writer, dir, stack string, c adopt.Clients, e adopt.Existing, t adopt.Target) error {
	a, err := adopt.Read(ctx, c, e, t)
	if err != nil {
		return adoptError(err)
	}
	changed, err := writeAdopted(dir, stack, a)
	if err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("writing %s: %w", config.KeyAdopted, err)}
	}
	fmt.Fprintf(w, "  %-18s %-12s %s in Pulumi.%s.yaml (cluster %s, instances %s, group %s in %s)\n", "import config",
		map[bool]string{true: "done now", false: "already done"}[changed], config.KeyAdopted, stack,
		a.Cluster, strings.Join(a.ClusterInstances, ","), a.ReplicationGroup, a.CacheGlobalID)
	fmt.Fprintln(w, "Compiling the program once (the preview and the up use it) ...")
	bin, _, err := runbook.BuildProgram(ctx, dir)
	if err != nil {
		return &exitError{code: exitNotReady, err: fmt.Errorf("the program does not compile; nothing was imported: %w", err)}
	}
	s, err := runbook.OpenShadow(ctx, dir, bin, stack, nil)
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	if err := verifyImport(ctx, w, s); err != nil {
		return err
	}
	fmt.Fprintf(w, "pulumi up -s %s (imports the existing resources, then updates them in place) ...\n", stack)
	if _, err := s.Up(ctx, optup.Color("never"), optup.ProgressStreams(w), optup.ErrorProgressStreams(w)); err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("pulumi up -s %s: %w (run the same command again: the imports done stay done)", stack, err)}
	}
	return nil
}
