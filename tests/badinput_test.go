package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/stacks"
)

// badInput is one malformed or hostile configuration: set overrides keys (an empty string is
// kept as an empty string), drop removes keys. The run must fail with an error naming key.
type badInput struct {
	name string
	set  map[string]string
	key  string
	want string // an extra part of the message, "" for none
}

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func window(fields string) string {
	return `{"timezone":"Asia/Tokyo","windows":[{"name":"w",` + fields + `}]}`
}

func cidrs(tokyo, osaka string) string {
	return `{"ap-northeast-1":"` + tokyo + `","ap-northeast-3":"` + osaka + `"}`
}

var (
	kCap, kCidr, kSeason, kSw = config.KeyCapacity, config.KeyVpcCidrs, config.KeySeason, config.KeySwitchover
	kImage, kDomain, kEmail   = config.KeyAppImage, config.KeyDomain, config.KeyAlarmEmail
)

var badInputs = []badInput{
	// wrong types
	{"capacity: number as a word", map[string]string{kCap: `{"primaryTasks":"six"}`}, kCap, "not a valid object"},
	{"capacity: number as a string", map[string]string{kCap: `{"primaryTasks":"6","standbyTasks":2,"maxTasks":40}`}, kCap, "not a valid object"},
	{"capacity: array where an object goes", map[string]string{kCap: `[6,2,40]`}, kCap, "not a valid object"},
	{"capacity: bare number", map[string]string{kCap: `6`}, kCap, "not a valid object"},
	{"vpcCidrs: array where a map goes", map[string]string{kCidr: `["10.10.0.0/16","10.20.0.0/16"]`}, kCidr, "not a valid object"},
	{"season: windows as an object", map[string]string{kSeason: `{"windows":{"name":"june"}}`}, kSeason, "not a valid object"},
	{"season: fractional minTasks", map[string]string{kSeason: window(`"start":"06-01 08:00","end":"06-02 08:00","minTasks":2.5`)}, kSeason, "not a valid object"},
	{"switchover: timeout as a string", map[string]string{kSw: `{"timeoutSeconds":"1800"}`}, kSw, "not a valid object"},
	{"domain: plain string where an object goes", map[string]string{kDomain: `agm.example.jp`}, kDomain, "not a valid object"},
	{"profile: boolean", map[string]string{config.KeyProfile: `true`}, config.KeyProfile, "allowed: production, dev"},
	// empty and blank strings
	{"appImage: empty", map[string]string{kImage: ""}, kImage, "required"},
	{"primaryRegion: empty", map[string]string{config.KeyPrimaryRegion: ""}, config.KeyPrimaryRegion, "required"},
	{"aws:region: empty", map[string]string{config.KeyRegion: ""}, config.KeyRegion, "required"},
	{"namePrefix: empty", map[string]string{config.KeyNamePrefix: ""}, config.KeyNamePrefix, "lowercase"},
	{"appImage: blank", map[string]string{kImage: "   "}, kImage, "not a valid image tag"},
	{"alarmEmail: blank", map[string]string{kEmail: "   "}, kEmail, "not an email"},
	// unknown keys and fields
	{"unknown key (typo)", map[string]string{"agm-dr:primaryRegon": config.Osaka}, "agm-dr:primaryRegon", "unknown key"},
	{"unknown key (case)", map[string]string{"agm-dr:Profile": "dev"}, "agm-dr:Profile", "unknown key"},
	{"capacity: unknown field", map[string]string{kCap: `{"primaryTasks":6,"standbyTasks":2,"maxTasks":40,"burst":10}`}, kCap, "unknown field"},
	// traffic without a data-plane path: no health check target
	{"domain: no readinessPath", map[string]string{kDomain: `{"name":"agm.example.jp"}`}, kDomain, "readinessPath is required"},
	{"domain: readinessPath is the liveness path", map[string]string{kDomain: `{"name":"agm.example.jp","readinessPath":"/healthz"}`}, kDomain, "liveness path"},
	{"domain: unknown field", map[string]string{kDomain: `{"name":"agm.example.jp","readinessPath":"/readyz/primary","ttl":60}`}, kDomain, "unknown field"},
	{"switchover: misspelt field", map[string]string{kSw: `{"mood":"planned"}`}, kSw, "unknown field"},
	{"season window: unknown field", map[string]string{kSeason: window(`"start":"06-01 08:00","end":"06-02 08:00","minTasks":3,"days":5`)}, kSeason, "unknown field"},
	// huge and negative numbers
	{"capacity: 1e18 tasks", map[string]string{kCap: `{"primaryTasks":1e18,"standbyTasks":2,"maxTasks":40}`}, kCap, "1e18"},
	{"capacity: maxTasks 1000000", map[string]string{kCap: `{"primaryTasks":6,"standbyTasks":2,"maxTasks":1000000}`}, kCap, "above the limit"},
	{"capacity: negative standby", map[string]string{kCap: `{"primaryTasks":6,"standbyTasks":-1,"maxTasks":40}`}, kCap, "standbyTasks is -1"},
	{"switchover: timeout 99999999999", map[string]string{kSw: `{"timeoutSeconds":99999999999}`}, kSw, "timeoutSeconds is 99999999999"},
	{"switchover: negative poll", map[string]string{kSw: `{"pollSeconds":-5}`}, kSw, "pollSeconds is -5"},
	{"switchover: number beyond float64", map[string]string{kSw: `{"rpoBudgetSeconds":1e400}`}, kSw, "not a valid object"},
	{"season: minTasks 1000000", map[string]string{kSeason: window(`"start":"06-01 08:00","end":"06-02 08:00","minTasks":1000000`)}, kSeason, "minTasks is 1000000"},
	{"season: negative minTasks", map[string]string{kSeason: window(`"start":"06-01 08:00","end":"06-02 08:00","minTasks":-3`)}, kSeason, "minTasks is -3"},
	// CIDRs
	{"cidrs: identical", map[string]string{kCidr: cidrs("10.10.0.0/16", "10.10.0.0/16")}, kCidr, "overlap"},
	{"cidrs: one inside the other", map[string]string{kCidr: cidrs("10.10.0.0/16", "10.10.16.0/20")}, kCidr, "overlap"},
	{"cidrs: public 8.8.8.0/24", map[string]string{kCidr: cidrs("8.8.8.0/24", "10.20.0.0/16")}, kCidr, "not a private IPv4 range"},
	{"cidrs: carrier-grade NAT 100.64.0.0/16", map[string]string{kCidr: cidrs("100.64.0.0/16", "10.20.0.0/16")}, kCidr, "not a private IPv4 range"},
	{"cidrs: IPv6", map[string]string{kCidr: cidrs("fd00:10::/48", "10.20.0.0/16")}, kCidr, "not a private IPv4 range"},
	{"cidrs: host bits set", map[string]string{kCidr: cidrs("10.10.1.0/16", "10.20.0.0/16")}, kCidr, "host bits"},
	{"cidrs: too large (/8)", map[string]string{kCidr: cidrs("10.0.0.0/8", "172.16.0.0/16")}, kCidr, "between /16 and /23"},
	{"cidrs: too small (/28)", map[string]string{kCidr: cidrs("10.10.0.0/28", "10.20.0.0/16")}, kCidr, "between /16 and /23"},
	{"cidrs: /24 gives /28 subnets, below the ALB's /27", map[string]string{kCidr: cidrs("10.10.0.0/24", "10.20.0.0/16")}, kCidr, "between /16 and /23"},
	{"cidrs: /23 too small for 40 tasks", map[string]string{kCidr: cidrs("10.10.0.0/23", "10.20.0.0/16")}, kCidr, "task addresses per private subnet"},
	{"cidrs: no prefix length", map[string]string{kCidr: cidrs("10.10.0.0", "10.20.0.0/16")}, kCidr, "not a CIDR"},
	{"cidrs: unknown region", map[string]string{kCidr: `{"ap-northeast-1":"10.10.0.0/16","ap-northeast-2":"10.20.0.0/16"}`}, kCidr, "unknown region"},
	// schedules that never fire
	{"schedule: 02-30", map[string]string{kSeason: window(`"start":"02-30 08:00","end":"03-02 08:00","minTasks":3`)}, kSeason, "never fire"},
	{"schedule: month 13", map[string]string{kSeason: window(`"start":"13-01 08:00","end":"12-31 08:00","minTasks":3`)}, kSeason, "never fire"},
	{"schedule: 02-29", map[string]string{kSeason: window(`"start":"02-29 08:00","end":"03-01 08:00","minTasks":3`)}, kSeason, "does not occur every year"},
	{"schedule: end before start", map[string]string{kSeason: window(`"start":"06-30 08:00","end":"06-01 08:00","minTasks":3`)}, kSeason, "not after start"},
	{"schedule: 24:00", map[string]string{kSeason: window(`"start":"06-01 24:00","end":"06-02 08:00","minTasks":3`)}, kSeason, "no such time of day"},
	{"schedule: words", map[string]string{kSeason: window(`"start":"June 1","end":"06-02 08:00","minTasks":3`)}, kSeason, `"MM-DD HH:MM"`},
	{"schedule: unknown timezone", map[string]string{kSeason: `{"timezone":"Mars/Olympus","windows":[]}`}, kSeason, "IANA"},
	{"schedule: window above maxTasks", map[string]string{kSeason: window(`"start":"06-01 08:00","end":"06-02 08:00","minTasks":41`)}, kSeason, "minTasks is 41"},
	{"schedule: duplicate names", map[string]string{kSeason: `{"windows":[{"name":"w","start":"06-01 08:00","end":"06-02 08:00","minTasks":3},{"name":"w","start":"07-01 08:00","end":"07-02 08:00","minTasks":3}]}`}, kSeason, "used twice"},
	// image references
	{"image: latest", map[string]string{kImage: "latest"}, kImage, "moving tag"},
	{"image: repo:latest", map[string]string{kImage: "app:latest"}, kImage, "only the tag or digest"},
	{"image: full ECR reference", map[string]string{kImage: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/agm-dr/app:2026.06.1"}, kImage, "only the tag or digest"},
	{"image: repo@digest", map[string]string{kImage: "app@" + digest}, kImage, "only the tag or digest"},
	{"image: short digest", map[string]string{kImage: "sha256:abc"}, kImage, "not a sha256 digest"},
	{"image: upper-case digest", map[string]string{kImage: "sha256:" + strings.ToUpper(digest[len("sha256:"):])}, kImage, "not a sha256 digest"},
	{"image: tag of 200 characters", map[string]string{kImage: strings.Repeat("a", 200)}, kImage, "at most 128"},
	// long strings, unicode, control characters
	{"namePrefix: 10000 characters", map[string]string{config.KeyNamePrefix: strings.Repeat("a", 10000)}, config.KeyNamePrefix, "3-20"},
	{"domain: unicode name", map[string]string{kDomain: `{"name":"株主総会.example.jp"}`}, kDomain, "not a DNS name"},
	{"image: NUL byte", map[string]string{kImage: "2026\x00.06"}, kImage, "not a valid image tag"},
	{"alarmEmail: header injection", map[string]string{kEmail: "ops@example.com\r\nBcc: all@example.com"}, kEmail, "not an email"},
	{"profile: trailing newline", map[string]string{config.KeyProfile: "production\n"}, config.KeyProfile, "allowed"},
	{"primaryRegion: zero-width space", map[string]string{config.KeyPrimaryRegion: "ap-northeast-1\u200b"}, config.KeyPrimaryRegion, "allowed"},
	// JSON injection and null
	{"capacity: two concatenated objects", map[string]string{kCap: `{"a":1}{"b":2}`}, kCap, "unknown field"},
	{"switchover: quote injection", map[string]string{kSw: `{"mode":"planned\",\"x\":\"y"}`}, kSw, "not allowed"},
	{"vpcCidrs: null", map[string]string{kCidr: `null`}, kCidr, "empty or null"},
	{"domain: null", map[string]string{kDomain: `null`}, kDomain, "empty or null"},
	// region facts
	{"aws:region of the other stack", map[string]string{config.KeyRegion: config.Osaka}, config.KeyRegion, "must be in ap-northeast-1"},
	{"primaryRegion as a stack name", map[string]string{config.KeyPrimaryRegion: "osaka"}, config.KeyPrimaryRegion, "allowed"},
	{"homeRegion outside the pair", map[string]string{config.KeyHomeRegion: "us-east-1"}, config.KeyHomeRegion, "allowed"},
	{"switchover: poll not below timeout", map[string]string{kSw: `{"timeoutSeconds":60,"pollSeconds":60}`}, kSw, "must be less than"},
	// once accepted by config.Parse (found by this suite and the fuzzer), now refused
	{"vpcCidrs: empty string", map[string]string{kCidr: ""}, kCidr, "empty or null"},
	{"domain: empty string", map[string]string{kDomain: ""}, kDomain, "empty or null"},
	{"homeRegion: empty string", map[string]string{config.KeyHomeRegion: ""}, config.KeyHomeRegion, "empty"},
	{"profile: empty string", map[string]string{config.KeyProfile: ""}, config.KeyProfile, `"" is not allowed`},
	{"capacity: trailing JSON object", map[string]string{kCap: `{"primaryTasks":6,"standbyTasks":2,"maxTasks":40}{"maxTasks":1}`}, kCap, "unexpected data after the object"},
	{"capacity: null", map[string]string{kCap: `null`}, kCap, "empty or null"},
	{"season: timezone Local", map[string]string{kSeason: `{"timezone":"Local","windows":[]}`}, kSeason, "IANA"},
	{"season: signed month", map[string]string{kSeason: window(`"start":"+6-01 08:00","end":"06-02 08:00","minTasks":3`)}, kSeason, "MM-DD HH:MM"},
	{"season: overlapping windows", map[string]string{kSeason: `{"windows":[{"name":"a","start":"06-01 08:00","end":"06-03 08:00","minTasks":10},{"name":"b","start":"06-02 08:00","end":"06-04 08:00","minTasks":20}]}`}, kSeason, "overlaps windows[0]"},
	{"image: LATEST", map[string]string{kImage: "LATEST"}, kImage, "moving tag"},
	{"unknown namespace (case)", map[string]string{"AGM-DR:profile": "dev"}, "AGM-DR:profile", "unknown key"},
}

// runAsEngine runs the whole program with the repo's config changed by set, passing the full
// config in PULUMI_CONFIG as the engine does (config.Load reads unknown keys only from there).
func runAsEngine(t *testing.T, stack string, set map[string]string) (*capture.Result, error) {
	t.Helper()
	cfg, err := capture.ProjectConfig(repoRoot, stack)
	require.NoError(t, err)
	for k, v := range set {
		cfg[k] = v
	}
	env, err := json.Marshal(cfg)
	require.NoError(t, err)
	t.Setenv(pulumi.EnvConfig, string(env))
	return capture.Run(stacks.Program, capture.Options{
		Project: config.Namespace, Stack: stack, Config: cfg, StackOutputs: peerOutputs,
	})
}

func checkRefused(t *testing.T, c badInput, res *capture.Result, err error) {
	t.Helper()
	require.Error(t, err, "%s was accepted", c.name)
	assert.Contains(t, err.Error(), c.key, "the error must name the key")
	if c.want != "" {
		assert.Contains(t, err.Error(), c.want)
	}
	if res != nil {
		assert.Empty(t, res.Resources, "nothing may be registered for an invalid config")
	}
}

// TestBadInputIsRefusedBeforeAnythingIsRegistered feeds every hostile config through the whole
// program, for both stacks.
func TestBadInputIsRefusedBeforeAnythingIsRegistered(t *testing.T) {
	require.GreaterOrEqual(t, len(badInputs), 30)
	for _, c := range badInputs {
		t.Run(c.name, func(t *testing.T) {
			res, err := runAsEngine(t, config.TokyoStack, c.set)
			checkRefused(t, c, res, err)
		})
	}
	t.Run("osaka", func(t *testing.T) { // the peer stack refuses the same way
		for _, c := range badInputs[:12] {
			res, err := runAsEngine(t, config.OsakaStack, c.set)
			checkRefused(t, c, res, err)
		}
	})
}

// TestBadInputCountIsDocumented keeps the case count in docs/policies.md true.
func TestBadInputCountIsDocumented(t *testing.T) {
	b, err := os.ReadFile(repoRoot + "/docs/policies.md")
	require.NoError(t, err)
	assert.Contains(t, string(b), fmt.Sprintf("**%d malformed or hostile configurations**", len(badInputs)))
}
