package app

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // validate timezones the same on every machine

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/config"
)

const (
	defaultPort              = 8080
	defaultHealthCheckPath   = "/healthz"
	defaultUser              = "10001:10001"
	defaultRequestsPerTarget = 1000
)

var (
	envNameRE      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	scheduleNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,40}$`)
	bucketNameRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

// validate fills defaults and reports the first problem with the Args.
func (a *Args) validate() error {
	if a.ContainerPort == 0 {
		a.ContainerPort = defaultPort
	}
	if a.HealthCheckPath == "" {
		a.HealthCheckPath = defaultHealthCheckPath
	}
	if a.User == "" {
		a.User = defaultUser
	}
	if a.RequestsPerTarget == 0 {
		a.RequestsPerTarget = defaultRequestsPerTarget
	}
	if len(a.HealthCheckCommand) == 0 {
		a.HealthCheckCommand = []string{"CMD-SHELL", fmt.Sprintf("curl -fsS http://localhost:%d%s || exit 1", a.ContainerPort, a.HealthCheckPath)}
	}

	required := map[string]bool{
		"VpcID": a.VpcID == nil, "PublicSubnetIDs": a.PublicSubnetIDs == nil,
		"PrivateSubnetIDs": a.PrivateSubnetIDs == nil, "TaskSecurityGroupID": a.TaskSecurityGroupID == nil,
		"CertificateArn": a.CertificateArn == nil, "Image": a.Image == nil, "KmsKeyArn": a.KmsKeyArn == nil,
	}
	var missing []string
	for k, isNil := range required {
		if isNil {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("required: %s", strings.Join(missing, ", "))
	}
	if _, ok := elbAccount[a.Region]; !ok {
		return fmt.Errorf("Region %q is not a region of this service (%s, %s)", a.Region, config.Tokyo, config.Osaka)
	}
	// A literal image is checked now; one computed from other resources is checked when known.
	if img, ok := a.Image.(pulumi.String); ok {
		if _, err := repositoryArn(string(img), a.Region); err != nil {
			return err
		}
	}
	switch {
	case a.MinTasks < 1:
		return fmt.Errorf("MinTasks is %d; at least 1 task must run", a.MinTasks)
	case a.MaxTasks < a.MinTasks:
		return fmt.Errorf("MaxTasks (%d) is below MinTasks (%d)", a.MaxTasks, a.MinTasks)
	case a.RequestsPerTarget < 1:
		return fmt.Errorf("RequestsPerTarget is %d; must be positive", a.RequestsPerTarget)
	case a.ContainerPort < 1 || a.ContainerPort > 65535:
		return fmt.Errorf("ContainerPort %d is not a TCP port", a.ContainerPort)
	case !strings.HasPrefix(a.HealthCheckPath, "/"):
		return fmt.Errorf("HealthCheckPath %q must start with /", a.HealthCheckPath)
	case a.User == "root" || a.User == "0" || strings.HasPrefix(a.User, "0:") || strings.HasPrefix(a.User, "root:"):
		return fmt.Errorf("User %q runs the container as root", a.User)
	case !validRetention(a.LogRetentionDays):
		return fmt.Errorf("LogRetentionDays %d is not a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)", a.LogRetentionDays)
	}
	if err := validFargateSize(a.Cpu, a.Memory); err != nil {
		return err
	}
	if err := validBucketName(a.AccessLogBucketName); err != nil {
		return err
	}
	if err := a.validateEnv(); err != nil {
		return err
	}
	return a.validateSchedules()
}

func (a *Args) validateEnv() error {
	for k, v := range a.Environment {
		if !envNameRE.MatchString(k) {
			return fmt.Errorf("Environment: %q is not an environment variable name", k)
		}
		if v == nil {
			return fmt.Errorf("Environment: %s has no value", k)
		}
		if _, dup := a.Secrets[k]; dup {
			return fmt.Errorf("%s is both in Environment and Secrets", k)
		}
	}
	for k, v := range a.Secrets {
		if !envNameRE.MatchString(k) {
			return fmt.Errorf("Secrets: %q is not an environment variable name", k)
		}
		if v == nil {
			return fmt.Errorf("Secrets: %s has no secret ARN", k)
		}
	}
	if len(a.Secrets) > 0 && a.SecretArns == nil {
		return errors.New("Secrets are set but SecretArns is empty: the execution role could not read them and tasks would not start")
	}
	return nil
}

func (a *Args) validateSchedules() error {
	if len(a.Schedules) == 0 {
		return nil
	}
	// No UTC default: a window meant in Japan time would silently shift by 9 hours.
	if a.Timezone == "" {
		return errors.New("Timezone is required with Schedules (e.g. Asia/Tokyo)")
	}
	if _, err := time.LoadLocation(a.Timezone); err != nil {
		return fmt.Errorf("Timezone %q is not an IANA time zone", a.Timezone)
	}
	seen := map[string]bool{}
	for i, s := range a.Schedules {
		at := fmt.Sprintf("Schedules[%d]", i)
		switch {
		case !scheduleNameRE.MatchString(s.Name):
			return fmt.Errorf("%s: name %q must be lowercase letters, digits and hyphens", at, s.Name)
		case seen[s.Name]:
			return fmt.Errorf("%s: name %q is used twice", at, s.Name)
		case !isCron(s.StartCron):
			return fmt.Errorf("%s (%s): StartCron %q is not a cron(...) expression", at, s.Name, s.StartCron)
		case !isCron(s.EndCron):
			return fmt.Errorf("%s (%s): EndCron %q is not a cron(...) expression", at, s.Name, s.EndCron)
		case s.StartCron == s.EndCron:
			return fmt.Errorf("%s (%s): StartCron and EndCron are the same", at, s.Name)
		case s.MinTasks < 1 || s.MinTasks > a.MaxTasks:
			return fmt.Errorf("%s (%s): MinTasks %d must be 1 to MaxTasks (%d)", at, s.Name, s.MinTasks, a.MaxTasks)
		}
		seen[s.Name] = true
	}
	return nil
}

func isCron(s string) bool {
	return strings.HasPrefix(s, "cron(") && strings.HasSuffix(s, ")") && len(strings.Fields(s[5:len(s)-1])) == 6
}

// fargateMemory lists, per CPU size, the allowed memory range (MiB) and its step.
var fargateMemory = map[int][3]int{
	256:   {512, 2048, 512}, // 512, 1024, 2048 (1536 is refused below)
	512:   {1024, 4096, 1024},
	1024:  {2048, 8192, 1024},
	2048:  {4096, 16384, 1024},
	4096:  {8192, 30720, 1024},
	8192:  {16384, 61440, 4096},
	16384: {32768, 122880, 8192},
}

func validFargateSize(cpu, mem int) error {
	r, ok := fargateMemory[cpu]
	if !ok {
		return fmt.Errorf("Cpu %d is not a Fargate size (256, 512, 1024, 2048, 4096, 8192, 16384)", cpu)
	}
	if mem < r[0] || mem > r[1] || (mem-r[0])%r[2] != 0 || (cpu == 256 && mem == 1536) {
		return fmt.Errorf("Memory %d MiB is not allowed with Cpu %d (%d to %d in steps of %d)", mem, cpu, r[0], r[1], r[2])
	}
	return nil
}

func validBucketName(n string) error {
	if !bucketNameRE.MatchString(n) || strings.Contains(n, "..") || strings.HasPrefix(n, "xn--") ||
		strings.HasSuffix(n, "-s3alias") || regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`).MatchString(n) {
		return fmt.Errorf("AccessLogBucketName %q is not a valid S3 bucket name", n)
	}
	return nil
}

// validRetention accepts the retention periods CloudWatch Logs offers, except 0 (never expire).
func validRetention(days int) bool {
	for _, d := range []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653} {
		if d == days {
			return true
		}
	}
	return false
}
