package switchover

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// check reports whether the awaited state is reached and a short status for
// the progress line.
type check func(ctx context.Context) (done bool, status string, err error)

// waitFor polls c every poll until it reports done, ctx ends, the run's
// deadline passes on its clock (context.DeadlineExceeded) or c fails.
// The first check runs at once: emulators and fast AWS paths finish before
// the first interval, and a sleep there would be pure overhead.
func waitFor(ctx context.Context, p *phases, poll time.Duration, what string, c check) error {
	last := ""
	for {
		done, status, err := c(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		if status != last {
			p.log.Info(fmt.Sprintf("waiting for %s: %s (total %s)", what, status, round(p.elapsed())))
			last = status
		} else {
			p.log.Status(fmt.Sprintf("waiting for %s: %s (total %s)", what, status, round(p.elapsed())))
		}
		if !p.deadline.IsZero() && !p.now().Add(poll).Before(p.deadline) {
			// The next poll would land past the deadline: stop on the
			// run's clock, not only the context's wall-clock timer.
			if err := p.clock.Sleep(ctx, p.deadline.Sub(p.now())); err != nil {
				return err
			}
			return fmt.Errorf("waiting for %s: %w", what, context.DeadlineExceeded)
		}
		if err := p.clock.Sleep(ctx, poll); err != nil {
			return err
		}
	}
}

// timeoutError turns a deadline hit into an Error telling the operator that
// the change may still finish in AWS and that a re-run resumes it.
func timeoutError(api, resource string, timeout time.Duration, err error) error {
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		err = e.Err
	}
	return &Error{
		API:      api,
		Resource: resource,
		Err:      fmt.Errorf("%w after %s: %v", ErrTimeout, timeout, err),
		Hint: "the change may still be running in AWS; re-run `pulumi up` to resume " +
			"waiting (no second switchover is started), or raise timeoutSeconds",
	}
}
