package simulate

import (
	"errors"
	"fmt"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// Scenario is one simulated switchover: who becomes primary, how, what
// fails when, and what the operator does.
type Scenario struct {
	Name string
	To   string      // region becoming primary
	Mode config.Mode // the mode the operator starts with
	// Season starts the simulation inside the first AGM-season window
	// (its raised task floor and its load).
	Season bool
	// OutageRegion goes down at OutageAt (offset from the start); RecoverAt
	// (0: never) brings it back.
	OutageRegion string
	OutageAt     time.Duration
	RecoverAt    time.Duration
	// OperatorAt is when the operator runs `drctl switchover` (default 60 s).
	OperatorAt time.Duration
	// Lag overrides the Aurora replication lag (0: Params.ReplicationLag).
	Lag time.Duration
	// AuroraRefuses and CacheFails make the next n SwitchoverGlobalCluster /
	// FailoverGlobalReplicationGroup calls fail.
	AuroraRefuses, CacheFails int
	// InterruptAfterStep: the operator presses Ctrl-C once runbook step n
	// has finished, and re-runs the same command RerunAfter later.
	InterruptAfterStep int
	// InterruptAt: the operator presses Ctrl-C at this offset (in-flight
	// resource operations are cancelled; AWS carries on with what it was
	// asked), and re-runs the same command RerunAfter later.
	InterruptAt time.Duration
	RerunAfter  time.Duration
	// RejoinAfter: this long after the recovery the operator runs `pulumi up`
	// of the old primary's stack (it rejoins as the standby).
	RejoinAfter time.Duration
	// EscalateAfter: the operator interrupts the planned run this long after
	// the outage and re-runs it in unplanned mode.
	EscalateAfter time.Duration
	// Route53Down takes Route 53's control plane (us-east-1) down for the whole run: every
	// ListResourceRecordSets, ChangeResourceRecordSets and GetChange is refused. Its data
	// plane (health checks, DNS answers) works on. Combines with any outage.
	Route53Down bool
	// WithoutPeering takes the VPC peering away (never accepted, or deleted): each region's
	// tasks reach only their own region's data stores.
	WithoutPeering bool
	// Load overrides the shareholders' requests per second (0: 120, or 300
	// in the season). The primary has autoscaled to it before the start.
	Load float64
	// Remove takes safety mechanisms away (Off* keys), to show which bound
	// sees each one.
	Remove map[string]bool
	// Tail is how long the simulation goes on after the last run (and after
	// a recovery); default 5 minutes.
	Tail time.Duration
	Seed int64
	// Params overrides the world's durations; zero: Defaults().
	Params *Params
}

// Safety mechanisms a scenario can remove.
const (
	OffCapacityWait  = "capacity gate wait"            // the new primary's gate returns without waiting for healthy targets
	OffLoadFloor     = "old primary's load as a floor" // the gate raises the floor to the role/season floor only
	OffCacheOrder    = "cache moving after the writer" // CachePrimary no longer waits for AuroraWriter
	OffTrafficLast   = "traffic moving last"           // Traffic no longer waits for AuroraWriter and CachePrimary
	OffAtomicTraffic = "single atomic traffic change"  // each record change is its own batch, one sync apart
	// OffRoleReadiness makes the health checks liveness only (a region answers while its tasks
	// do), as before the app serves the readiness path: traffic then follows the weights alone.
	OffRoleReadiness = "role-following health checks"
)

// starts is the simulation's wall-clock start: mid-November, or two days
// into the first season window.
func starts(cfg config.Config, season bool) (time.Time, string, error) {
	loc, err := time.LoadLocation(cfg.Season.Timezone)
	if err != nil {
		return time.Time{}, "", err
	}
	if !season {
		return time.Date(2026, 11, 10, 10, 0, 0, 0, loc), "", nil
	}
	if len(cfg.Season.Windows) == 0 {
		return time.Time{}, "", errors.New("--season: the config has no agm-dr:season windows")
	}
	win := cfg.Season.Windows[0]
	m, err := config.ParseMoment(win.Start)
	if err != nil {
		return time.Time{}, "", err
	}
	// Two days into the window, mid-morning: meetings are running.
	return time.Date(2026, time.Month(m.Month), m.Day, m.Hour, m.Minute, 0, 0, loc).Add(50 * time.Hour), win.Name, nil
}

// floorAt is the task floor of a role at t: the role's, raised by an active
// season window.
func floorAt(cfg config.Config, primary bool, t time.Time) int {
	f := cfg.Capacity.StandbyTasks
	if primary {
		f = cfg.Capacity.PrimaryTasks
	}
	for _, w := range activeWindows(cfg, t) {
		f = max(f, w.MinTasks)
	}
	return f
}

// activeWindows are cfg's AGM-season windows that contain t (in the season's time zone).
func activeWindows(cfg config.Config, t time.Time) []config.Window {
	loc, err := time.LoadLocation(cfg.Season.Timezone)
	if err != nil {
		return nil
	}
	l := t.In(loc)
	var out []config.Window
	for _, w := range cfg.Season.Windows {
		s, e1 := config.ParseMoment(w.Start)
		e, e2 := config.ParseMoment(w.End)
		if e1 != nil || e2 != nil {
			continue
		}
		from := time.Date(l.Year(), time.Month(s.Month), s.Day, s.Hour, s.Minute, 0, 0, loc)
		to := time.Date(l.Year(), time.Month(e.Month), e.Day, e.Hour, e.Minute, 0, 0, loc)
		if !l.Before(from) && l.Before(to) {
			out = append(out, w)
		}
	}
	return out
}

func seasonText(window string) string {
	if window == "" {
		return "off-season"
	}
	return "inside AGM-season window " + window
}

func closeWindows(ws []Window, now float64) []Window {
	out := append([]Window(nil), ws...)
	for i := range out {
		if out[i].To < 0 {
			out[i].To = now
		}
	}
	return out
}

// validate refuses scenarios that make no sense, naming the flag.
func (sc Scenario) validate(cfg config.Config) error {
	if config.StackFor(sc.To) == "" {
		return fmt.Errorf("--to %q: allowed: %s (%s), %s (%s)", sc.To, config.Tokyo, config.TokyoStack, config.Osaka, config.OsakaStack)
	}
	if sc.To == cfg.PrimaryRegion {
		return fmt.Errorf("--to %s: that region is already the primary (agm-dr:primaryRegion in Pulumi.yaml); simulate a switchover to %s", sc.To, config.Peer(sc.To))
	}
	if sc.Mode != "" && sc.Mode != config.Planned && sc.Mode != config.Unplanned {
		return fmt.Errorf("--mode %q: allowed: %s, %s", sc.Mode, config.Planned, config.Unplanned)
	}
	if sc.OutageRegion != "" {
		if config.StackFor(sc.OutageRegion) == "" {
			return fmt.Errorf("--outage %s@...: unknown region; allowed: %s, %s", sc.OutageRegion, config.Tokyo, config.Osaka)
		}
		if sc.OutageRegion == sc.To {
			return fmt.Errorf("--outage %s: that is the --to region; a switchover to a region that is down makes no sense", sc.OutageRegion)
		}
		if sc.OutageAt < 0 {
			return fmt.Errorf("--outage %s@%s: the offset is in the past; give a time from the start, e.g. @0s or @2m", sc.OutageRegion, sc.OutageAt)
		}
	}
	if sc.RecoverAt != 0 {
		if sc.OutageRegion == "" {
			return errors.New("--recover-at needs --outage: nothing is down to recover")
		}
		if sc.RecoverAt <= sc.OutageAt {
			return fmt.Errorf("--recover-at %s: must be after the outage at %s", sc.RecoverAt, sc.OutageAt)
		}
	}
	return nil
}
