package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/config"
)

// valid is a complete, valid configuration of the tokyo stack.
func valid() map[string]string {
	return map[string]string{
		config.KeyRegion:        config.Tokyo,
		config.KeyPrimaryRegion: config.Tokyo,
		config.KeyHomeRegion:    config.Tokyo,
		config.KeyAppImage:      "2026.06.1",
		config.KeyVpcCidrs:      `{"ap-northeast-1":"10.10.0.0/16","ap-northeast-3":"10.20.0.0/16"}`,
		config.KeyDomain:        `{"name":"agm.example.jp","readinessPath":"/readyz/primary"}`,
		config.KeySeason:        `{"timezone":"Asia/Tokyo","windows":[{"name":"june","start":"06-15 07:00","end":"06-30 21:00","minTasks":20}]}`,
	}
}

func TestParseValid(t *testing.T) {
	c, err := config.Parse(config.TokyoStack, valid())
	require.NoError(t, err)
	assert.Equal(t, config.Tokyo, c.Region)
	assert.Equal(t, config.Osaka, c.PeerRegion)
	assert.Equal(t, config.Production, c.Profile, "profile defaults to production")
	assert.Equal(t, config.RolePrimary, c.Role())
	assert.True(t, c.IsHome())
	assert.Equal(t, 6, c.MinTasks())
	assert.Equal(t, config.Planned, c.Switchover.Mode)
	assert.Equal(t, config.OsakaStack, c.PeerStack())
}

func TestRoleFollowsPrimaryRegion(t *testing.T) {
	raw := valid()
	raw[config.KeyPrimaryRegion] = config.Osaka
	c, err := config.Parse(config.TokyoStack, raw)
	require.NoError(t, err)
	assert.Equal(t, config.RoleStandby, c.Role())
	assert.Equal(t, 2, c.MinTasks(), "standby keeps its warm capacity")
	assert.True(t, c.IsHome(), "home does not move with the primary")
}

func TestDevProfileDefaults(t *testing.T) {
	raw := valid()
	raw[config.KeyProfile] = "dev"
	raw[config.KeySeason] = `{"windows":[]}`
	c, err := config.Parse(config.TokyoStack, raw)
	require.NoError(t, err)
	assert.Equal(t, config.Capacity{PrimaryTasks: 1, StandbyTasks: 1, MaxTasks: 2}, c.Capacity)
}

// TestBadConfigNamesKeyAndAllowed covers each kind of config error: the message must name the
// key and say what is allowed.
func TestBadConfigNamesKeyAndAllowed(t *testing.T) {
	cases := []struct {
		name  string
		stack string
		set   map[string]string
		drop  []string
		want  []string
	}{
		{"unknown region", "tokyo", map[string]string{config.KeyRegion: "us-east-1"}, nil,
			[]string{"aws:region", "us-east-1", "ap-northeast-1", "ap-northeast-3"}},
		{"stack in wrong region", "tokyo", map[string]string{config.KeyRegion: config.Osaka}, nil,
			[]string{"aws:region", "stack tokyo must be in ap-northeast-1"}},
		{"unknown stack", "dev", nil, nil, []string{"stack", `"dev"`, "osaka, tokyo"}},
		{"primary not a stack region", "tokyo", map[string]string{config.KeyPrimaryRegion: "ap-southeast-1"}, nil,
			[]string{"agm-dr:primaryRegion", "ap-southeast-1", "allowed: ap-northeast-1 (tokyo), ap-northeast-3 (osaka)"}},
		{"primary as stack name", "tokyo", map[string]string{config.KeyPrimaryRegion: "osaka"}, nil,
			[]string{"agm-dr:primaryRegion", `"osaka"`, "allowed"}},
		{"primary missing", "tokyo", nil, []string{config.KeyPrimaryRegion}, []string{"agm-dr:primaryRegion: required"}},
		{"home not a stack region", "tokyo", map[string]string{config.KeyHomeRegion: "eu-west-1"}, nil,
			[]string{"agm-dr:homeRegion", "eu-west-1"}},
		{"overlapping cidrs", "tokyo", map[string]string{config.KeyVpcCidrs: `{"ap-northeast-1":"10.0.0.0/16","ap-northeast-3":"10.0.128.0/17"}`}, nil,
			[]string{"agm-dr:vpcCidrs", "overlap"}},
		{"public cidr", "tokyo", map[string]string{config.KeyVpcCidrs: `{"ap-northeast-1":"8.8.0.0/16","ap-northeast-3":"10.20.0.0/16"}`}, nil,
			[]string{"agm-dr:vpcCidrs", "not a private IPv4 range"}},
		{"cidr missing a region", "tokyo", map[string]string{config.KeyVpcCidrs: `{"ap-northeast-1":"10.10.0.0/16"}`}, nil,
			[]string{"agm-dr:vpcCidrs", "missing CIDR for ap-northeast-3"}},
		{"cidr not a cidr", "tokyo", map[string]string{config.KeyVpcCidrs: `{"ap-northeast-1":"10.10.0.0","ap-northeast-3":"10.20.0.0/16"}`}, nil,
			[]string{"agm-dr:vpcCidrs", "not a CIDR"}},
		{"cidrs missing", "tokyo", nil, []string{config.KeyVpcCidrs}, []string{"agm-dr:vpcCidrs: required"}},
		{"image missing", "tokyo", nil, []string{config.KeyAppImage}, []string{"agm-dr:appImage: required"}},
		{"image latest", "tokyo", map[string]string{config.KeyAppImage: "latest"}, nil, []string{"agm-dr:appImage", "moving tag"}},
		{"image with repository", "tokyo", map[string]string{config.KeyAppImage: "nginx:1.27"}, nil, []string{"agm-dr:appImage", "only the tag or digest"}},
		{"image bad digest", "tokyo", map[string]string{config.KeyAppImage: "sha256:abc"}, nil, []string{"agm-dr:appImage", "not a sha256 digest"}},
		{"schedule never fires", "tokyo", map[string]string{config.KeySeason: `{"windows":[{"name":"w","start":"02-30 08:00","end":"03-01 08:00","minTasks":3}]}`}, nil,
			[]string{"agm-dr:season", "windows[0]: start", "never fire"}},
		{"schedule leap day", "tokyo", map[string]string{config.KeySeason: `{"windows":[{"name":"w","start":"02-29 08:00","end":"03-01 08:00","minTasks":3}]}`}, nil,
			[]string{"agm-dr:season", "does not occur every year"}},
		{"schedule ends before start", "tokyo", map[string]string{config.KeySeason: `{"windows":[{"name":"w","start":"06-30 08:00","end":"06-01 08:00","minTasks":3}]}`}, nil,
			[]string{"agm-dr:season", "not after start"}},
		{"schedule bad format", "tokyo", map[string]string{config.KeySeason: `{"windows":[{"name":"w","start":"June 1","end":"06-02 08:00","minTasks":3}]}`}, nil,
			[]string{"agm-dr:season", `"MM-DD HH:MM"`}},
		{"schedule above max", "tokyo", map[string]string{config.KeySeason: `{"windows":[{"name":"w","start":"06-01 08:00","end":"06-02 08:00","minTasks":1000}]}`}, nil,
			[]string{"agm-dr:season", "minTasks is 1000"}},
		{"schedule bad timezone", "tokyo", map[string]string{config.KeySeason: `{"timezone":"Mars/Olympus","windows":[]}`}, nil,
			[]string{"agm-dr:season", "IANA"}},
		{"bad profile", "tokyo", map[string]string{config.KeyProfile: "staging"}, nil,
			[]string{"agm-dr:profile", `"staging"`, "allowed: production, dev"}},
		{"standby without warm tasks", "tokyo", map[string]string{config.KeyCapacity: `{"primaryTasks":4,"standbyTasks":0,"maxTasks":10}`}, nil,
			[]string{"agm-dr:capacity", "standbyTasks is 0"}},
		{"primary below standby", "tokyo", map[string]string{config.KeyCapacity: `{"primaryTasks":1,"standbyTasks":3,"maxTasks":10}`}, nil,
			[]string{"agm-dr:capacity", "primaryTasks (1) must be at least standbyTasks (3)"}},
		{"capacity wrong type", "tokyo", map[string]string{config.KeyCapacity: `{"primaryTasks":"six"}`}, nil,
			[]string{"agm-dr:capacity", "not a valid object"}},
		{"unknown key", "tokyo", map[string]string{"agm-dr:primaryRegon": config.Osaka}, nil,
			[]string{"agm-dr:primaryRegon", "unknown key"}},
		{"unknown field", "tokyo", map[string]string{config.KeySwitchover: `{"mood":"planned"}`}, nil,
			[]string{"agm-dr:switchover", "unknown field"}},
		{"bad mode", "tokyo", map[string]string{config.KeySwitchover: `{"mode":"yolo"}`}, nil,
			[]string{"agm-dr:switchover", `mode "yolo"`, "planned, unplanned"}},
		{"poll above timeout", "tokyo", map[string]string{config.KeySwitchover: `{"timeoutSeconds":60,"pollSeconds":120}`}, nil,
			[]string{"agm-dr:switchover", "pollSeconds (120) must be less than timeoutSeconds (60)"}},
		{"negative client TTL wait", "tokyo", map[string]string{config.KeySwitchover: `{"clientTtlSeconds":-1}`}, nil,
			[]string{"agm-dr:switchover", "clientTtlSeconds is -1; allowed: 0 to 600"}},
		{"client TTL wait above ten minutes", "tokyo", map[string]string{config.KeySwitchover: `{"clientTtlSeconds":601}`}, nil,
			[]string{"agm-dr:switchover", "clientTtlSeconds is 601; allowed: 0 to 600"}},
		{"domain missing", "tokyo", nil, []string{config.KeyDomain}, []string{"agm-dr:domain: required"}},
		{"domain bad name", "tokyo", map[string]string{config.KeyDomain: `{"name":"not a name"}`}, nil,
			[]string{"agm-dr:domain", "not a DNS name"}},
		{"no readiness path: traffic has no data-plane failover", "tokyo", map[string]string{config.KeyDomain: `{"name":"agm.example.jp"}`}, nil,
			[]string{"agm-dr:domain", "readinessPath is required"}},
		{"readiness path is the liveness path", "tokyo", map[string]string{config.KeyDomain: `{"name":"agm.example.jp","readinessPath":"/healthz"}`}, nil,
			[]string{"agm-dr:domain", "liveness path"}},
		{"readiness path not a path", "tokyo", map[string]string{config.KeyDomain: `{"name":"agm.example.jp","readinessPath":"readyz?x=1"}`}, nil,
			[]string{"agm-dr:domain", "absolute URL path"}},
		{"bad email", "tokyo", map[string]string{config.KeyAlarmEmail: "ops at example"}, nil,
			[]string{"agm-dr:alarmEmail", "not an email"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := valid()
			for k, v := range tc.set {
				raw[k] = v
			}
			for _, k := range tc.drop {
				delete(raw, k)
			}
			_, err := config.Parse(tc.stack, raw)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestParseReportsAllErrorsAtOnce(t *testing.T) {
	raw := valid()
	raw[config.KeyProfile] = "staging"
	raw[config.KeyAppImage] = "latest"
	_, err := config.Parse(config.TokyoStack, raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), config.KeyProfile)
	assert.Contains(t, err.Error(), config.KeyAppImage)
}

func TestMomentCron(t *testing.T) {
	m, err := config.ParseMoment("06-15 07:30")
	require.NoError(t, err)
	assert.Equal(t, "cron(30 7 15 6 ? *)", m.Cron())
}
