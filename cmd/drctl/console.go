package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/agm-dr/agm-dr/runbook"
)

// console prints live progress with the time elapsed since the run started:
//
//	[00:42] osaka: ~ agmdr:index:AuroraWriter aurora-writer updating (12s)
type console struct {
	mu    sync.Mutex
	out   io.Writer
	start time.Time
}

func newConsole(out io.Writer) *console { return &console{out: out, start: time.Now()} }

func (c *console) line(l runbook.Line) {
	c.mu.Lock()
	defer c.mu.Unlock()
	at := l.At
	if at.IsZero() {
		at = time.Now()
	}
	fmt.Fprintf(c.out, "[%s] ", elapsed(at.Sub(c.start)))
	if l.Stack != "" {
		fmt.Fprintf(c.out, "%s: ", l.Stack)
	}
	fmt.Fprintln(c.out, l.Text)
}

// elapsed formats mm:ss (h:mm:ss past an hour).
func elapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// confirm asks the operator to type the target stack's name. Without an answer (no terminal,
// end of input) it refuses: acting needs --yes there.
func confirm(in io.Reader, out io.Writer, stack string) bool {
	fmt.Fprintf(out, "\nType %q to proceed (or pass --yes): ", stack)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(out)
		return false
	}
	return strings.TrimSpace(line) == stack
}
