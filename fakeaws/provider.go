// Package fakeaws is a recording stand-in for the pulumi-aws provider plugin, for running the
// real program through the real Pulumi engine where the AWS plugin cannot be built or used
// (tests, drills without an account). It speaks the raw provider gRPC protocol, so it accepts
// every aws resource type and data source without a schema: inputs are echoed as outputs, with
// plausible computed outputs (ARNs, ids, endpoints) that are stable across runs. Diff reports a
// replacement exactly for the properties AWS replaces on (ForceNew, one cited table), so a
// change that would replace something on AWS shows up as a replacement here too. Every engine
// call is appended to a JSON-lines file (LogEnv) for tests to assert on.
package fakeaws

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Version is the pulumi-aws version the fake answers as: the SDK version in go.mod, which is
// the plugin version the program's resources ask the engine for (a test checks they match).
const Version = "6.83.4"

// Provider is the fake aws provider server.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer
	region string
	rec    *recorder
}

// New returns a provider recording to the file named by LogEnv.
func New() *Provider { return &Provider{rec: &recorder{path: os.Getenv(LogEnv)}} }

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, opts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, opts)
}

func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":"aws","version":%q}`, Version)}, nil
}

func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.News}, nil
}

func (p *Provider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *Provider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	if args, err := unmarshal(req.Args); err == nil {
		p.region = str(args, "region")
	}
	if p.region == "" {
		p.region = req.Variables["aws:config:region"]
	}
	p.rec.add(Record{Op: "configure", Region: p.region})
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: true}, nil
}

func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := unmarshal(req.Args)
	if err != nil {
		return nil, err
	}
	region := p.region
	if r := str(args, "region"); r != "" && req.Tok != "aws:index/getRegion:getRegion" {
		region = r
	}
	p.rec.add(Record{Op: "invoke", Token: req.Tok, Region: region})
	res := invoke(req.Tok, region, args)
	if req.Tok == "aws:route53/getZone:getZone" && str(args, "zoneId") == "" {
		// With the world on, the zone the home stack created (and mirrored) is the one found.
		if id := p.createdZone(); id != "" {
			res["zoneId"], res["id"] = resource.NewProperty(id), resource.NewProperty(id)
		}
	}
	out, err := marshal(res)
	return &pulumirpc.InvokeResponse{Return: out}, err
}

// createdZone is the id of the last hosted zone this fake created in the emulator, from its
// records (each stack runs its own provider process), "" when the world is off.
func (p *Provider) createdZone() string {
	if os.Getenv(WorldEnv) != "1" || p.rec.path == "" {
		return ""
	}
	recs, err := ReadRecords(p.rec.path)
	if err != nil {
		return ""
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if r := recs[i]; r.Op == "create" && !r.Preview && r.Type == "aws:route53/zone:Zone" {
			return r.ID
		}
	}
	return ""
}

func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	p.rec.add(Record{Op: "check", Type: req.Type, URN: req.Urn, Region: p.region})
	return &pulumirpc.CheckResponse{Inputs: req.News}, nil
}

// Diff compares the new inputs with the old ones, top-level property by property, and marks a
// change of a ForceNew property as a replacement.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.OldInputs)
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 { // an engine that does not send old inputs: compare on the new keys only
		if olds, err = unmarshal(req.Olds); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	ignore := map[string]bool{}
	for _, path := range req.IgnoreChanges {
		ignore[topLevel(path)] = true
	}
	keys := map[resource.PropertyKey]bool{}
	for k := range news {
		keys[k] = true
	}
	if len(req.OldInputs.GetFields()) > 0 {
		for k := range olds {
			keys[k] = true
		}
	}
	res := &pulumirpc.DiffResponse{DetailedDiff: map[string]*pulumirpc.PropertyDiff{}, HasDetailedDiff: true}
	var changed, replaces []string
	for k := range keys {
		name := string(k)
		if ignore[name] || k == "__defaults" {
			continue
		}
		o, hadOld := olds[k]
		n, hasNew := news[k]
		if hadOld && hasNew && o.DeepEquals(n) && !n.ContainsUnknowns() {
			continue
		}
		if !hadOld && hasNew && n.IsNull() || hadOld && !hasNew && o.IsNull() {
			continue
		}
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case !hadOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if Replaces(req.Type, name) {
			kind++ // ADD → ADD_REPLACE, DELETE → DELETE_REPLACE, UPDATE → UPDATE_REPLACE
			replaces = append(replaces, name)
		}
		changed = append(changed, name)
		res.DetailedDiff[name] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	sort.Strings(changed)
	sort.Strings(replaces)
	res.Diffs, res.Replaces = changed, replaces
	res.Changes = pulumirpc.DiffResponse_DIFF_NONE
	if len(changed) > 0 {
		res.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	p.rec.add(Record{Op: "diff", Type: req.Type, URN: req.Urn, ID: req.Id, Region: p.region, Changed: changed, Replaces: replaces})
	return res, nil
}

func (p *Provider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	in, err := unmarshal(req.Properties)
	if err != nil {
		return nil, err
	}
	id, extra := computed(req.Type, req.Urn, req.Name, p.region, in)
	outs := in.Copy()
	for k, v := range extra {
		if _, ok := outs[k]; !ok {
			outs[k] = v
		}
	}
	if !req.Preview {
		world, err := mirror(ctx, req.Type, req.Name, p.region, in)
		if err != nil {
			return nil, err
		}
		for k, v := range world {
			outs[k] = v
		}
		if z := str(world, "zoneId"); z != "" {
			id = z // a hosted zone's id is its zone id
		}
		if w := str(world, worldID); w != "" {
			id = w // the emulator decided the id (a peering connection's pcx-...)
			delete(outs, worldID)
		}
	}
	p.rec.add(Record{Op: "create", Type: req.Type, URN: req.Urn, ID: id, Region: p.region, Preview: req.Preview})
	s, err := marshal(outs)
	if req.Preview {
		id = ""
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: s}, err
}

func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	p.rec.add(Record{Op: "read", Type: req.Type, URN: req.Urn, ID: req.Id, Region: p.region})
	return &pulumirpc.ReadResponse{Id: req.Id, Properties: req.Properties, Inputs: req.Inputs}, nil
}

// Update applies the new inputs and keeps the computed outputs (an update never changes an ARN).
func (p *Provider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, err := unmarshal(req.Olds)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	oldIn, err := unmarshal(req.OldInputs)
	if err != nil {
		return nil, err
	}
	if !req.Preview {
		if err := mirrorUpdate(ctx, req.Type, req.Name, p.region, news); err != nil {
			return nil, err
		}
	}
	outs := news.Copy()
	for k, v := range olds {
		if _, isInput := oldIn[k]; !isInput {
			if _, ok := outs[k]; !ok {
				outs[k] = v
			}
		}
	}
	p.rec.add(Record{Op: "update", Type: req.Type, URN: req.Urn, ID: req.Id, Region: p.region, Preview: req.Preview})
	s, err := marshal(outs)
	return &pulumirpc.UpdateResponse{Properties: s}, err
}

func (p *Provider) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	p.rec.add(Record{Op: "delete", Type: req.Type, URN: req.Urn, ID: req.Id, Region: p.region})
	return &emptypb.Empty{}, nil
}

func (p *Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (p *Provider) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
