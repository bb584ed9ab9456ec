package runbook

import (
	"context"
	"fmt"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// stackChecks: the stack's last update succeeded and a preview shows nothing pending. When
// Pulumi.yaml already names the target and the stack was deployed with another primaryRegion (a
// switchover under way, or Pulumi.yaml edited by hand), a preview necessarily shows the flip
// itself, so it is not run and the check says so; the other checks still run.
func stackChecks(ctx context.Context, d ReadDeps, stack, configured, to string) (map[string]any, []Check) {
	up := Check{Name: "stack " + stack + " up to date"}
	outs, err := d.Stacks.Outputs(ctx, stack)
	if err != nil {
		return nil, []Check{up.failRaw("its outputs could not be read: "+firstLine(err),
			"check the state backend (`pulumi whoami --verbose`, PULUMI_BACKEND_URL) and that stack "+stack+" exists there (`pulumi stack ls`)", err)}
	}
	deployed := str(outs, OutPrimaryRegion)
	flipPending := configured == to && deployed != "" && deployed != configured
	last, err := d.Stacks.LastUpdate(ctx, stack)
	switch {
	case err != nil:
		return outs, []Check{up.failRaw("its history could not be read: "+firstLine(err), "check access to the state backend", err)}
	case last.Result != "" && last.Result != "succeeded" && configured == to:
		// An interrupted switchover: Pulumi.yaml names the target and an up stopped. The
		// switchover's up retries it (the provider reads the real roles first).
		return outs, []Check{up.warn(fmt.Sprintf("its last %s %s at %s, deployed with primaryRegion %s while Pulumi.yaml names %s (an interrupted switchover?)",
			last.Kind, last.Result, last.Start.Format(time.RFC3339), or(deployed, "?"), configured),
			"the switchover's `pulumi up -s "+stack+"` retries it; if it fails again, read its error")}
	case last.Result != "" && last.Result != "succeeded":
		return outs, []Check{up.fail(fmt.Sprintf("its last %s %s at %s", last.Kind, last.Result, last.Start.Format(time.RFC3339)),
			"run `pulumi up -s "+stack+"` until it succeeds before switching over")}
	}
	if flipPending {
		return outs, []Check{up.warn(fmt.Sprintf("last update %s at %s with primaryRegion %s; Pulumi.yaml names %s, so a preview would show the flip itself (not run)",
			or(last.Result, "?"), last.End.Format(time.RFC3339), deployed, configured),
			"the switchover's `pulumi up` applies it; other pending changes of "+stack+" are applied with it")}
	}
	n, err := d.Stacks.Preview(ctx, stack)
	switch {
	case err != nil:
		return outs, []Check{up.failRaw("preview failed: "+firstLine(err), "run `pulumi preview -s "+stack+"` and fix what it reports", err)}
	case n > 0:
		return outs, []Check{up.fail(fmt.Sprintf("%d resource(s) would change", n),
			"deploy the pending changes first: `pulumi preview -s "+stack+" --diff`, then `pulumi up -s "+stack+"`")}
	}
	return outs, []Check{up.pass(fmt.Sprintf("last update %s at %s; preview shows no changes", last.Result, last.End.Format(time.RFC3339)))}
}

func versionCheck(want string, scope []string, outs map[string]map[string]any) Check {
	c := Check{Name: "same application version"}
	for _, s := range scope {
		if outs[s] == nil {
			return c.fail("stack "+s+" outputs unknown", "see the stack check above")
		}
		if got := str(outs[s], OutAppImage); got != want {
			return c.fail(fmt.Sprintf("stack %s runs %q, Pulumi.yaml says %q", s, got, want),
				"deploy the same appImage to both regions: `pulumi up -s "+config.TokyoStack+"` and `pulumi up -s "+config.OsakaStack+"`")
		}
	}
	return c.pass(fmt.Sprintf("%s in %v", want, scope))
}
