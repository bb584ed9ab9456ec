package simulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/report"
)

// CalibrationFile is where `drctl simulate --calibrate` keeps measured durations, in the
// project directory (committed with the repo, so every later simulation uses them).
const CalibrationFile = "simulate-calibration.json"

// Calibration holds durations measured by drills, by Params field name.
type Calibration struct {
	Params map[string]Measured `json:"params"`
}

// Measured is one duration a drill measured.
type Measured struct {
	Seconds float64   `json:"seconds"`
	Report  string    `json:"report"` // the drill report it came from
	At      time.Time `json:"at"`     // when that drill started
}

// calibrated are the Params fields a drill measures, with their names in reports.
var calibrated = []struct {
	key, name string
	field     func(*Params) *time.Duration
}{
	{"AuroraWritePause", "Aurora write pause", func(p *Params) *time.Duration { return &p.AuroraWritePause }},
	{"CacheFailover", "ElastiCache failover", func(p *Params) *time.Duration { return &p.CacheFailover }},
	{"AuroraSwitchover", "Aurora switchover", func(p *Params) *time.Duration { return &p.AuroraSwitchover }},
	{"RecordTTL", "DNS record TTL", func(p *Params) *time.Duration { return &p.RecordTTL }},
}

// LoadCalibration reads dir's calibration file; none is an empty calibration.
func LoadCalibration(dir string) (Calibration, error) {
	b, err := os.ReadFile(filepath.Join(dir, CalibrationFile))
	if errors.Is(err, os.ErrNotExist) {
		return Calibration{}, nil
	}
	if err != nil {
		return Calibration{}, fmt.Errorf("calibration: %w", err)
	}
	var c Calibration
	if err := json.Unmarshal(b, &c); err != nil {
		return Calibration{}, fmt.Errorf("calibration %s: %w", filepath.Join(dir, CalibrationFile), err)
	}
	for k, m := range c.Params {
		if m.Seconds <= 0 || m.Seconds > 3600 {
			return Calibration{}, fmt.Errorf("calibration %s: %s: %g s is not a duration between 0 and 1 h", CalibrationFile, k, m.Seconds)
		}
	}
	return c, nil
}

// Apply sets the measured durations in p and records them as measured.
func (c Calibration) Apply(p Params) Params {
	for _, x := range calibrated {
		if m, ok := c.Params[x.key]; ok {
			*x.field(&p) = time.Duration(m.Seconds * float64(time.Second))
			if p.measured == nil {
				p.measured = map[string]string{}
			}
			p.measured[x.key] = m.Report
		}
	}
	return p
}

// Used lists the calibratable durations p holds and whether each was measured or assumed.
func (p Params) Used() []report.Param {
	var out []report.Param
	for _, x := range calibrated {
		src := "assumed"
		if r, ok := p.measured[x.key]; ok {
			src = "measured in " + r
		}
		out = append(out, report.Param{Key: x.key, Name: x.name, Seconds: report.Seconds(*x.field(&p)), Source: src})
	}
	return out
}

// Calibrate stores, in dir's calibration file, the durations the drill report measured (the
// longest over its legs), keeping earlier values it did not measure. It returns what changed.
func Calibrate(dir, reportPath string, r report.Report) ([]string, error) {
	c, err := LoadCalibration(dir)
	if err != nil {
		return nil, err
	}
	if c.Params == nil {
		c.Params = map[string]Measured{}
	}
	found := map[string]float64{}
	for _, leg := range r.Comparison {
		for k, v := range leg.Measured {
			found[k] = max(found[k], v)
		}
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("calibrate: %s holds no measured duration (was the drill run with its probe, and did shareholders see a write pause?)", reportPath)
	}
	var changed []string
	for k, v := range found {
		c.Params[k] = Measured{Seconds: v, Report: filepath.Base(reportPath), At: r.Started}
		changed = append(changed, fmt.Sprintf("%s = %s (measured)", k, report.Human(v)))
	}
	sort.Strings(changed)
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, CalibrationFile), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	return changed, nil
}

// paramsLine says which durations the simulation used and which of them a drill measured.
func paramsLine(p Params) string {
	var parts []string
	for _, x := range p.Used() {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", x.Name, report.Human(x.Seconds), x.Source))
	}
	return "durations: " + strings.Join(parts, "; ")
}
