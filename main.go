// Command agm-dr is the Pulumi program for both regional stacks (tokyo, osaka).
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/stacks"
)

func main() { pulumi.Run(stacks.Program) }
