// Command pulumi-resource-aws-fake is the recording fake aws provider plugin (package fakeaws).
// Tests build it as `pulumi-resource-aws` into a directory on PATH, where the engine picks it up
// in place of the real pulumi-aws plugin. Never put it on an operator's PATH.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/agm-dr/agm-dr/fakeaws"
)

func main() {
	err := provider.Main("aws", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return fakeaws.New(), nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake aws:", err)
		os.Exit(1)
	}
}
