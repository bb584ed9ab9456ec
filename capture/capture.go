// Package capture runs a Pulumi program under the SDK's mock monitor and records every resource
// it registers (type, name, inputs, options) and every stack output, so tests, policies and
// `drctl plan` can reason about what the program would do without a cloud account.
package capture

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Resource is one registered resource as the engine would see it.
type Resource struct {
	Type           string
	Name           string
	URN            string
	Parent         string // URN of the parent
	Custom         bool   // false for component resources
	Inputs         resource.PropertyMap
	Protect        bool
	RetainOnDelete bool
	IgnoreChanges  []string
	DependsOn      []string
	Provider       string // the explicit provider reference ("<urn>::<id>"), "" for the default
	ImportID       string // the id of an existing resource the program imports (the import option)
}

// Key identifies a resource independently of run order.
func (r Resource) Key() string { return r.Type + "::" + r.Name }

// Result is everything one run registered.
type Result struct {
	Resources []Resource // sorted by Key
	Outputs   map[string]any
	Region    string   // aws:region of the run
	Calls     []string // data-source tokens the program invoked, in order
}

// Options describe the run.
type Options struct {
	Project string
	Stack   string
	Config  map[string]string
	// StackOutputs are the outputs other stacks expose to StackReferences, by stack name.
	// A stack not listed reads as created but never deployed (no outputs).
	StackOutputs map[string]map[string]any
}

// Run runs program under mocks and returns what it registered. A program error is returned as is.
func Run(program pulumi.RunFunc, opts Options) (*Result, error) {
	m := &monitor{region: opts.Config["aws:region"], stackOutputs: opts.StackOutputs}
	res := &Result{Outputs: map[string]any{}, Region: opts.Config["aws:region"]}
	var mu sync.Mutex
	wrapped := func(ctx *pulumi.Context) error {
		if err := program(ctx); err != nil {
			return err
		}
		// Resolve every export before returning: the SDK does not wait for applies made here.
		exports := ctx.GetCurrentExportMap()
		done := make(chan struct{}, len(exports))
		for name, v := range exports {
			name := name
			pulumi.ToOutputWithContext(ctx.Context(), v).ApplyT(func(x any) any {
				mu.Lock()
				res.Outputs[name] = plain(x)
				mu.Unlock()
				done <- struct{}{}
				return x
			})
		}
		timeout := time.After(time.Minute)
		for range exports {
			select {
			case <-done:
			case <-timeout:
				return fmt.Errorf("capture: stack outputs did not resolve within a minute")
			}
		}
		return nil
	}
	withConfig := func(info *pulumi.RunInfo) { info.Config = opts.Config }
	err := pulumi.RunErr(wrapped, pulumi.WithMocks(opts.Project, opts.Stack, m), withConfig)
	res.Resources = m.sorted()
	m.mu.Lock()
	res.Calls = append([]string(nil), m.calls...)
	m.mu.Unlock()
	return res, err
}

// Find returns the resources of a type.
func (r *Result) Find(typ string) []Resource {
	var out []Resource
	for _, x := range r.Resources {
		if x.Type == typ {
			out = append(out, x)
		}
	}
	return out
}

// Get returns the resource with the given type and name.
func (r *Result) Get(typ, name string) (Resource, bool) {
	for _, x := range r.Resources {
		if x.Type == typ && x.Name == name {
			return x, true
		}
	}
	return Resource{}, false
}

type monitor struct {
	mu           sync.Mutex
	region       string
	stackOutputs map[string]map[string]any
	resources    []Resource
	calls        []string
}

func (m *monitor) sorted() []Resource {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := append([]Resource(nil), m.resources...)
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

func (m *monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := Resource{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Protect = rpc.GetProtect()
		r.RetainOnDelete = rpc.GetRetainOnDelete()
		r.IgnoreChanges = rpc.GetIgnoreChanges()
		r.DependsOn = rpc.GetDependencies()
		r.Provider = rpc.GetProvider()
		r.ImportID = rpc.GetImportId()
	}
	m.mu.Lock()
	m.resources = append(m.resources, r)
	m.mu.Unlock()

	if args.TypeToken == "pulumi:pulumi:StackReference" {
		name := args.Inputs["name"].StringValue()
		outs := m.stackOutputs[stackOf(name)]
		state := resource.NewPropertyMapFromMap(map[string]any{
			"name": name, "outputs": outs, "secretOutputNames": []string{},
		})
		return name, state, nil
	}
	state := args.Inputs.Copy()
	arn := MockArn(m.region, args.Name)
	assigned := map[string]string{"arn": arn, "name": args.Name, "dnsName": args.Name + ".example.com"}
	if f := AssignedOutputs[args.TypeToken]; f != nil {
		for k, v := range f(Resource{Inputs: args.Inputs}) {
			assigned[k] = v
		}
	}
	for k, v := range assigned {
		if _, ok := state[resource.PropertyKey(k)]; !ok {
			state[resource.PropertyKey(k)] = resource.NewStringProperty(v)
		}
	}
	return ID(r), state, nil
}

// ID is the physical id the mock gives a resource: its name with "-id". Inputs that reference a
// resource's id (a route's routeTableId, a service's subnets) hold this string.
func ID(r Resource) string { return r.Name + "-id" }

func (m *monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.calls = append(m.calls, args.Token)
	m.mu.Unlock()
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": "123456789012", "arn": "arn:aws:iam::123456789012:user/mock", "userId": "mock",
		}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com"}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{"name": m.region, "id": m.region}), nil
	case "aws:route53/getZone:getZone":
		// A Route 53 control-plane call (us-east-1): the program must build without one.
		return nil, fmt.Errorf("capture: %s is a Route 53 control-plane call; the program must make none while it builds", args.Token)
	case "aws:secretsmanager/getSecretVersion:getSecretVersion":
		return resource.NewPropertyMapFromMap(map[string]any{"secretString": "mock-secret-value", "arn": "arn:aws:secretsmanager:" + m.region + ":123456789012:secret:mock"}), nil
	}
	return args.Args, nil
}

// MockArn is the ARN the mock gives every resource: arn:aws:mock:<region>:<account>:<name>.
func MockArn(region, name string) string {
	return fmt.Sprintf("arn:aws:mock:%s:123456789012:%s", region, name)
}

// plain turns named string types (pulumi.ID, pulumi.URN) into strings, so outputs compare simply.
func plain(x any) any {
	if v := reflect.ValueOf(x); v.IsValid() && v.Kind() == reflect.String {
		return v.String()
	}
	return x
}

// stackOf takes the stack name out of "org/project/stack".
func stackOf(fqn string) string {
	for i := len(fqn) - 1; i >= 0; i-- {
		if fqn[i] == '/' {
			return fqn[i+1:]
		}
	}
	return fqn
}
