package runbook

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/agm-dr/agm-dr/config"
)

// OutTrafficRecords mirrors stacks.OutTrafficRecords: "region=weight" of the service name's
// records, as the new primary's stack last read them.
const OutTrafficRecords = "trafficRecords"

// Flip is how far a switchover to To has got, read from the stacks' outputs (what each stack was
// last deployed with, the traffic it last read) and from AWS in the target region (the real
// Aurora writer and ElastiCache primary). Pulumi.yaml alone never decides it: an operator may
// have edited it by hand, and an interrupted run may have set it without anything moving.
type Flip struct {
	To         string
	Configured string            // primaryRegion in Pulumi.yaml
	Deployed   map[string]string // stack → the primaryRegion it was last deployed with
	Writer     string            // region of the real Aurora writer ("" unknown)
	Cache      string            // region of the real ElastiCache primary ("" unknown)
	Traffic    map[string]int    // region → weight, as the target's stack last read it
	Unknown    []string          // what could not be read
}

// UnderWay is true when something has already moved to To: a stack deployed with it as the
// primary, the writer, the cache primary or traffic there.
func (f Flip) UnderWay() bool {
	for _, p := range f.Deployed {
		if p == f.To {
			return true
		}
	}
	return f.Writer == f.To || f.Cache == f.To || f.Traffic[f.To] > 0
}

// HandEdited is true when Pulumi.yaml names To but nothing has moved yet.
func (f Flip) HandEdited() bool { return f.Configured == f.To && !f.UnderWay() }

// State is the flip in one line per fact, for the console and the report.
func (f Flip) State() []string {
	var s []string
	s = append(s, "Pulumi.yaml primaryRegion: "+or(f.Configured, "?"))
	for _, st := range config.Stacks() {
		if p, ok := f.Deployed[st]; ok {
			s = append(s, fmt.Sprintf("stack %s last deployed with primaryRegion %s", st, or(p, "?")))
		}
	}
	s = append(s, "Aurora writer: "+or(f.Writer, "unknown"), "ElastiCache primary: "+or(f.Cache, "unknown"))
	if len(f.Traffic) > 0 {
		var w []string
		for _, r := range config.Regions() {
			if v, ok := f.Traffic[r]; ok {
				w = append(w, fmt.Sprintf("%s=%d", r, v))
			}
		}
		s = append(s, "traffic weights (last read): "+strings.Join(w, ", "))
	}
	for _, u := range f.Unknown {
		s = append(s, "not read: "+u)
	}
	return s
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ReadFlip reads how far a switchover to `to` has got. In unplanned mode it reads only the
// target's stack and region (the old primary may be down).
func ReadFlip(ctx context.Context, d ReadDeps, to string, mode config.Mode) Flip {
	f := Flip{To: to, Deployed: map[string]string{}}
	if cfg, err := d.Config(config.StackFor(to)); err == nil {
		f.Configured = cfg.PrimaryRegion
	}
	scope := []string{config.StackFor(to)}
	if mode == config.Planned {
		scope = append(scope, config.StackFor(config.Peer(to)))
	}
	var target map[string]any
	for i, st := range scope {
		outs, err := d.Stacks.Outputs(ctx, st)
		if err != nil {
			f.Unknown = append(f.Unknown, "outputs of stack "+st+": "+firstLine(err))
			continue
		}
		f.Deployed[st] = str(outs, OutPrimaryRegion)
		if i == 0 {
			target = outs
		}
	}
	if target == nil {
		return f
	}
	f.Traffic = weights(target[OutTrafficRecords])
	r, err := d.AWS(ctx, to)
	if err != nil {
		f.Unknown = append(f.Unknown, "AWS in "+to+": "+firstLine(err))
		return f
	}
	if id := str(target, OutAuroraGlobalCluster); id != "" {
		if f.Writer, err = r.GlobalWriter(ctx, id); err != nil {
			f.Unknown = append(f.Unknown, "Aurora writer: "+firstLine(err))
		}
	}
	if id := str(target, OutCacheGlobalID); id != "" {
		if f.Cache, err = r.CachePrimary(ctx, id); err != nil {
			f.Unknown = append(f.Unknown, "ElastiCache primary: "+firstLine(err))
		}
	}
	return f
}

// weights parses the "region=weight" records output.
func weights(v any) map[string]int {
	list, _ := v.([]any)
	out := map[string]int{}
	for _, x := range list {
		s, _ := x.(string)
		r, w, ok := strings.Cut(s, "=")
		if n, err := strconv.Atoi(strings.TrimSpace(w)); ok && err == nil {
			out[strings.TrimSpace(r)] = n
		}
	}
	return out
}

// firstLine is an error's first line: the cause, without the CLI output an Automation API error
// carries after it.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
