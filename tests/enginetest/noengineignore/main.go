// Command noengineignore is the repo's program with one guard removed: the secondary cache
// group no longer ignores engine. The real-stack tests run it once to show that the fake aws
// plugin plans the replacement that guard prevents (the provider's default "redis" against the
// datastore's "valkey"), so the fake is known to catch that class of drift.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/cache"
	"github.com/agm-dr/agm-dr/stacks"
)

func main() {
	var kept []string
	for _, p := range cache.SecondaryIgnores {
		if p != "engine" {
			kept = append(kept, p)
		}
	}
	cache.SecondaryIgnores = kept
	pulumi.Run(stacks.Program)
}
