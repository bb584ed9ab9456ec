package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Files are the paths one report was written to.
type Files struct {
	JSON, Markdown, SVG string
}

// Write writes r into dir as <stem>.json, <stem>.md and <stem>.svg (the timeline the Markdown
// shows), the stem naming the run and its time (Stem). An existing report is never overwritten:
// a suffix is added.
func Write(dir string, r Report) (Files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, fmt.Errorf("report: creating %s: %w", dir, err)
	}
	base := Stem(r)
	stem := base
	for i := 2; exists(filepath.Join(dir, stem+".json")); i++ {
		stem = fmt.Sprintf("%s-%d", base, i)
	}
	f := Files{
		JSON:     filepath.Join(dir, stem+".json"),
		Markdown: filepath.Join(dir, stem+".md"),
		SVG:      filepath.Join(dir, stem+".svg"),
	}
	js, err := JSON(r)
	if err != nil {
		return Files{}, err
	}
	for _, w := range []struct {
		path string
		data []byte
	}{
		{f.JSON, js},
		{f.SVG, []byte(SVG(r))},
		{f.Markdown, []byte(Markdown(r, filepath.Base(f.SVG)))},
	} {
		if err := os.WriteFile(w.path, w.data, 0o644); err != nil {
			return Files{}, fmt.Errorf("report: writing %s: %w", w.path, err)
		}
	}
	if r.Observed != nil {
		plot := filepath.Join(dir, ObservedPlotName(filepath.Base(f.SVG)))
		if err := os.WriteFile(plot, []byte(ObservedSVG(r)), 0o644); err != nil {
			return Files{}, fmt.Errorf("report: writing %s: %w", plot, err)
		}
	}
	return f, nil
}

// ObservedPlotName is the file of the probe plot beside the timeline svg.
func ObservedPlotName(svg string) string {
	return strings.TrimSuffix(svg, ".svg") + "-shareholders.svg"
}

// JSON is the machine-readable report.
func JSON(r Report) ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: encoding JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// Read loads a report written by Write.
func Read(path string) (Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return Report{}, fmt.Errorf("report: %s: %w", path, err)
	}
	return r, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Human formats seconds for people: "850 ms", "42.1 s", "4 min 10 s", "1 h 2 min".
func Human(sec float64) string {
	d := time.Duration(sec * float64(time.Second))
	switch {
	case d == 0:
		return "0 s"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", sec), ".0") + " s"
	case d < time.Hour:
		d = d.Round(time.Second)
		if d%time.Minute == 0 {
			return fmt.Sprintf("%d min", int(d.Minutes()))
		}
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}
