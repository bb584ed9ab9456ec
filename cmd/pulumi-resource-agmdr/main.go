// Command pulumi-resource-agmdr is the agmdr provider plugin. Build it with
//
//	go build -o bin/pulumi-resource-agmdr ./cmd/pulumi-resource-agmdr
//
// and let the engine find it through Pulumi.yaml `plugins.providers` or PATH.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/agm-dr/agm-dr/provider"
)

func main() {
	prov, err := provider.New()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", provider.Name, err)
		os.Exit(1)
	}
	if err := prov.Run(context.Background(), provider.Name, provider.Version); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", provider.Name, err)
		os.Exit(1)
	}
}
