package main

import "errors"

// Exit codes, the same for every command (listed in `drctl --help` and the README).
const (
	exitOK          = 0 // done, or ready
	exitFailed      = 1 // failed while changing a stack or AWS (or an unexpected error)
	exitRefused     = 2 // refused by input: bad flags, bad config, a stack file that overrides a project key
	exitNotReady    = 3 // a readiness check or preflight refused: nothing was changed
	exitBoundBroken = 4 // simulate: a bound on what shareholders see broke
	exitIncomplete  = 5 // simulate: the simulated switchover did not complete
)

// exitError carries a process exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// quiet is an exit code without a message of its own (the command printed why).
func quiet(code int) error { return &exitError{code: code, err: errors.New("")} }
