package runbook

import (
	"context"
	"fmt"
	"strconv"

	"github.com/agm-dr/agm-dr/config"
)

// Sleeping implements DevProject: agm-dr:sleeping in Pulumi.yaml (absent: awake).
func (p ProjectFile) Sleeping(context.Context) (bool, error) {
	_, doc, err := p.read()
	if err != nil {
		return false, err
	}
	n, err := find(doc, config.KeySleeping)
	if err != nil {
		return false, nil
	}
	b, err := strconv.ParseBool(n.Value)
	if err != nil {
		return false, fmt.Errorf("%s: %s: %q is not true or false", p.Path, config.KeySleeping, n.Value)
	}
	return b, nil
}

// SetSleeping implements DevProject. Like SetPrimary it replaces only the value's bytes and
// writes atomically; the key must exist (Pulumi.yaml ships it as false).
func (p ProjectFile) SetSleeping(_ context.Context, asleep bool) (bool, error) {
	src, doc, err := p.read()
	if err != nil {
		return false, err
	}
	n, err := find(doc, config.KeySleeping)
	if err != nil {
		return false, fmt.Errorf("%s: %w; add it under config:\n  %s:\n    value: false", p.Path, err, config.KeySleeping)
	}
	out, changed, err := apply(src, []edit{{n, strconv.FormatBool(asleep)}})
	if err != nil || !changed {
		return false, err
	}
	if err := writeAtomic(p.Path, out); err != nil {
		return false, err
	}
	return true, nil
}
