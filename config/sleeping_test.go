package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

func TestSleeping(t *testing.T) {
	dev := func(sleeping string) map[string]string {
		raw := valid()
		raw[config.KeyProfile] = "dev"
		raw[config.KeySeason] = `{"windows":[]}`
		if sleeping != "-" {
			raw[config.KeySleeping] = sleeping
		}
		return raw
	}
	cases := []struct {
		name    string
		raw     map[string]string
		want    bool
		wantErr []string
	}{
		{"absent is awake", dev("-"), false, nil},
		{"dev asleep", dev("true"), true, nil},
		{"dev awake", dev("false"), false, nil},
		{"not a bool", dev("yes please"), false, []string{config.KeySleeping, "allowed: true, false"}},
		{"production refused", func() map[string]string { r := valid(); r[config.KeySleeping] = "true"; return r }(), false,
			[]string{config.KeySleeping, "refused for profile production", "only profile dev"}},
		{"production awake is fine", func() map[string]string { r := valid(); r[config.KeySleeping] = "false"; return r }(), false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Parse(config.TokyoStack, tc.raw)
			if tc.wantErr != nil {
				require.Error(t, err)
				for _, w := range tc.wantErr {
					assert.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Sleeping)
		})
	}
}
