package config_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/agm-dr/agm-dr/config"
)

// fuzzKeys are the keys FuzzParse sets, in the order of its string arguments after stack.
var fuzzKeys = []string{
	config.KeyRegion, config.KeyPrimaryRegion, config.KeyHomeRegion, config.KeyProfile, config.KeyNamePrefix,
	config.KeyVpcCidrs, config.KeyAppImage, config.KeyCapacity, config.KeySeason, config.KeyDomain,
	config.KeyAlarmEmail, config.KeySwitchover,
}

// FuzzParse checks that Parse never panics and that every configuration it accepts satisfies
// the invariants the program relies on. absent is a bit mask of fuzzKeys left out; extra, when
// not empty, adds the key "agm-dr:<extra>".
//
//	go test -fuzz FuzzParse -fuzztime 60s ./config/
//
// The seed corpus is in testdata/fuzz/FuzzParse plus the f.Add calls below.
func FuzzParse(f *testing.F) {
	v := valid()
	seed := func(stack string, set map[string]string, absent uint16, extra string) {
		vals := make([]string, len(fuzzKeys))
		for i, k := range fuzzKeys {
			vals[i] = v[k]
			if s, ok := set[k]; ok {
				vals[i] = s
			}
		}
		f.Add(stack, vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8], vals[9], vals[10], vals[11], absent, extra)
	}
	seed(config.TokyoStack, nil, 0, "")
	seed(config.OsakaStack, map[string]string{config.KeyRegion: config.Osaka, config.KeyPrimaryRegion: config.Osaka}, 0, "")
	seed(config.TokyoStack, map[string]string{config.KeyProfile: "dev", config.KeySeason: `{"windows":[]}`, config.KeyCapacity: ""}, 0, "")
	seed(config.TokyoStack, map[string]string{config.KeyCapacity: `{"primaryTasks":1e18}`}, 0, "")
	seed(config.TokyoStack, map[string]string{config.KeyVpcCidrs: `{"ap-northeast-1":"10.0.0.0/16","ap-northeast-3":"10.0.128.0/17"}`}, 0, "")
	seed(config.TokyoStack, map[string]string{config.KeySeason: `{"windows":[{"name":"w","start":"02-29 08:00","end":"03-01 08:00","minTasks":3}]}`}, 0, "")
	seed(config.TokyoStack, map[string]string{config.KeyAppImage: "latest"}, 0, "primaryRegon")
	seed("dev", nil, 1<<5|1<<6, "")

	f.Fuzz(func(t *testing.T, stack, region, primary, home, profile, prefix, cidrs, image, capacity, season, domain, email, switchover string, absent uint16, extra string) {
		raw := map[string]string{}
		for i, val := range []string{region, primary, home, profile, prefix, cidrs, image, capacity, season, domain, email, switchover} {
			if absent&(1<<i) == 0 {
				raw[fuzzKeys[i]] = val
			}
		}
		if extra != "" {
			raw[config.Namespace+":"+extra] = "x"
		}
		c, err := config.Parse(stack, raw) // must not panic
		if err != nil {
			if !strings.Contains(err.Error(), ": ") {
				t.Fatalf("error does not name a key: %v", err)
			}
			return
		}
		checkInvariants(t, stack, raw, c)
	})
}

// checkInvariants are what an accepted configuration guarantees to the program.
func checkInvariants(t *testing.T, stack string, raw map[string]string, c config.Config) {
	t.Helper()
	for k := range raw {
		if strings.HasPrefix(k, config.Namespace+":") && !known(k) {
			t.Errorf("unknown key %q accepted", k)
		}
	}
	if c.Region != config.RegionFor(stack) || c.PeerRegion != config.Peer(c.Region) || c.PeerRegion == c.Region {
		t.Errorf("stack %q: region %q, peer %q", stack, c.Region, c.PeerRegion)
	}
	for name, r := range map[string]string{"primaryRegion": c.PrimaryRegion, "homeRegion": c.HomeRegion} {
		if r != config.Tokyo && r != config.Osaka {
			t.Errorf("%s %q is not one of the two regions", name, r)
		}
	}
	if c.Profile != config.Production && c.Profile != config.Dev {
		t.Errorf("profile %q", c.Profile)
	}
	checkCidrs(t, c.VpcCidrs)
	if c.Domain.Name == "" || strings.ContainsAny(c.Domain.Name, " \t\r\n/") {
		t.Errorf("domain name %q", c.Domain.Name)
	}
	if c.AppImage == "" || strings.EqualFold(c.AppImage, "latest") || (strings.ContainsAny(c.AppImage, "/:@") && !strings.HasPrefix(c.AppImage, "sha256:")) {
		t.Errorf("image %q is not a pinned tag or digest", c.AppImage)
	}
	if cp := c.Capacity; cp.StandbyTasks < 1 || cp.PrimaryTasks < cp.StandbyTasks || cp.MaxTasks < cp.PrimaryTasks || cp.MaxTasks > 500 {
		t.Errorf("capacity %+v breaks 1 <= standby <= primary <= max <= 500", cp)
	}
	if c.MinTasks() < 1 {
		t.Errorf("MinTasks %d: the standby would run no warm task", c.MinTasks())
	}
	if _, err := time.LoadLocation(c.Season.Timezone); err != nil {
		t.Errorf("timezone %q: %v", c.Season.Timezone, err)
	}
	for _, w := range c.Season.Windows {
		start, errS := config.ParseMoment(w.Start)
		end, errE := config.ParseMoment(w.End)
		if errS != nil || errE != nil || !start.Before(end) || w.MinTasks < 1 || w.MinTasks > c.Capacity.MaxTasks {
			t.Errorf("window %+v would not fire as configured", w)
		}
	}
	s := c.Switchover
	if (s.Mode != config.Planned && s.Mode != config.Unplanned) || s.PollSeconds < 1 || s.PollSeconds >= s.TimeoutSeconds {
		t.Errorf("switchover %+v", s)
	}
}

func checkCidrs(t *testing.T, cidrs map[string]string) {
	t.Helper()
	var pfx []netip.Prefix
	for _, r := range config.Regions() {
		p, err := netip.ParsePrefix(cidrs[r])
		if err != nil || !p.Addr().Is4() || !p.Addr().IsPrivate() || p.Bits() < config.MinVpcPrefix || p.Bits() > config.MaxVpcPrefix || p.Masked() != p {
			t.Errorf("CIDR of %s %q is not a private, masked /16../23", r, cidrs[r])
			return
		}
		pfx = append(pfx, p)
	}
	if pfx[0].Overlaps(pfx[1]) {
		t.Errorf("CIDRs %v overlap", pfx)
	}
}

func known(k string) bool {
	for _, x := range config.Keys {
		if x == k {
			return true
		}
	}
	return false
}
