package main

import (
	"fmt"
	"io"

	"github.com/agm-dr/agm-dr/report"
	"github.com/agm-dr/agm-dr/simulate"
)

// calibrate stores the durations a drill report measured in the project's calibration file;
// later simulations use them and name them measured.
func calibrate(out io.Writer, dir, reportPath string) error {
	rep, err := report.Read(reportPath)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	changed, err := simulate.Calibrate(dir, reportPath, rep)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(out, "Calibrated from %s into %s:\n", reportPath, simulate.CalibrationFile)
	for _, c := range changed {
		fmt.Fprintf(out, "  %s\n", c)
	}
	fmt.Fprintln(out, "Later simulations use these values and mark them measured; commit the file.")
	return nil
}
