package simulate

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/report"
)

func TestCalibrationReplacesAssumedDurationsAndSaysSo(t *testing.T) {
	dir := t.TempDir()
	rep := report.Report{Started: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), Comparison: []report.LegComparison{
		{Leg: 1, Measured: map[string]float64{"AuroraWritePause": 47}},
		{Leg: 2, Measured: map[string]float64{"AuroraWritePause": 41}},
	}}
	changed, err := Calibrate(dir, "reports/20260601T100000Z.json", rep)
	require.NoError(t, err)
	assert.Equal(t, []string{"AuroraWritePause = 47 s (measured)"}, changed, "the longer of the legs")

	cal, err := LoadCalibration(dir)
	require.NoError(t, err)
	p := cal.Apply(Defaults())
	assert.Equal(t, 47*time.Second, p.AuroraWritePause)
	assert.Equal(t, Defaults().CacheFailover, p.CacheFailover, "not measured: the default stays")
	used := map[string]report.Param{}
	for _, x := range p.Used() {
		used[x.Key] = x
	}
	assert.Equal(t, "measured in 20260601T100000Z.json", used["AuroraWritePause"].Source)
	assert.Equal(t, "assumed", used["CacheFailover"].Source)
	assert.Contains(t, paramsLine(p), "Aurora write pause 47 s (measured in 20260601T100000Z.json)")
}

func TestCalibrationRefusesNonsense(t *testing.T) {
	dir := t.TempDir()
	_, err := Calibrate(dir, "r.json", report.Report{})
	assert.ErrorContains(t, err, "holds no measured duration")
	require.NoError(t, os.WriteFile(filepath.Join(dir, CalibrationFile), []byte(`{"params":{"AuroraWritePause":{"seconds":-3}}}`), 0o644))
	_, err = LoadCalibration(dir)
	assert.ErrorContains(t, err, "AuroraWritePause")
}
