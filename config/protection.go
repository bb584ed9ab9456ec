package config

import "strings"

// WAF is the web ACL on each region's load balancer. It is the same in both regions: the
// standby must be protected the moment it takes traffic, and a flip must not change it.
type WAF struct {
	// Mode is "block" (rules act) or "count" (rules only count, for the first days).
	Mode WAFMode `json:"mode"`
	// RateLimit is the most requests one client IP may send in 5 minutes before it is blocked;
	// default DefaultWAFRateLimit, sized for an AGM venue behind one address.
	RateLimit int `json:"rateLimit"`
	// ManagedRuleGroups are AWS managed rule groups by name; the baseline three are required.
	ManagedRuleGroups []string `json:"managedRuleGroups"`
}

// WAFMode is how the web ACL's rules act.
type WAFMode string

const (
	WAFBlock WAFMode = "block"
	WAFCount WAFMode = "count"
)

// Backup is the AWS Backup plan for the Aurora cluster.
type Backup struct {
	// RetentionDays keeps each recovery point (and its copy in the peer region) this long.
	RetentionDays int `json:"retentionDays"`
	// MaxAgeHours is the oldest the latest recovery point of a region may be before `drctl
	// check` fails.
	MaxAgeHours int `json:"maxAgeHours"`
}

// WAF rate limit bounds (requests per 5 minutes per IP). AWS accepts 10 to 2,000,000,000
// (https://aws.amazon.com/about-aws/whats-new/2024/08/aws-waf-rate-based-rules-lower-rate-limits).
const (
	MinWAFRateLimit = 10
	MaxWAFRateLimit = 2000000000
)

// BaselineRuleGroups are the AWS managed rule groups every web ACL must run: core rule set,
// known bad inputs, Amazon IP reputation list.
var BaselineRuleGroups = []string{
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
	"AWSManagedRulesAmazonIpReputationList",
}

// KnownRuleGroups are the AWS managed rule groups (vendor AWS, no subscription, no extra
// configuration) that may be added; anything else is a typo or needs code.
var KnownRuleGroups = append(append([]string{}, BaselineRuleGroups...),
	"AWSManagedRulesAnonymousIpList",
	"AWSManagedRulesSQLiRuleSet",
	"AWSManagedRulesLinuxRuleSet",
	"AWSManagedRulesUnixRuleSet",
	"AWSManagedRulesAdminProtectionRuleSet",
)

// Backup retention bounds, in days. The minimum matches the Aurora automated backups floor
// (policy AGM-RDS-004); the maximum keeps the vault lock's range meaningful.
const (
	MinBackupRetentionDays = 7
	MaxBackupRetentionDays = 3650
	MaxBackupAgeHoursLimit = 24 * 30
)

// An AGM venue: the shareholders in the hall share its Wi-Fi, or one mobile carrier's NAT, so
// the WAF sees one client IP for all of them, and the meeting page polls the meeting state every
// few seconds. The per-IP rate limit is sized for such a venue during the season's meetings.
const (
	VenueShareholders = 300 // shareholders behind one venue or carrier NAT address
	VenuePollSeconds  = 5   // the meeting page's polling interval
	wafWindowSeconds  = 300 // WAF rate-based rules count over 5 minutes
)

// VenueRequests is what one venue's address sends in WAF's 5-minute window by polling alone.
func VenueRequests(shareholders, pollSeconds int) int {
	return shareholders * wafWindowSeconds / pollSeconds
}

// DefaultWAFRateLimit is twice a venue's polling (page loads, votes and retries on top): 36,000
// requests per address per 5 minutes. A flood from one address is still cut at 120 a second.
var DefaultWAFRateLimit = 2 * VenueRequests(VenueShareholders, VenuePollSeconds)

func defaultWAF() WAF {
	return WAF{Mode: WAFBlock, RateLimit: DefaultWAFRateLimit, ManagedRuleGroups: append([]string{}, BaselineRuleGroups...)}
}

func defaultBackup(p Profile) Backup {
	if p == Dev {
		return Backup{RetentionDays: MinBackupRetentionDays, MaxAgeHours: 26}
	}
	// A daily plan: 26 h leaves two hours for the job to run before the check fails.
	return Backup{RetentionDays: 35, MaxAgeHours: 26}
}

func (p *parser) waf(key string) WAF {
	w := defaultWAF()
	p.object(key, &w)
	if w.Mode != WAFBlock && w.Mode != WAFCount {
		p.failf(key, "mode %q is not allowed; allowed: %s, %s", w.Mode, WAFBlock, WAFCount)
	}
	p.between(key, "rateLimit", w.RateLimit, MinWAFRateLimit, MaxWAFRateLimit)
	seen := map[string]bool{}
	for _, g := range w.ManagedRuleGroups {
		switch {
		case !oneOfStrings(g, KnownRuleGroups):
			p.failf(key, "managedRuleGroups: %q is not a known AWS managed rule group; allowed: %s", g, strings.Join(KnownRuleGroups, ", "))
		case seen[g]:
			p.failf(key, "managedRuleGroups: %q is listed twice", g)
		}
		seen[g] = true
	}
	for _, g := range BaselineRuleGroups {
		if !seen[g] {
			p.failf(key, "managedRuleGroups must include %s (the baseline: %s)", g, strings.Join(BaselineRuleGroups, ", "))
		}
	}
	return w
}

func (p *parser) backup(key string, def Backup) Backup {
	b := def
	p.object(key, &b)
	if b.RetentionDays < MinBackupRetentionDays || b.RetentionDays > MaxBackupRetentionDays {
		p.failf(key, "retentionDays is %d; allowed: %d (minimum) to %d", b.RetentionDays, MinBackupRetentionDays, MaxBackupRetentionDays)
	}
	p.between(key, "maxAgeHours", b.MaxAgeHours, 1, MaxBackupAgeHoursLimit)
	return b
}

func oneOfStrings(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// CountOnly reports whether the web ACL only counts.
func (w WAF) CountOnly() bool { return w.Mode == WAFCount }

// BackupVaultName is the AWS Backup vault of the Aurora cluster. It has the same name in both
// regions, so a stack (and drctl) can name the peer's vault without reading the peer's state.
func (c Config) BackupVaultName() string { return c.NamePrefix + "-aurora" }
