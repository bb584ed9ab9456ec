package simulate

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

type comp struct{ pulumi.ResourceState }

// TestGraphFollowsDependsOnParentsAndComponents: a child waits for what its
// parent waits for, and a dependency on a component waits for its children.
func TestGraphFollowsDependsOnParentsAndComponents(t *testing.T) {
	prog := func(ctx *pulumi.Context) error {
		a := &comp{}
		if err := ctx.RegisterComponentResource("test:index:A", "a", a); err != nil {
			return err
		}
		var leaf pulumi.CustomResourceState
		if err := ctx.RegisterResource("test:index:Leaf", "a-leaf", nil, &leaf, pulumi.Parent(a)); err != nil {
			return err
		}
		// The SDK adds a child to its parent in the child's registration goroutine, so a
		// dependency on a taken before that sees no child (a race under load). Wait for the
		// leaf's registration: this test is about the simulation's expansion, not the SDK's.
		registered := make(chan struct{})
		leaf.URN().ApplyT(func(pulumi.URN) error { close(registered); return nil })
		<-registered
		b := &comp{}
		if err := ctx.RegisterComponentResource("test:index:B", "b", b, pulumi.DependsOn([]pulumi.Resource{a})); err != nil {
			return err
		}
		var child pulumi.CustomResourceState
		return ctx.RegisterResource("test:index:Child", "b-child", nil, &child, pulumi.Parent(b))
	}
	res, err := capture.Run(prog, capture.Options{Project: config.Namespace, Stack: "tokyo"})
	require.NoError(t, err)
	g := newGraph("tokyo", res)
	var childURN, leafURN string
	for u, r := range g.byURN {
		switch r.Name {
		case "b-child":
			childURN = u
		case "a-leaf":
			leafURN = u
		}
	}
	require.NotEmpty(t, childURN)
	deps := g.deps(childURN)
	assert.True(t, deps[leafURN], "b-child must wait for a's child a-leaf (b depends on component a); deps: %v", deps)
	assert.Empty(t, g.deps(leafURN))
}

// TestUpRunsOperationsInTheProgramsDependencyOrder: in every simulated up,
// an operation starts only after each operation it depends on (in the
// captured program) has ended, and some do depend on others.
func TestUpRunsOperationsInTheProgramsDependencyOrder(t *testing.T) {
	res := run(t, scenarios[0])
	progs, err := loadPrograms("..")
	require.NoError(t, err)
	all, err := progs.run(config.Osaka, config.Planned)
	require.NoError(t, err)
	ordered := 0
	for _, l := range res.Legs {
		for _, st := range l.Steps {
			if st.Stack == "" || len(st.Ops) == 0 {
				continue
			}
			g := newGraph(st.Stack, all[st.Stack])
			urn := map[string]string{}
			for u, r := range g.byURN {
				urn[r.Type+"::"+r.Name] = u
			}
			for _, b := range st.Ops {
				deps := g.deps(urn[b.Type+"::"+b.Resource])
				for _, a := range st.Ops {
					if deps[urn[a.Type+"::"+a.Resource]] {
						ordered++
						assert.False(t, b.Start.Before(a.End), "%s started before %s, which it depends on, ended", b.Resource, a.Resource)
					}
				}
			}
		}
	}
	assert.Positive(t, ordered, "no operation depended on another: the order was not tested")
}

// TestEverySwitchoverInputIsSimulated: each input the program gives a
// switchover resource is one the simulation reads (simulate/apply.go).
func TestEverySwitchoverInputIsSimulated(t *testing.T) {
	progs, err := loadPrograms("..")
	require.NoError(t, err)
	all, err := progs.run(config.Osaka, config.Planned)
	require.NoError(t, err)
	seen := 0
	for _, s := range config.Stacks() {
		for _, r := range all[s].Resources {
			if !strings.HasPrefix(r.Type, "agmdr:") {
				continue
			}
			seen++
			read, ok := inputsRead[r.Type]
			require.True(t, ok, "%s: the simulation has no model for this switchover resource type", r.Type)
			for k := range r.Inputs {
				assert.Contains(t, read, string(k), "%s.%s: a new input the simulation does not pass to the engine", r.Type, k)
			}
		}
	}
	assert.Positive(t, seen)
}
