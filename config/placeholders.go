package config

import (
	"fmt"
	"strings"
)

// exampleDomains are the names reserved for documentation (RFC 2606 for .com/.net/.org and the
// .example TLD; JPRS reserves example.jp): a domain under one of them is the repo's placeholder,
// never a service's real name.
var exampleDomains = []string{"example.com", "example.net", "example.org", "example.jp", "example"}

// Placeholders lists the values that still carry the repo's placeholders, each naming its key:
// the example domain and an empty alarm e-mail. `drctl check` refuses a production deploy with
// any of them ("Make it yours" in the README).
func (c Config) Placeholders() []string {
	var out []string
	name := strings.ToLower(strings.TrimSuffix(c.Domain.Name, "."))
	for _, d := range exampleDomains {
		if name == d || strings.HasSuffix(name, "."+d) {
			out = append(out, fmt.Sprintf("%s: name %q is a documentation example (%s is reserved): set your service's public host name", KeyDomain, c.Domain.Name, d))
			break
		}
	}
	if strings.TrimSpace(c.AlarmEmail) == "" {
		out = append(out, fmt.Sprintf("%s: not set: set the on-call address the alarms go to", KeyAlarmEmail))
	}
	return out
}
