package cache

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var (
	// Replication group ids: lowercase letter first, letters/digits/hyphens, 1-40 characters.
	groupIDRe  = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	suffixRe   = regexp.MustCompile(`^[a-zA-Z0-9-]{1,40}$`)
	nodeTypeRe = regexp.MustCompile(`^cache\.([a-z0-9]+)\.([a-z0-9]+)$`)
)

// Node families a global datastore supports, at size large and above. r6gd is left out: it
// needs data tiering, which this component does not configure.
var globalFamilies = map[string]bool{
	"m5": true, "m6g": true, "m7g": true, "r5": true, "r6g": true, "r7g": true, "c7gn": true,
}

// Sizes below large, which a global datastore does not support.
var smallSizes = map[string]bool{"nano": true, "micro": true, "small": true, "medium": true}

// Lowest engine versions with global datastore support.
var minGlobalVersion = map[string][]int{"valkey": {7, 2}, "redis": {5, 0, 6}}

func (a *Args) withDefaults() *Args {
	if a.Engine == "" {
		a.Engine = DefaultEngine
	}
	if a.EngineVersion == "" {
		a.EngineVersion = DefaultEngineVersion
	}
	return a
}

func (a *Args) validate() error {
	if err := a.validateAdopted(); err != nil {
		return err
	}
	id := a.ReplicationGroupID
	if !groupIDRe.MatchString(id) || strings.Contains(id, "--") || strings.HasSuffix(id, "-") {
		return fmt.Errorf("ReplicationGroupID %q must be 1-40 lowercase letters, digits or single hyphens, starting with a letter", id)
	}
	if err := validEngine(a.Engine, a.EngineVersion); err != nil {
		return err
	}
	if a.IsHome && a.NodeType == "" {
		return errors.New("NodeType is required for the home group")
	}
	if a.NodeType != "" {
		if err := validNodeType(a.NodeType); err != nil {
			return err
		}
	}
	if a.IsHome && !suffixRe.MatchString(a.GlobalIDSuffix) {
		return fmt.Errorf("GlobalIDSuffix %q must be 1-40 letters, digits or hyphens", a.GlobalIDSuffix)
	}
	if !a.IsHome && a.GlobalID == nil {
		return errors.New("GlobalID is required for the peer group (the home stack's global datastore id)")
	}
	if a.Replicas < 2 {
		return fmt.Errorf("Replicas must be at least 2 for Multi-AZ and automatic failover, got %d", a.Replicas)
	}
	switch {
	case a.SubnetIDs == nil:
		return errors.New("SubnetIDs are required")
	case a.VpcID == nil:
		return errors.New("VpcID is required")
	case a.ClientSecurityGroupID == nil:
		return errors.New("ClientSecurityGroupID is required")
	case a.KmsKeyArn == nil:
		return errors.New("KmsKeyArn is required (this region's own key)")
	case a.AuthToken == nil:
		return errors.New("AuthToken is required: AUTH with in-transit encryption")
	}
	return nil
}

func validNodeType(t string) error {
	m := nodeTypeRe.FindStringSubmatch(t)
	if m == nil {
		return fmt.Errorf("NodeType %q is not a node type like cache.r7g.large", t)
	}
	family, size := m[1], m[2]
	if strings.HasPrefix(family, "t") {
		return fmt.Errorf("NodeType %q: burstable t-class nodes are not supported by global datastores", t)
	}
	if !globalFamilies[family] || smallSizes[size] {
		return fmt.Errorf("NodeType %q: global datastores need large or bigger m5/m6g/m7g/r5/r6g/r7g/c7gn nodes", t)
	}
	return nil
}

func validEngine(engine, version string) error {
	lowest, ok := minGlobalVersion[engine]
	if !ok {
		return fmt.Errorf("Engine %q must be valkey or redis", engine)
	}
	v, err := parseVersion(version)
	if err != nil {
		return fmt.Errorf("EngineVersion %q: %w", version, err)
	}
	if compareVersions(v, lowest) < 0 {
		return fmt.Errorf("EngineVersion %q: global datastores need %s %s or later", version, engine, joinVersion(lowest))
	}
	return nil
}

// parseVersion reads "7.2", "5.0.6" or "6.x" ("x" counts as 0).
func parseVersion(s string) ([]int, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, errors.New("want major.minor or major.minor.patch")
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		if p == "x" && i > 0 {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad component %q", p)
		}
		out[i] = n
	}
	return out, nil
}

func compareVersions(a, b []int) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func joinVersion(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ".")
}
