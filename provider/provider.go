// Package provider is the agmdr Pulumi provider: it exposes the switchover
// engine as resources built with pulumi-go-provider's infer API:
// agmdr:index:Capacity (readiness gate), agmdr:index:AuroraWriter,
// agmdr:index:CachePrimary and agmdr:index:Traffic (Route 53).
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

// Option adjusts NewWith.
type Option func(*settings)

type settings struct{ clock switchover.Clock }

// WithClock sets the clock of the capacity gate (the season) and of the traffic move (tests).
func WithClock(c switchover.Clock) Option { return func(s *settings) { s.clock = c } }

// NewWith returns the provider with clients from f; tests pass fakes.
func NewWith(f ClientFactory, opts ...Option) (p.Provider, error) {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	return infer.NewProviderBuilder().
		WithDisplayName("agm-dr switchover").
		WithDescription("Moves capacity, the Aurora global cluster writer, the ElastiCache global datastore primary and Route 53 traffic to the declared region.").
		WithNamespace("agm-dr").
		WithResources(
			infer.Resource(&AuroraWriter{clients: f}),
			infer.Resource(&CachePrimary{clients: f}),
			infer.Resource(&Traffic{clients: f, clock: s.clock}),
			infer.Resource(&Capacity{clients: f, clock: s.clock}),
		).
		Build()
}
