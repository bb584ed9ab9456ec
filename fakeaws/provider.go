// Package fakeaws is a recording stand-in for the pulumi-aws provider plugin, for running the
// real program through the real Pulumi engine where the AWS plugin cannot be built or used
// (tests, drills without an account). It speaks the raw provider gRPC protocol, so it accepts
// every aws resource type and data source without a schema. Check fills the provider's
// defaults and refuses what it refuses; the state is the inputs as AWS reads them back, with
// plausible computed outputs (ARNs, ids, endpoints in AWS's per-region formats) that are stable
// across runs, and what the emulators report (state.go). Diff compares that state with the new
// inputs as the bridged provider does and reports a replacement exactly where AWS replaces
// (ForceNew, one cited table covering every type the program registers), so a change or a
// read-back that would replace something on AWS shows up as a replacement here too.
// docs/fakeaws.md says what is modelled and what is not. Every engine call is appended to a
// JSON-lines file (LogEnv) for tests to assert on.
package fakeaws

import (
	"context"
	"fmt"
	"os"

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
	if err := route53Refused(req.Tok); err != nil {
		return nil, err
	}
	res := invoke(req.Tok, region, args)
	if req.Tok == "aws:route53/getZone:getZone" && str(args, "zoneId") == "" {
		// With the world on, the zone the home stack created (and mirrored) is the one found.
		if id := p.createdZone(); id != "" {
			res["zoneId"], res["id"] = resource.NewProperty(id), resource.NewProperty(id)
		}
	}
	if req.Tok == "aws:secretsmanager/getSecretVersion:getSecretVersion" {
		// With the world on, a secret that exists in the emulator (an adopted cluster's
		// password) reads back as it is stored there.
		if v, arn := worldSecret(context.Background(), region, str(args, "secretId")); arn != "" {
			res["secretString"], res["arn"] = resource.NewProperty(v), resource.NewProperty(arn)
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

func (p *Provider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if err := route53Refused(req.Type); err != nil && !req.Preview {
		return nil, err
	}
	in, err := unmarshal(req.Properties)
	if err != nil {
		return nil, err
	}
	id, extra := computed(req.Type, req.Urn, req.Name, p.region, in)
	outs := readBack(req.Type, p.region, in)
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

// Read returns the state, with what the world (the emulators) reports now for the resources it
// holds: a refresh shows what changed out of band, such as a switchover's new datastore primary.
// A read without state is an import: the resource is read from the world (importread.go).
func (p *Provider) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	p.rec.add(Record{Op: "read", Type: req.Type, URN: req.Urn, ID: req.Id, Region: p.region})
	if err := route53Refused(req.Type); err != nil {
		return nil, err
	}
	if isImport(req) {
		return p.importRead(ctx, req)
	}
	state, err := unmarshal(req.Properties)
	if err != nil {
		return nil, err
	}
	world, err := readWorld(ctx, req.Type, req.Id, p.region, state)
	if err != nil {
		return nil, err
	}
	if len(world) == 0 {
		return &pulumirpc.ReadResponse{Id: req.Id, Properties: req.Properties, Inputs: req.Inputs}, nil
	}
	for k, v := range world {
		state[k] = v
	}
	s, err := marshal(state)
	return &pulumirpc.ReadResponse{Id: req.Id, Properties: s, Inputs: req.Inputs}, err
}

// Update applies the new inputs, read back as AWS reports them, and keeps the computed outputs
// (an update never changes an ARN) and what the world owns (inherited).
func (p *Provider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	if err := route53Refused(req.Type); err != nil && !req.Preview {
		return nil, err
	}
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
	outs := readBack(req.Type, p.region, news)
	for _, k := range inherited(req.Type, news) {
		if v, ok := olds[k]; ok {
			outs[k] = v
		}
	}
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
	if err := route53Refused(req.Type); err != nil {
		return nil, err
	}
	p.rec.add(Record{Op: "delete", Type: req.Type, URN: req.Urn, ID: req.Id, Region: p.region})
	return &emptypb.Empty{}, nil
}

func (p *Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (p *Provider) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
