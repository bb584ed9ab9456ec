// Command adoptgate is a tiny Pulumi program for drctl's import-plan gate test: it declares one
// random string per name in the config key "names" (comma-separated), so a test can make the
// engine plan a create (a name added) or a delete (a name removed).
package main

import (
	"strings"

	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		for _, n := range strings.Split(config.Get(ctx, "adoptgate:names"), ",") {
			if n == "" {
				continue
			}
			if _, err := random.NewRandomString(ctx, n, &random.RandomStringArgs{Length: pulumi.Int(8)}); err != nil {
				return err
			}
		}
		return nil
	})
}
