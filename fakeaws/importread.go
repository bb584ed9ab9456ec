package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

// An import (the `import` resource option) reads an existing resource by the id the program
// gives: the engine calls Read with that id and no properties and takes back the id, the
// outputs and the inputs the bridged provider would extract. The fake reads the resource from
// the world (the emulators). The inputs are what the emulator reports of the properties the
// provider extracts as inputs, without schema defaults and zero values (importinputs.go);
// Optional+Computed properties a program omits without a diff on AWS (a replication group's
// globalReplicationGroupId, an Aurora cluster's availabilityZones) are outputs only. The outputs
// hold everything read, plus the computed ones in the formats Create produces.

// imported is what an importer read: the resource's id, its inputs and the outputs that are not
// inputs (ARNs, endpoints). A nil *imported means the emulator does not have it.
type imported struct {
	id      string
	in, out resource.PropertyMap
}

type importer func(ctx context.Context, cfg aws.Config, region, id string) (*imported, error)

// importers are the types the fake can import, by type token.
var importers = map[string]importer{
	"aws:ec2/vpc:Vpc":                         importVpc,
	"aws:ec2/internetGateway:InternetGateway": importInternetGateway,
	"aws:rds/cluster:Cluster":                 importCluster,
	"aws:rds/clusterInstance:ClusterInstance": importInstance,
	"aws:rds/globalCluster:GlobalCluster":     importGlobalCluster,
	typeReplicationGroup:                      importReplicationGroup,
	typeGlobalDatastore:                       importDatastore,
	"aws:ecs/cluster:Cluster":                 importEcsCluster,
	"aws:ecs/service:Service":                 importEcsService,
	"aws:sqs/queue:Queue":                     importQueue,
	"aws:s3/bucketV2:BucketV2":                importBucket,
}

const typeGlobalDatastore = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"

// isImport tells an import read (no state, no inputs) from a refresh.
func isImport(req *pulumirpc.ReadRequest) bool {
	empty := func(s *structpb.Struct) bool { return s == nil || len(s.Fields) == 0 }
	return empty(req.Properties) && empty(req.Inputs)
}

// importRead answers an import read: found, the id, outputs and inputs; not in the emulator, an
// empty response (the engine reports that the resource does not exist).
func (p *Provider) importRead(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	read, ok := importers[req.Type]
	if !ok {
		return nil, fmt.Errorf("fake aws: cannot import %s %s: the fake imports only the types listed in docs/fakeaws.md (Import)", req.Type, req.Id)
	}
	if os.Getenv(WorldEnv) != "1" {
		return nil, fmt.Errorf("fake aws: importing %s %s needs the world (%s=1)", req.Type, req.Id, WorldEnv)
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(p.region))
	if err != nil {
		return nil, fmt.Errorf("fake aws: importing %s %s: %w", req.Type, req.Id, err)
	}
	r, err := read(ctx, cfg, p.region, req.Id)
	if notFound(err) || err == nil && r == nil {
		return &pulumirpc.ReadResponse{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fake aws: importing %s %s: %w", req.Type, req.Id, err)
	}
	in := bridgeInputs(req.Type, r.in)
	_, extra := computed(req.Type, req.Urn, req.Name, p.region, r.in)
	outs := r.in.Copy()
	for k, v := range extra {
		if _, ok := outs[k]; !ok {
			outs[k] = v
		}
	}
	for k, v := range r.out {
		outs[k] = v
	}
	o, err := marshal(outs)
	if err != nil {
		return nil, err
	}
	i, err := marshal(in)
	return &pulumirpc.ReadResponse{Id: r.id, Properties: o, Inputs: i}, err
}

// notFound tells an emulator's "no such resource" from other failures.
func notFound(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		c := api.ErrorCode()
		if strings.Contains(c, "NotFound") || strings.Contains(c, "NonExistent") || strings.Contains(c, "DoesNotExist") {
			return true
		}
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}

// fields collects reported values: set skips nil pointers (what the emulator did not report).
type fields resource.PropertyMap

func (m fields) str(k string, v *string) {
	if v != nil && *v != "" {
		m[resource.PropertyKey(k)] = resource.NewProperty(*v)
	}
}

func (m fields) boolean(k string, v *bool) {
	if v != nil {
		m[resource.PropertyKey(k)] = resource.NewProperty(*v)
	}
}

func (m fields) int(k string, v *int32) {
	if v != nil {
		m[resource.PropertyKey(k)] = resource.NewProperty(float64(*v))
	}
}

func (m fields) strs(k string, v []string) {
	if len(v) > 0 {
		a := make([]resource.PropertyValue, len(v))
		for i, s := range v {
			a[i] = resource.NewProperty(s)
		}
		m[resource.PropertyKey(k)] = resource.NewProperty(a)
	}
}

func importVpc(ctx context.Context, cfg aws.Config, region, id string) (*imported, error) {
	client := ec2.NewFromConfig(cfg)
	res, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}})
	if err != nil || len(res.Vpcs) == 0 {
		return nil, err
	}
	v := res.Vpcs[0]
	in := fields{}
	in.str("cidrBlock", v.CidrBlock)
	in.str("instanceTenancy", aws.String(string(v.InstanceTenancy)))
	out := fields{"arn": resource.NewProperty(fmt.Sprintf("arn:aws:ec2:%s:%s:vpc/%s", region, Account, id))}
	// enableDnsSupport has a schema default (true), so it is an input; enableDnsHostnames is
	// Optional+Computed (terraform-provider-aws vpc.go), an output only.
	for attr, into := range map[ec2types.VpcAttributeName]fields{ec2types.VpcAttributeNameEnableDnsSupport: in, ec2types.VpcAttributeNameEnableDnsHostnames: out} {
		a, err := client.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: attr})
		if err != nil {
			return nil, err
		}
		if attr == ec2types.VpcAttributeNameEnableDnsSupport && a.EnableDnsSupport != nil {
			into.boolean("enableDnsSupport", a.EnableDnsSupport.Value)
		}
		if attr == ec2types.VpcAttributeNameEnableDnsHostnames && a.EnableDnsHostnames != nil {
			into.boolean("enableDnsHostnames", a.EnableDnsHostnames.Value)
		}
	}
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap(out)}, nil
}

// importInternetGateway reads an internet gateway by id: the VPC it is attached to.
func importInternetGateway(ctx context.Context, cfg aws.Config, region, id string) (*imported, error) {
	res, err := ec2.NewFromConfig(cfg).DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{id}})
	if err != nil || len(res.InternetGateways) == 0 {
		return nil, err
	}
	g := res.InternetGateways[0]
	in := fields{}
	if len(g.Attachments) > 0 {
		in.str("vpcId", g.Attachments[0].VpcId)
	}
	out := fields{"arn": resource.NewProperty(fmt.Sprintf("arn:aws:ec2:%s:%s:internet-gateway/%s", region, Account, id))}
	out.str("ownerId", g.OwnerId)
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap(out)}, nil
}

// importEcsCluster reads a cluster by name; its id is its ARN (as the provider's).
func importEcsCluster(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	res, err := ecs.NewFromConfig(cfg).DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{id}})
	if err != nil || len(res.Clusters) == 0 || aws.ToString(res.Clusters[0].Status) == "INACTIVE" {
		return nil, err
	}
	c := res.Clusters[0]
	in := fields{}
	in.str("name", c.ClusterName)
	return &imported{id: aws.ToString(c.ClusterArn), in: resource.PropertyMap(in),
		out: resource.PropertyMap{"arn": resource.NewProperty(aws.ToString(c.ClusterArn))}}, nil
}

// importEcsService reads a service by the provider's import id, cluster-name/service-name; its
// id is its ARN.
func importEcsService(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	cluster, name, ok := strings.Cut(id, "/")
	if !ok {
		return nil, fmt.Errorf("import id %q: want cluster-name/service-name", id)
	}
	res, err := ecs.NewFromConfig(cfg).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{name}})
	if err != nil || len(res.Services) == 0 || aws.ToString(res.Services[0].Status) == "INACTIVE" {
		return nil, err
	}
	s := res.Services[0]
	in := fields{}
	in.str("name", s.ServiceName)
	in.str("cluster", s.ClusterArn)
	in.int("desiredCount", aws.Int32(s.DesiredCount))
	if s.LaunchType != "" {
		in.str("launchType", aws.String(string(s.LaunchType)))
	}
	in.str("taskDefinition", s.TaskDefinition)
	return &imported{id: aws.ToString(s.ServiceArn), in: resource.PropertyMap(in), out: resource.PropertyMap{}}, nil
}

// importQueue reads a queue by its URL.
func importQueue(ctx context.Context, cfg aws.Config, region, id string) (*imported, error) {
	res, err := sqs.NewFromConfig(cfg).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(id),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		return nil, err
	}
	name := id[strings.LastIndex(id, "/")+1:]
	in := fields{"name": resource.NewProperty(name)}
	for attr, prop := range map[string]string{"VisibilityTimeout": "visibilityTimeoutSeconds", "MessageRetentionPeriod": "messageRetentionSeconds"} {
		if v, ok := res.Attributes[attr]; ok {
			in[resource.PropertyKey(prop)] = resource.NewProperty(float64(atoi(v, 0)))
		}
	}
	in.str("kmsMasterKeyId", aws.String(res.Attributes["KmsMasterKeyId"]))
	in.str("redrivePolicy", aws.String(res.Attributes["RedrivePolicy"]))
	arn := res.Attributes["QueueArn"]
	if arn == "" {
		arn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, Account, name)
	}
	return &imported{id: id, in: resource.PropertyMap(in), out: resource.PropertyMap{
		"arn": resource.NewProperty(arn), "url": resource.NewProperty(id)}}, nil
}

// importBucket reads a bucket by name. forceDestroy is the provider's default on import, false.
func importBucket(ctx context.Context, cfg aws.Config, _, id string) (*imported, error) {
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	res, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(id)})
	if err != nil {
		return nil, err
	}
	out := fields{}
	out.str("region", res.BucketRegion)
	return &imported{id: id, in: resource.PropertyMap{"bucket": resource.NewProperty(id), "forceDestroy": resource.NewProperty(false)},
		out: resource.PropertyMap(out)}, nil
}
