package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The repo's placeholders are named by key; a real name and address are not placeholders.
func TestPlaceholdersNameTheirKeys(t *testing.T) {
	for name, tc := range map[string]struct {
		domain, email string
		want          []string
	}{
		"the repo's values":   {"agm.example.jp", "", []string{KeyDomain, KeyAlarmEmail}},
		"example.com, e-mail": {"vote.example.com.", "oncall@corp.jp", []string{KeyDomain}},
		".example TLD":        {"agm.example", "oncall@corp.jp", []string{KeyDomain}},
		"made its own":        {"agm.corp.co.jp", "oncall@corp.co.jp", nil},
		"not a suffix match":  {"myexample.jp", "oncall@corp.jp", nil},
	} {
		got := Config{Domain: Domain{Name: tc.domain}, AlarmEmail: tc.email}.Placeholders()
		assert.Len(t, got, len(tc.want), name)
		for i, key := range tc.want {
			if i < len(got) {
				assert.Contains(t, got[i], key+":", name)
			}
		}
	}
}
