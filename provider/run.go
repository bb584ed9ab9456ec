package provider

import (
	"context"
	"fmt"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/agm-dr/agm-dr/switchover"
)

// Record is the last switchover this resource performed, as outputs.
type Record struct {
	LastSwitchoverStarted  string  `pulumi:"lastSwitchoverStarted"`
	LastSwitchoverFinished string  `pulumi:"lastSwitchoverFinished"`
	LastSwitchoverMode     string  `pulumi:"lastSwitchoverMode"`
	LastSwitchoverSeconds  float64 `pulumi:"lastSwitchoverSeconds"`
}

func recordOf(o switchover.Outcome) Record {
	return Record{
		LastSwitchoverStarted:  o.Started.UTC().Format(time.RFC3339),
		LastSwitchoverFinished: o.Finished.UTC().Format(time.RFC3339),
		LastSwitchoverMode:     string(o.Mode),
		LastSwitchoverSeconds:  o.Seconds(),
	}
}

// options converts resource inputs (seconds) to engine options; zero values
// take the engine's defaults.
func options(mode string, rpo, timeout, poll int) (switchover.Options, error) {
	m, err := switchover.ParseMode(mode)
	if err != nil {
		return switchover.Options{}, err
	}
	return switchover.Options{Mode: m, RPOBudget: seconds(rpo), Timeout: seconds(timeout), Poll: seconds(poll)}, nil
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// reporter sends engine progress to the Pulumi CLI as log messages.
type reporter struct {
	log    p.Logger
	prefix string
}

func newReporter(ctx context.Context, prefix string) reporter {
	return reporter{log: p.GetLogger(ctx), prefix: prefix}
}

func (r reporter) Info(msg string)   { r.log.Info(r.prefix + msg) }
func (r reporter) Status(msg string) { r.log.InfoStatus(r.prefix + msg) }
func (r reporter) Warn(msg string)   { r.log.Warning(r.prefix + msg) }

// failures collects Check failures, skipping inputs that are still unknown
// (outputs of other resources during preview).
type failures struct {
	inputs property.Map
	list   []p.CheckFailure
}

func (f *failures) add(prop string, bad bool, format string, args ...any) {
	if !bad || f.inputs.Get(prop).IsComputed() {
		return
	}
	f.list = append(f.list, p.CheckFailure{Property: prop, Reason: fmt.Sprintf(format, args...)})
}

func (f *failures) common(mode, region string, timeout, poll int) {
	_, err := switchover.ParseMode(mode)
	f.add("mode", err != nil, "mode must be \"planned\" or \"unplanned\", got %q", mode)
	f.add("region", region == "", "region is required: the AWS region of this stack")
	f.add("timeoutSeconds", timeout < 0, "timeoutSeconds must be >= 0 (0 = %s)", switchover.DefaultTimeout)
	f.add("pollSeconds", poll < 0, "pollSeconds must be >= 0 (0 = %s)", switchover.DefaultPoll)
	f.region(region)
	f.pollWithinTimeout(timeout, poll)
}

// diffs lists changed inputs as updates (never replacements: changing the
// declared role or mode must not recreate anything).
type diffs map[string]p.PropertyDiff

func (d diffs) input(name string, changed bool) {
	if changed {
		d[name] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
}

func (d diffs) response() p.DiffResponse {
	return p.DiffResponse{HasChanges: len(d) > 0, DetailedDiff: d}
}
