package runbook

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/cost"
)

// Capture runs program for both stacks under Pulumi's mock monitor with the project's config in
// dir, each key in overrides replacing the file's value ("" removes the key), the home stack first (the other stack
// reads its outputs). It validates the config of both stacks before running anything.
func Capture(program pulumi.RunFunc, dir string, overrides map[string]string) (map[string]*capture.Result, error) {
	raw := map[string]map[string]string{}
	home := ""
	for _, s := range config.Stacks() {
		r, err := capture.ProjectConfig(dir, s)
		if err != nil {
			return nil, err
		}
		for k, v := range overrides {
			if v == "" {
				delete(r, k)
				continue
			}
			r[k] = v
		}
		c, err := config.Parse(s, r)
		if err != nil {
			return nil, err
		}
		raw[s], home = r, config.StackFor(c.HomeRegion)
	}
	res, err := runBoth(program, raw, home, nil)
	if err != nil {
		return nil, fmt.Errorf("running the program: %w", err)
	}
	return res, nil
}

// Costs prices both stacks of a capture, in stack order (osaka, tokyo).
func Costs(res map[string]*capture.Result) []cost.Estimate {
	var out []cost.Estimate
	for _, s := range config.Stacks() {
		var others []*capture.Result
		for _, o := range config.Stacks() {
			if o != s && res[o] != nil {
				others = append(others, res[o])
			}
		}
		out = append(out, cost.ForStack(s, config.RegionFor(s), res[s], others...))
	}
	return out
}

// CostChange is the monthly cost of one stack before and after a config change.
type CostChange struct {
	Stack         string
	Before, After float64
}

// costChanges compares the estimates of two captures; it is empty when no stack's total moves
// by a cent or more.
func costChanges(before, after map[string]*capture.Result) []CostChange {
	a, b := Costs(before), Costs(after)
	var out []CostChange
	moved := false
	for i := range a {
		c := CostChange{Stack: a[i].Stack, Before: a[i].Total(), After: b[i].Total()}
		if d := c.After - c.Before; d >= 0.005 || d <= -0.005 {
			moved = true
		}
		out = append(out, c)
	}
	if !moved {
		return nil
	}
	return out
}
