package runbook

import (
	"strings"

	"github.com/agm-dr/agm-dr/config"
)

// placeholderCheck refuses a production environment that still carries the repo's placeholders
// (the example domain, no alarm e-mail): shareholders would be sent to a name the team does not
// own, and no one would be paged. A dev environment only warns.
func placeholderCheck(cfg config.Config) Check {
	c := Check{Name: "placeholders replaced (make it yours)"}
	ps := cfg.Placeholders()
	if len(ps) == 0 {
		return c.pass("domain " + cfg.Domain.Name + ", alarms to " + cfg.AlarmEmail)
	}
	fix := "set these keys in Pulumi.yaml (README, \"Make it yours\"), then `pulumi up` both stacks"
	if cfg.Profile == config.Dev {
		return c.warn(strings.Join(ps, "; "), fix)
	}
	return c.fail(strings.Join(ps, "; "), fix)
}
