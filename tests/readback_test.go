package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

// TestEveryReadBackIsSentOrIgnored: after the first `pulumi up`, AWS and the provider report
// some properties differently from the inputs (capture.ReadBackFacts, each with its source).
// Each such difference must be the program's own input or be covered by ignoreChanges, so the
// second `pulumi up` of either stack (and the flip) plans no replacement of a protected resource.
func TestEveryReadBackIsSentOrIgnored(t *testing.T) {
	for _, region := range config.Regions() {
		for _, profile := range []string{string(config.Production), string(config.Dev)} {
			t.Run(region+"/"+profile, func(t *testing.T) {
				o := map[string]string{config.KeyPrimaryRegion: region, config.KeyProfile: profile}
				w := capture.World{
					config.TokyoStack: mustRun(t, config.TokyoStack, o),
					config.OsakaStack: mustRun(t, config.OsakaStack, o),
				}
				for _, d := range capture.ReadBackDrifts(w) {
					t.Errorf("read-back drift: %s", d)
				}
			})
		}
	}
}

// TestReadBackModelSeesEveryFactsResource keeps the model honest: every fact names a resource
// type the program registers, so a renamed type cannot silently switch a fact off.
func TestReadBackModelSeesEveryFactsResource(t *testing.T) {
	w := capture.World{
		config.TokyoStack: mustRun(t, config.TokyoStack, nil),
		config.OsakaStack: mustRun(t, config.OsakaStack, nil),
	}
	for _, f := range capture.ReadBackFacts {
		require.NotEmpty(t, f.Source, "fact %s.%s needs a source", f.Type, f.Property)
		seen := false
		for _, res := range w {
			for _, r := range res.Find(f.Type) {
				if f.Applies == nil || f.Applies(r) {
					seen = true
				}
			}
		}
		assert.True(t, seen, "fact %s.%s applies to no registered resource", f.Type, f.Property)
	}
}
