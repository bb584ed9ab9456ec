package capture

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// BringUp walks a sequence of `pulumi up`s and image pushes through the mock monitor, carrying
// each stack's outputs to the next run (as the state backend does) and modelling the AWS side
// effects that happen between them, so an order that fails on AWS fails here:
//
//   - ECR, a replicated push: when the destination registry has no repository of that name, ECR
//     creates it (defaults, or a matching repository creation template), and a later
//     CreateRepository of the same name fails with RepositoryAlreadyExistsException. Only
//     images pushed after the replication rule exists are replicated.
//     Source: Amazon ECR User Guide, "Private image replication" (replication.html) and
//     API_CreateRepository (RepositoryAlreadyExistsException).
//   - S3: a replication rule whose destination bucket does not exist is refused
//     (PutBucketReplication: "Destination bucket must exist"); bucket names are global, so a
//     second create of the same name fails (BucketAlreadyOwnedByYou).
//     Source: Amazon S3 User Guide, "Requirements and considerations for replication".
//
// Each up registers the whole program; resources already in the stack's state are updates,
// the others are creates and meet what AWS already holds.
type BringUp struct {
	Program pulumi.RunFunc
	Project string
	// Config returns the config of `pulumi up -s stack` (aws:region included).
	Config func(stack string) (map[string]string, error)

	outputs  map[string]map[string]any    // stack → outputs of its last up
	state    map[string]map[string]bool   // stack → keys of resources it owns
	repos    map[string]map[string]string // region → repository → owner ("stack <s>" or "ECR replication")
	images   map[string]map[string]bool   // region → "repo:tag"
	ecrRules map[string][]ecrRule         // region → replication rules of its registry
	buckets  map[string]string            // bucket name → owning stack
	Log      []string                     // what happened, step by step
}

type ecrRule struct{ region, prefix string }

const (
	typeEcrReplication = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
	typeBucket         = "aws:s3/bucketV2:BucketV2"
	typeBucketRepl     = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
)

func (b *BringUp) init() {
	if b.outputs != nil {
		return
	}
	b.outputs = map[string]map[string]any{}
	b.state = map[string]map[string]bool{}
	b.repos = map[string]map[string]string{}
	b.images = map[string]map[string]bool{}
	b.ecrRules = map[string][]ecrRule{}
	b.buckets = map[string]string{}
}

// Up runs `pulumi up -s stack` and applies what it creates to the modelled AWS account. It
// returns the error AWS would return for the first conflicting create (the up then fails).
func (b *BringUp) Up(stack string) (*Result, error) {
	b.init()
	cfg, err := b.Config(stack)
	if err != nil {
		return nil, err
	}
	region := cfg["aws:region"]
	res, err := Run(b.Program, Options{Project: b.Project, Stack: stack, Config: cfg, StackOutputs: b.outputs})
	if err != nil {
		return res, fmt.Errorf("up %s: %w", stack, err)
	}
	owned := b.state[stack]
	if owned == nil {
		owned = map[string]bool{}
		b.state[stack] = owned
	}
	if b.repos[region] == nil {
		b.repos[region] = map[string]string{}
	}
	for _, r := range res.Resources {
		created := !owned[r.Key()]
		switch {
		case r.Type == typeEcrRepository && created:
			name := str(inputAt(r, "name"))
			if owner, ok := b.repos[region][name]; ok {
				return res, fmt.Errorf("up %s: creating ECR repository %s in %s: RepositoryAlreadyExistsException (created by %s)", stack, name, region, owner)
			}
			b.repos[region][name] = "stack " + stack
		case r.Type == typeBucket && created:
			name := str(inputAt(r, "bucket"))
			if owner, ok := b.buckets[name]; ok {
				return res, fmt.Errorf("up %s: creating bucket %s: BucketAlreadyOwnedByYou (stack %s)", stack, name, owner)
			}
			b.buckets[name] = stack
		case r.Type == typeBucketRepl:
			for _, rule := range arr(inputAt(r, "rules")) {
				dest := str(inputAt(obj(rule), "destination.bucket"))
				if _, ok := b.buckets[strings.TrimPrefix(dest, "arn:aws:s3:::")]; !ok {
					return res, fmt.Errorf("up %s: S3 replication to %s: InvalidRequest: Destination bucket must exist", stack, dest)
				}
			}
		case r.Type == typeEcrReplication:
			b.ecrRules[region] = ecrRulesOf(r)
		}
		owned[r.Key()] = true
	}
	if len(res.Find(typeEcrReplication)) == 0 {
		b.ecrRules[region] = nil
	}
	b.outputs[stack] = res.Outputs
	b.Log = append(b.Log, fmt.Sprintf("up %s: %d resources", stack, len(res.Resources)))
	return res, nil
}

// Push pushes repo:tag to region's registry, and replicates it as ECR would.
func (b *BringUp) Push(region, repo, tag string) error {
	b.init()
	if _, ok := b.repos[region][repo]; !ok {
		return fmt.Errorf("push %s:%s to %s: RepositoryNotFoundException", repo, tag, region)
	}
	b.addImage(region, repo, tag)
	for _, rule := range b.ecrRules[region] {
		if !strings.HasPrefix(repo, rule.prefix) {
			continue
		}
		if b.repos[rule.region] == nil {
			b.repos[rule.region] = map[string]string{}
		}
		if _, ok := b.repos[rule.region][repo]; !ok {
			b.repos[rule.region][repo] = "ECR replication"
			b.Log = append(b.Log, fmt.Sprintf("ECR created %s in %s (replication)", repo, rule.region))
		}
		b.addImage(rule.region, repo, tag)
	}
	return nil
}

// HasImage reports whether region's registry holds repo:tag.
func (b *BringUp) HasImage(region, repo, tag string) bool { return b.images[region][repo+":"+tag] }

// RepositoryOwner says who created repo in region ("" if it does not exist).
func (b *BringUp) RepositoryOwner(region, repo string) string { return b.repos[region][repo] }

func (b *BringUp) addImage(region, repo, tag string) {
	if b.images[region] == nil {
		b.images[region] = map[string]bool{}
	}
	b.images[region][repo+":"+tag] = true
	b.Log = append(b.Log, fmt.Sprintf("image %s:%s in %s", repo, tag, region))
}

func ecrRulesOf(r Resource) []ecrRule {
	var out []ecrRule
	for _, rule := range arr(inputAt(r, "replicationConfiguration.rules")) {
		rr := obj(rule)
		var prefixes []string
		for _, f := range arr(inputAt(rr, "repositoryFilters")) {
			prefixes = append(prefixes, str(inputAt(obj(f), "filter")))
		}
		if len(prefixes) == 0 {
			prefixes = []string{""} // no filter: every repository
		}
		for _, d := range arr(inputAt(rr, "destinations")) {
			for _, p := range prefixes {
				out = append(out, ecrRule{region: str(inputAt(obj(d), "region")), prefix: p})
			}
		}
	}
	return out
}

func str(v resource.PropertyValue) string {
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

func arr(v resource.PropertyValue) []resource.PropertyValue {
	if v.IsArray() {
		return v.ArrayValue()
	}
	return nil
}

// obj wraps an object value so inputAt can read paths inside it.
func obj(v resource.PropertyValue) Resource {
	if v.IsObject() {
		return Resource{Inputs: v.ObjectValue()}
	}
	return Resource{}
}
