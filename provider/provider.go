// Package provider is the agmdr Pulumi provider: it exposes the switchover
// engine as two resources, agmdr:index:AuroraWriter and
// agmdr:index:CachePrimary, built with pulumi-go-provider's infer API.
package provider

import (
	"context"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/agm-dr/agm-dr/switchover"
)

// Name is the Pulumi package name; the plugin binary is pulumi-resource-agmdr.
const Name = "agmdr"

// Version is the provider's version, reported to the engine.
var Version = "0.1.0"

// ClientFactory returns the AWS clients of exactly one region.
type ClientFactory func(ctx context.Context, region string) (switchover.Clients, error)

// New returns the provider with real AWS SDK clients (standard credential
// chain; AWS_ENDPOINT_URL redirects them, e.g. to an emulator).
func New() (p.Provider, error) { return NewWith(switchover.NewClients) }

// NewWith returns the provider with clients from f; tests pass fakes.
func NewWith(f ClientFactory) (p.Provider, error) {
	return infer.NewProviderBuilder().
		WithDisplayName("agm-dr switchover").
		WithDescription("Moves the Aurora global cluster writer and the ElastiCache global datastore primary to the declared region.").
		WithNamespace("agm-dr").
		WithResources(
			infer.Resource(&AuroraWriter{clients: f}),
			infer.Resource(&CachePrimary{clients: f}),
		).
		Build()
}
