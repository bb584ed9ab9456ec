package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Config keys. primaryRegion and homeRegion live only in Pulumi.yaml, so both stacks read the
// same value; aws:region is the one per-stack fact.
const (
	KeyRegion        = "aws:region"
	KeyPrimaryRegion = Namespace + ":primaryRegion"
	KeyHomeRegion    = Namespace + ":homeRegion"
	KeyProfile       = Namespace + ":profile"
	KeyNamePrefix    = Namespace + ":namePrefix"
	KeyVpcCidrs      = Namespace + ":vpcCidrs"
	KeyAppImage      = Namespace + ":appImage"
	KeyCapacity      = Namespace + ":capacity"
	KeySeason        = Namespace + ":season"
	KeyDomain        = Namespace + ":domain"
	KeyAlarmEmail    = Namespace + ":alarmEmail"
	KeySwitchover    = Namespace + ":switchover"
	KeyWAF           = Namespace + ":waf"
	KeyBackup        = Namespace + ":backup"
	KeySleeping      = Namespace + ":sleeping"
)

// Keys lists every key the program reads; any other key in the agm-dr namespace is an error,
// because a typo there would otherwise silently fall back to a default.
var Keys = []string{
	KeyRegion, KeyPrimaryRegion, KeyHomeRegion, KeyProfile, KeyNamePrefix, KeyVpcCidrs,
	KeyAppImage, KeyCapacity, KeySeason, KeyDomain, KeyAlarmEmail, KeySwitchover,
	KeyClasses,
	KeyWAF, KeyBackup,
	KeySleeping,
	KeyAdopted,
}

// Config is the whole validated configuration of one stack.
type Config struct {
	Stack         string
	Region        string // this stack's region
	PeerRegion    string
	HomeRegion    string // where the global resources were created; fixed for life
	PrimaryRegion string // who serves writes and traffic now
	Profile       Profile
	NamePrefix    string            // prefix of physical names
	VpcCidrs      map[string]string // region → VPC CIDR, both regions, so overlap is checked
	AppImage      string            // tag or sha256 digest, the same in both regions
	Capacity      Capacity
	Season        Season
	Domain        Domain
	AlarmEmail    string
	Switchover    Switchover
	Classes       Classes // data-tier sizes of the active profile, the same in both regions
	WAF           WAF
	Backup        Backup
	Sleeping      bool     // dev only: tasks, NAT and interface endpoints off; data kept (see sleeping.go)
	Adopted       *Adopted // home stack only: existing resources it takes over (adopted.go); nil when it built everything
}

// Capacity is the ECS task count by role.
type Capacity struct {
	PrimaryTasks int `json:"primaryTasks"`
	StandbyTasks int `json:"standbyTasks"` // warm capacity that can take traffic at once
	MaxTasks     int `json:"maxTasks"`
}

// Season holds the AGM-season windows in which the service scales up ahead of demand.
type Season struct {
	Timezone string   `json:"timezone"`
	Windows  []Window `json:"windows"`
}

// Window is a yearly window: from Start to End (both "MM-DD HH:MM", local to the timezone) the
// service runs at least MinTasks.
type Window struct {
	Name     string `json:"name"`
	Start    string `json:"start"`
	End      string `json:"end"`
	MinTasks int    `json:"minTasks"`
}

// Domain is the public name the service answers on.
type Domain struct {
	Name   string `json:"name"`   // e.g. agm.example.jp
	ZoneID string `json:"zoneId"` // optional: an existing hosted zone; else the home stack creates it
	// ReadinessPath is what each region's Route 53 health check probes on its load balancer:
	// it answers 200 only while the region holds the data roles (docs/app-contract.md). The
	// checks' status is the data-plane failover, so it is required.
	ReadinessPath string `json:"readinessPath"`
}

// LivenessPath is the load balancer's target health path: a task is up. It says nothing about
// the region's data roles, so it can never be the readiness path.
const LivenessPath = "/healthz"

// Switchover tunes the switchover engine and the targets a drill is measured against.
type Switchover struct {
	Mode             Mode `json:"mode"`
	RpoBudgetSeconds int  `json:"rpoBudgetSeconds"`
	TimeoutSeconds   int  `json:"timeoutSeconds"`
	PollSeconds      int  `json:"pollSeconds"`
	RtoTargetMinutes int  `json:"rtoTargetMinutes"`
	// ClientTTLSeconds is how long the traffic step waits after Route 53 is INSYNC for answers
	// cached before the change to expire: 60, the fixed TTL of an alias to a load balancer.
	// Raise it for resolvers that keep answers longer; below 60 only against an emulator.
	ClientTTLSeconds int `json:"clientTtlSeconds"`
}

// AliasTTLSeconds is the fixed TTL of a Route 53 alias record to a load balancer (Route 53 FAQ:
// "Do I need to adjust the TTL for my records in order to use DNS Failover?",
// aws.amazon.com/route53/faqs/): the default of switchover.clientTtlSeconds.
const AliasTTLSeconds = 60

// IsHome reports whether this stack owns the global resources.
func (c Config) IsHome() bool { return c.Region == c.HomeRegion }

// IsPrimary reports whether this stack serves writes and traffic now.
func (c Config) IsPrimary() bool { return c.Region == c.PrimaryRegion }

// Role is this stack's role now.
func (c Config) Role() Role {
	if c.IsPrimary() {
		return RolePrimary
	}
	return RoleStandby
}

// MinTasks is the floor of the service's task count in this stack's role.
func (c Config) MinTasks() int {
	if c.IsPrimary() {
		return c.Capacity.PrimaryTasks
	}
	return c.Capacity.StandbyTasks
}

// PeerStack is the name of the other region's stack.
func (c Config) PeerStack() string { return StackFor(c.PeerRegion) }

// HomeStack is the name of the stack that owns the global resources.
func (c Config) HomeStack() string { return StackFor(c.HomeRegion) }

// Load reads the configuration of the running program. In a real run the engine passes every
// key in PULUMI_CONFIG, so unknown keys are caught; under mocks only the known keys are read.
//
// Before anything is read it refuses a stack file (Pulumi.<stack>.yaml in the project's root
// directory) that sets a ProjectOnly key, naming the file, the line and the key.
func Load(ctx *pulumi.Context) (Config, error) {
	if dir := ctx.RootDirectory(); dir != "" && ctx.Stack() != "" {
		path := filepath.Join(dir, "Pulumi."+ctx.Stack()+".yaml")
		if _, err := os.Stat(path); err == nil {
			if err := CheckStackFile(path); err != nil {
				return Config{}, fmt.Errorf("config: %w", err)
			}
		}
	}
	raw := map[string]string{}
	if env := os.Getenv(pulumi.EnvConfig); env != "" && ctx.Stack() != "" {
		if err := json.Unmarshal([]byte(env), &raw); err != nil {
			return Config{}, fmt.Errorf("config: reading %s: %w", pulumi.EnvConfig, err)
		}
	}
	for _, k := range Keys {
		if v, ok := ctx.GetConfig(k); ok {
			raw[k] = v
		}
	}
	return Parse(ctx.Stack(), raw)
}

// Parse validates raw key → value config (objects as JSON, as Pulumi passes them) for a stack.
// It reports every problem at once, each naming the key and what is allowed.
func Parse(stack string, raw map[string]string) (Config, error) {
	p := parser{raw: raw}
	for k := range raw {
		// Compare the namespace without case so "AGM-DR:profile" is caught as a typo too.
		if strings.HasPrefix(strings.ToLower(k), Namespace+":") && !isKnown(k) {
			p.failf(k, "unknown key; known keys: %s", strings.Join(Keys[1:], ", "))
		}
	}
	c := Config{Stack: stack}
	c.Region = p.region(KeyRegion, "")
	if want := RegionFor(stack); want == "" {
		p.failf("stack", "%q is not a stack of this project; allowed: %s", stack, strings.Join(Stacks(), ", "))
	} else if c.Region != "" && c.Region != want {
		p.failf(KeyRegion, "stack %s must be in %s, not %s", stack, want, c.Region)
	}
	c.PeerRegion = Peer(c.Region)
	c.PrimaryRegion = p.region(KeyPrimaryRegion, "")
	c.HomeRegion = p.region(KeyHomeRegion, Tokyo)
	c.Profile = Profile(p.oneOf(KeyProfile, string(Production), string(Production), string(Dev)))
	c.NamePrefix = p.namePrefix(KeyNamePrefix, "agm-dr")
	c.VpcCidrs = p.vpcCidrs(KeyVpcCidrs)
	c.AppImage = p.image(KeyAppImage)
	c.Capacity = p.capacity(KeyCapacity, defaultCapacity(c.Profile))
	p.subnetCapacity(KeyVpcCidrs, c.VpcCidrs, c.Capacity)
	c.Season = p.season(KeySeason, c.Capacity.MaxTasks)
	c.Domain = p.domain(KeyDomain)
	c.AlarmEmail = p.email(KeyAlarmEmail)
	c.Switchover = p.switchover(KeySwitchover)
	c.Classes = p.classes(KeyClasses, c.Profile)
	c.WAF = p.waf(KeyWAF)
	c.Backup = p.backup(KeyBackup, defaultBackup(c.Profile))
	c.Sleeping = p.sleeping(KeySleeping, c.Profile)
	c.Adopted = p.adopted(KeyAdopted, c.Region, c.HomeRegion)
	if err := errors.Join(p.errs...); err != nil {
		return Config{}, fmt.Errorf("invalid configuration for stack %q:\n%w", stack, err)
	}
	return c, nil
}

func isKnown(k string) bool {
	for _, known := range Keys {
		if k == known {
			return true
		}
	}
	return false
}

func defaultCapacity(p Profile) Capacity {
	if p == Dev {
		return Capacity{PrimaryTasks: 1, StandbyTasks: 1, MaxTasks: 2}
	}
	return Capacity{PrimaryTasks: 6, StandbyTasks: 2, MaxTasks: 40}
}
