package runbook

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// Status of one readiness check.
type Status string

const (
	Pass Status = "pass"
	Warn Status = "warn" // ready, but read this
	Fail Status = "fail" // not ready
)

// Check is one readiness check: what was checked, what was found and, unless it passed, how
// to fix it.
type Check struct {
	Name   string
	Status Status
	Detail string
	Fix    string
	Raw    string // details of the error (CLI output), shown after the fix
}

func (c Check) pass(detail string) Check {
	c.Status, c.Detail = Pass, detail
	return c
}

func (c Check) warn(detail, fix string) Check {
	c.Status, c.Detail, c.Fix = Warn, detail, fix
	return c
}

func (c Check) fail(detail, fix string) Check {
	c.Status, c.Detail, c.Fix = Fail, detail, fix
	return c
}

// failRaw is fail with the rest of err (the CLI output an Automation API error carries), which
// is printed after the fix.
func (c Check) failRaw(detail, fix string, err error) Check {
	c = c.fail(detail, fix)
	if _, rest, ok := strings.Cut(err.Error(), "\n"); ok {
		c.Raw = strings.TrimSpace(rest)
	}
	return c
}

func (d ReadDeps) backendCheck(ctx context.Context, leaving, to string) Check {
	if d.Backend == nil {
		return BackendCheck("", fmt.Errorf("no way to ask the Pulumi CLI"), leaving, to)
	}
	url, err := d.Backend(ctx)
	return BackendCheck(url, err, leaving, to)
}

// Ready is true when no check failed.
func Ready(checks []Check) bool {
	for _, c := range checks {
		if c.Status == Fail {
			return false
		}
	}
	return true
}

// ReadDeps are what the read-only commands (check, status) look at.
type ReadDeps struct {
	Stacks Stacks
	// Config parses a stack's configuration from the project files.
	Config func(stack string) (config.Config, error)
	// AWS returns the reader of one region.
	AWS RegionFactory
	// Backend says which state backend the Pulumi CLI uses (WhoAmI); nil: not known, and the
	// backend check fails.
	Backend BackendReader
	// Sleep waits between two samples of the old primary's queue depth; nil: time.Sleep.
	Sleep func(context.Context, time.Duration) error
	// Backups returns the AWS Backup reader of one region; nil: the backup age is not checked.
	Backups BackupFactory
	// Peerings returns the EC2 reader of one region; nil: the VPC peering is not checked.
	Peerings PeeringFactory
	// Now is the clock for the backup age; nil: time.Now.
	Now func() time.Time
}

func (d ReadDeps) sleep(ctx context.Context, t time.Duration) error {
	if d.Sleep != nil {
		return d.Sleep(ctx, t)
	}
	select {
	case <-time.After(t):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Readiness checks, without changing anything, whether a switchover to `to` can start: config
// valid, the stacks up to date with the same application version, capacity in the target, lag
// within the RPO budget, the state backend outside the region being left and, for a planned
// switchover, the old primary's queues draining. In unplanned mode nothing is asked of the old
// primary's stack or region: it may be down.
func Readiness(ctx context.Context, d ReadDeps, to string, mode config.Mode) []Check {
	from := config.Peer(to)
	newStack, ok := stackOf(to)
	if !ok {
		return []Check{{Name: "target region", Status: Fail,
			Detail: fmt.Sprintf("%q is not one of the project's regions", to),
			Fix:    fmt.Sprintf("use --to %s (%s) or --to %s (%s)", config.Tokyo, config.TokyoStack, config.Osaka, config.OsakaStack)}}
	}
	oldStack := config.StackFor(from)
	scope := []string{newStack}
	if mode == config.Planned {
		scope = append(scope, oldStack)
	}

	var checks []Check
	add := func(c Check) { checks = append(checks, c) }

	cfg, c := configCheck(d, newStack, oldStack)
	add(c)
	if cfg.Stack == "" {
		return append(checks, d.backendCheck(ctx, from, to))
	}
	add(placeholderCheck(cfg))
	if cfg.Sleeping {
		add(Check{Name: "environment awake", Status: Fail,
			Detail: config.KeySleeping + " is true: no task runs and there is no NAT gateway",
			Fix:    "run `drctl dev wake` first (it ends with this check)"})
	}
	add(d.backendCheck(ctx, from, to))

	outs := map[string]map[string]any{}
	for _, s := range scope {
		o, cs := stackChecks(ctx, d, s, cfg.PrimaryRegion, to)
		outs[s] = o
		checks = append(checks, cs...)
	}
	// Whether the target is already primary is read from its stack, not from Pulumi.yaml.
	if deployed := str(outs[newStack], OutPrimaryRegion); deployed == to {
		add(Check{Name: "target is not already primary", Status: Warn,
			Detail: fmt.Sprintf("stack %s was last deployed as the primary", newStack),
			Fix:    "nothing to switch; `drctl switchover --to " + to + "` re-run now only finishes an interrupted switchover"})
	} else if cfg.PrimaryRegion == to && deployed != "" {
		add(Check{Name: "target is not already primary", Status: Warn,
			Detail: fmt.Sprintf("Pulumi.yaml already names %s, but stack %s was last deployed with %s (edited by hand?)", to, newStack, deployed),
			Fix:    "the switchover applies it; check nobody is running `pulumi up` by hand"})
	}
	add(versionCheck(cfg.AppImage, scope, outs))
	if outs[newStack] == nil {
		return append(checks, Check{Name: "target region", Status: Fail,
			Detail: "capacity and replication lag not checked: the outputs of stack " + newStack + " could not be read",
			Fix:    "fix the stack check above, then re-run"})
	}

	target, err := d.AWS(ctx, to)
	if err != nil {
		return append(checks, Check{Name: "AWS access in " + to, Status: Fail, Detail: err.Error(),
			Fix: "set AWS credentials for the account (AWS_PROFILE or the standard variables) and re-run"})
	}
	add(capacityCheck(ctx, target, outs[newStack], newStack))
	backupRegions := []string{to}
	if mode == config.Planned {
		backupRegions = append(backupRegions, from)
	}
	checks = append(checks, backupChecks(ctx, d, cfg, backupRegions, mode)...)
	add(lagCheck(ctx, target, outs[newStack], mode, cfg.Switchover.RpoBudgetSeconds))
	checks = append(checks, peeringCheck(ctx, d, cfg, outs, to)...)
	if mode == config.Planned && outs[oldStack] != nil {
		old, err := d.AWS(ctx, from)
		if err != nil {
			add(Check{Name: "AWS access in " + from, Status: Fail, Detail: err.Error(),
				Fix: "set AWS credentials; if " + from + " is down, use --mode unplanned"})
		} else {
			checks = append(checks, queueChecks(ctx, d, old, outs[oldStack], oldStack, cfg.Switchover.PollSeconds)...)
		}
	}
	return checks
}

// configCheck parses both stacks' config; it reads only local files.
func configCheck(d ReadDeps, stacks ...string) (config.Config, Check) {
	c := Check{Name: "configuration valid"}
	var first config.Config
	for i, s := range stacks {
		cfg, err := d.Config(s)
		if err != nil {
			return config.Config{}, c.fail(err.Error(), "fix the keys named above in Pulumi.yaml or Pulumi."+s+".yaml")
		}
		if i == 0 {
			first = cfg
		}
	}
	return first, c.pass(fmt.Sprintf("both stacks parse; primaryRegion %s, appImage %s", first.PrimaryRegion, first.AppImage))
}

func capacityCheck(ctx context.Context, target Region, outs map[string]any, stack string) Check {
	c := Check{Name: "capacity in " + stack}
	cluster, svc := str(outs, OutClusterName), str(outs, OutServiceName)
	if cluster == "" || svc == "" {
		return c.fail("stack "+stack+" exports no ECS cluster/service", "deploy stack "+stack+" first")
	}
	s, err := target.Service(ctx, cluster, svc)
	switch {
	case err != nil:
		return c.fail(err.Error(), "check AWS credentials and that the service exists")
	case s.Status != "ACTIVE":
		return c.fail(fmt.Sprintf("service %s is %s", svc, s.Status), "redeploy stack "+stack)
	case s.Running < 1 || s.Running < s.Desired:
		return c.fail(fmt.Sprintf("%d of %d tasks running (%d pending)", s.Running, s.Desired, s.Pending),
			"the standby must run its warm tasks: read the service's events in the ECS console (image pull, secrets, health checks)")
	}
	return c.pass(fmt.Sprintf("%d/%d tasks running (warm standby; raised to full capacity by the switchover)", s.Running, s.Desired))
}

func lagCheck(ctx context.Context, target Region, outs map[string]any, mode config.Mode, budgetSeconds int) Check {
	c := Check{Name: "replication lag within the RPO budget"}
	budget := time.Duration(budgetSeconds) * time.Second
	cluster := str(outs, OutAuroraCluster)
	if cluster == "" {
		return c.fail("the target stack exports no Aurora cluster id", "deploy the target stack first")
	}
	lag, ok, err := target.ReplicationLag(ctx, cluster)
	switch {
	case err != nil && mode == config.Planned:
		return c.fail(err.Error(), "allow cloudwatch:ListMetrics and cloudwatch:GetMetricStatistics in the target region and re-run")
	case err != nil:
		return c.warn(err.Error(), "unplanned: the lag could not be read; data written in the last minutes may be lost")
	case !ok:
		return c.warn("no recent lag datapoints for "+cluster, "check the cluster is a secondary of the global cluster (a planned switchover still waits for full sync)")
	case mode == config.Unplanned:
		return c.warn(fmt.Sprintf("lag %s: an unplanned failover may lose about that much data", lag), "accept the loss, or wait for the primary region to recover and switch over planned")
	case lag > budget:
		return c.fail(fmt.Sprintf("lag %s is above the RPO budget %s", lag, budget), "wait for replication to catch up (check write load and the network), then re-run `drctl check`")
	}
	return c.pass(fmt.Sprintf("lag %s, budget %s", lag, budget))
}

// queueChecks samples the old primary's queue twice, a poll apart: empty or shrinking passes
// (SQS does not replicate, so messages left there would be stranded); the DLQ should be empty.
func queueChecks(ctx context.Context, d ReadDeps, old Region, outs map[string]any, stack string, pollSeconds int) []Check {
	c := Check{Name: "old primary's queue draining (" + stack + ")"}
	url := str(outs, OutQueueURL)
	if url == "" {
		return []Check{c.fail("stack "+stack+" exports no queue URL", "deploy stack "+stack)}
	}
	first, err := old.Queue(ctx, url)
	if err != nil {
		return []Check{c.fail(err.Error(), "check AWS credentials; if the region is down use --mode unplanned")}
	}
	var out []Check
	if first.Depth() == 0 {
		out = append(out, c.pass("queue empty"))
	} else {
		if pollSeconds <= 0 {
			pollSeconds = 10
		}
		if err := d.sleep(ctx, time.Duration(pollSeconds)*time.Second); err != nil {
			return []Check{c.fail("interrupted while sampling the queue", "re-run `drctl check`")}
		}
		second, err := old.Queue(ctx, url)
		switch {
		case err != nil:
			out = append(out, c.fail(err.Error(), "check AWS credentials"))
		case second.Depth() == 0:
			out = append(out, c.pass(fmt.Sprintf("drained (%d messages %ds ago)", first.Depth(), pollSeconds)))
		case second.Depth() < first.Depth():
			out = append(out, c.warn(fmt.Sprintf("draining: %d messages left (%d, %ds ago)", second.Depth(), first.Depth(), pollSeconds),
				"let the consumers finish before switching over: messages left in the old region are not moved"))
		default:
			out = append(out, c.fail(fmt.Sprintf("%d messages and not decreasing (%d, %ds ago)", second.Depth(), first.Depth(), pollSeconds),
				"stop producers in "+stack+" and check its consumers are running; SQS does not replicate, so messages left there are stranded"))
		}
	}
	if dlq := str(outs, OutDeadLetterQueueURL); dlq != "" {
		dc := Check{Name: "old primary's dead-letter queue (" + stack + ")"}
		q, err := old.Queue(ctx, dlq)
		switch {
		case err != nil:
			out = append(out, dc.warn(err.Error(), "check AWS credentials"))
		case q.Depth() > 0:
			out = append(out, dc.warn(fmt.Sprintf("%d messages", q.Depth()), "inspect or redrive them before switching over: they stay in "+stack))
		default:
			out = append(out, dc.pass("empty"))
		}
	}
	return out
}
