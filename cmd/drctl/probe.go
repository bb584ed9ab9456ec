package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/spf13/cobra"

	"github.com/agm-dr/agm-dr/canaryview"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/probe"
	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/runbook"
	"github.com/agm-dr/agm-dr/simulate"
	"github.com/agm-dr/agm-dr/stacks"
)

// probeFlags choose the synthetic shareholders of a drill or switchover.
type probeFlags struct {
	off       bool
	rate      int
	resolver  string
	endpoints []string
}

func (f *probeFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.off, "no-probe", false, "run without the probe (synthetic shareholders on the public name and each load balancer)")
	fl.IntVar(&f.rate, "probe-rate", 2, fmt.Sprintf("probe rounds per second (1..%d); a round is a read, a session write and a vote on the public name and a read per load balancer", probe.MaxRate))
	fl.StringVar(&f.resolver, "probe-resolver", "", "DNS server (host:port) the probe resolves the public name with (default: the first of /etc/resolv.conf)")
	fl.StringSliceVar(&f.endpoints, "probe-endpoint", nil, "region=URL: reach that region's load balancer at URL instead of https://<its DNS name> (repeatable)")
}

// target builds the probe's target from the stacks' outputs (the public URL, each region's load
// balancer DNS name) and the flags.
func (f *probeFlags) target(ctx context.Context, ws runbook.Stacks) (probe.Target, error) {
	t := probe.Target{Resolver: f.resolver}
	over := map[string]string{}
	for _, e := range f.endpoints {
		region, u, ok := strings.Cut(e, "=")
		if r := config.RegionFor(region); r != "" {
			region = r
		}
		if !ok || config.StackFor(region) == "" || u == "" {
			return t, fmt.Errorf("--probe-endpoint %q: want <region>=<URL> with region %s or %s", e, config.Tokyo, config.Osaka)
		}
		over[region] = u
	}
	for _, s := range config.Stacks() {
		outs, err := ws.Outputs(ctx, s)
		if err != nil {
			return t, fmt.Errorf("reading the outputs of stack %s: %w", s, err)
		}
		if u, _ := outs[stacks.OutURL].(string); u != "" && t.PublicURL == "" {
			t.PublicURL = u
		}
		host, _ := outs[stacks.OutLoadBalancerDNSName].(string)
		region := config.RegionFor(s)
		if host == "" && over[region] == "" {
			return t, fmt.Errorf("stack %s has no %s output (deploy it first) and no --probe-endpoint %s=<URL> was given", s, stacks.OutLoadBalancerDNSName, region)
		}
		t.Regions = append(t.Regions, probe.Region{Name: region, Host: host, Endpoint: over[region]})
	}
	if t.PublicURL == "" {
		return t, fmt.Errorf("no stack has a %s output: deploy the stacks first", stacks.OutURL)
	}
	return t, nil
}

// drillProbe is a running probe and the predictions it will be set beside.
type drillProbe struct {
	p         *probe.Probe
	predicted []report.Prediction
	canaries  map[string]string // region → its canary, read after the run (not the region known down)
}

// startProbe checks that every probe target answers (before anything is changed) and starts the
// probe. A failure is the caller's to stop on.
func startProbe(ctx context.Context, out io.Writer, ws runbook.Stacks, f probeFlags, first runbook.Options, prefix string) (*drillProbe, error) {
	t, err := f.target(ctx, ws)
	if err != nil {
		return nil, err
	}
	p, err := probe.New(t, probe.Options{Rate: f.rate})
	if err != nil {
		return nil, err
	}
	down := ""
	if first.Mode == config.Unplanned {
		down = config.Peer(first.To) // the old primary region is down: nothing there must answer
	}
	if err := p.Check(ctx, down); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "Probe: %d rounds/s on %s and each region's load balancer; all answer.\n", f.rate, t.PublicURL)
	// The probe outlives a cancelled run only until Stop: it watches the whole run, interruption included.
	p.Start(context.WithoutCancel(ctx))
	d := &drillProbe{p: p, canaries: map[string]string{}}
	for _, r := range []string{config.Tokyo, config.Osaka} {
		if r != down {
			d.canaries[r] = stacks.CanaryName(prefix, r)
		}
	}
	return d, nil
}

// predict simulates each leg before the drill (same target, mode, the season window in force now,
// the configured capacity). The simulation runs from the project's current primary, so the way
// back of --and-back is predicted as the mirror of the way there. A simulation that fails is
// reported and the drill goes on: the prediction informs, it does not gate.
func (d *drillProbe) predict(ctx context.Context, out io.Writer, dir string, cfg config.Config, legs []runbook.Options) {
	sc := simulate.Scenario{To: legs[0].To, Mode: legs[0].Mode, Season: simulate.SeasonAt(cfg, time.Now())}
	res, err := simulate.Run(ctx, dir, sc)
	if err != nil {
		fmt.Fprintf(out, "Prediction: the simulation failed (%v); the report will show observations only.\n", err)
		return
	}
	first := res.Prediction()
	d.predicted = append(d.predicted, first)
	if len(legs) > 1 {
		back := first
		back.Scenario = fmt.Sprintf("the way there mirrored (%s back to %s)", legs[1].Mode, legs[1].To)
		d.predicted = append(d.predicted, back)
	}
	fmt.Fprintf(out, "Prediction: %s; RTO seen by shareholders %s, writes succeed in %s after %s.\n",
		first.Scenario, report.Human(first.Figures.RTOSeconds), legs[0].To, report.Human(first.Figures.WritesOKSeconds))
}

// attach stops the probe and puts observation, predictions, comparison and the canaries' view of
// the same window into the report.
func (d *drillProbe) attach(ctx context.Context, out io.Writer, rep *report.Report) {
	if d == nil {
		return
	}
	o := d.p.Stop()
	rep.Observed, rep.Predicted = &o, d.predicted
	report.Compare(rep)
	ctx = context.WithoutCancel(ctx)
	for _, r := range []string{config.Tokyo, config.Osaka} {
		name, ok := d.canaries[r]
		if !ok {
			continue
		}
		m, err := canaryMetrics(ctx, r)
		if err != nil {
			rep.Canaries = append(rep.Canaries, report.CanaryView{Region: r, Canary: name, Note: err.Error()})
			continue
		}
		rep.Canaries = append(rep.Canaries, canaryview.Read(ctx, m, r, name, o.Started, o.Started.Add(time.Duration(o.Seconds*float64(time.Second)))))
	}
	for _, c := range rep.Comparison {
		for _, f := range c.Flags {
			fmt.Fprintf(out, "Leg %d: worse than predicted: %s\n", c.Leg, f)
		}
	}
}

// canaryMetrics opens CloudWatch in a region, where the canaries publish their runs (a variable:
// tests read a fake).
var canaryMetrics = func(ctx context.Context, region string) (canaryview.Metrics, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("aws config for %s: %w", region, err)
	}
	return cloudwatch.NewFromConfig(cfg), nil
}
