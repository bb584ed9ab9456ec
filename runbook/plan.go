package runbook

import (
	"encoding/json"
	"fmt"
	"maps"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/stacks"
)

// switchoverTypes also take a changed mode when the plan's mode differs from the config's.
var switchoverTypes = []string{"agmdr:index:AuroraWriter", "agmdr:index:CachePrimary", "agmdr:index:Capacity", "agmdr:index:Traffic"}

// Allowed reports whether the flip contract allows a change.
func Allowed(c capture.Change, modeChanges bool) bool {
	if c.Kind != "update" {
		return false
	}
	for _, p := range stacks.FlipAllowed[c.Type] {
		if p == c.Property {
			return true
		}
	}
	if modeChanges && c.Property == "mode" {
		for _, t := range switchoverTypes {
			if c.Type == t {
				return true
			}
		}
	}
	return false
}

// Plan is what a switchover to To would change, computed offline under Pulumi's mock monitor.
type Plan struct {
	From, To   string
	Mode       config.Mode
	Targets    config.Switchover
	Stacks     []StackPlan // in update order: the new primary first
	Violations []capture.Change
	Steps      []PlannedStep
	Cost       []CostChange // monthly cost per stack before and after; empty when it does not change
}

// StackPlan is the flip's effect on one stack.
type StackPlan struct {
	Stack, Region      string
	RoleNow, RoleAfter config.Role
	Resources          int // registered by the program
	Changes            []capture.Change
}

// sampleHomeOutputs stand in for the home stack's outputs when the mock run leaves one empty.
var sampleHomeOutputs = map[string]any{
	OutBucketName:         "agm-dr-site-123456789012-" + config.Tokyo,
	OutCacheGlobalID:      "ldgnf-agm-dr-sessions",
	OutAuroraGlobalWriter: "agm-dr-global.global-abc123.global.rds.amazonaws.com",
}

// MakePlan runs program for both stacks with the project's config in dir and with
// primaryRegion set to `to` (and the mode set to mode), and lists the differences. It needs no
// cloud account and no Pulumi CLI.
func MakePlan(program pulumi.RunFunc, dir, to string, mode config.Mode) (Plan, error) {
	if _, ok := stackOf(to); !ok {
		return Plan{}, fmt.Errorf("--to %q: allowed: %s (%s), %s (%s)", to, config.Tokyo, config.TokyoStack, config.Osaka, config.OsakaStack)
	}
	raw := map[string]map[string]string{}
	var cfg config.Config
	for _, s := range config.Stacks() {
		r, err := capture.ProjectConfig(dir, s)
		if err != nil {
			return Plan{}, err
		}
		c, err := config.Parse(s, r)
		if err != nil {
			return Plan{}, err
		}
		raw[s] = r
		if s == config.StackFor(to) {
			cfg = c
		}
	}
	p := Plan{From: cfg.PrimaryRegion, To: to, Mode: mode, Targets: cfg.Switchover}
	modeChanges := mode != cfg.Switchover.Mode
	flip := map[string]string{config.KeyPrimaryRegion: to}
	if modeChanges {
		sw := cfg.Switchover
		sw.Mode = mode
		b, err := json.Marshal(sw)
		if err != nil {
			return Plan{}, fmt.Errorf("encoding the switchover settings: %w", err)
		}
		flip[config.KeySwitchover] = string(b)
	}
	home := config.StackFor(cfg.HomeRegion)
	before, err := runBoth(program, raw, home, nil)
	if err != nil {
		return Plan{}, fmt.Errorf("running the program with the current config: %w", err)
	}
	after, err := runBoth(program, raw, home, flip)
	if err != nil {
		return Plan{}, fmt.Errorf("running the program with primaryRegion %s: %w", to, err)
	}
	for _, s := range []string{config.StackFor(to), config.StackFor(config.Peer(to))} {
		sp := StackPlan{Stack: s, Region: config.RegionFor(s), RoleNow: role(s, cfg.PrimaryRegion), RoleAfter: role(s, to),
			Resources: len(after[s].Resources), Changes: capture.Diff(before[s], after[s])}
		for _, c := range sp.Changes {
			if !Allowed(c, modeChanges) {
				p.Violations = append(p.Violations, c)
			}
		}
		p.Stacks = append(p.Stacks, sp)
	}
	p.Steps = plannedSteps(p)
	p.Cost = costChanges(before, after)
	return p, nil
}

func role(stack, primary string) config.Role {
	if config.RegionFor(stack) == primary {
		return config.RolePrimary
	}
	return config.RoleStandby
}

// runBoth runs the home stack first, then the other stack with the home stack's outputs as
// its StackReference (the peer of the home stack reads as deployed).
func runBoth(program pulumi.RunFunc, raw map[string]map[string]string, home string, overrides map[string]string) (map[string]*capture.Result, error) {
	out := map[string]*capture.Result{}
	order := []string{home, config.StackFor(config.Peer(config.RegionFor(home)))}
	// The peer as after a full bring-up: it requested the VPC peering the home stack accepts.
	peerOuts := map[string]map[string]any{order[1]: {
		OutBucketName:    "agm-dr-site-123456789012-" + config.RegionFor(order[1]),
		OutCacheEndpoint: "master.agm-dr-sessions-" + config.RegionFor(order[1]) + ".sample.cache.amazonaws.com",
		OutPeeringID:     "pcx-0sample",
	}}
	for _, s := range order {
		c := maps.Clone(raw[s])
		maps.Copy(c, overrides)
		res, err := capture.Run(program, capture.Options{Project: config.Namespace, Stack: s, Config: c, StackOutputs: peerOuts})
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", s, err)
		}
		out[s] = res
		if s == home {
			h := maps.Clone(sampleHomeOutputs)
			for k, v := range res.Outputs {
				if sv, ok := v.(string); ok && sv != "" {
					h[k] = sv
				}
			}
			peerOuts[home] = h
		}
	}
	return out, nil
}
