package database

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	// RDS identifiers: lowercase letter first, letters/digits/hyphens, no "--", no trailing "-".
	identifierRe    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	pgNameRe        = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]{0,62}$`)
	engineVersionRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

func (a *Args) withDefaults() *Args {
	if a.EngineVersion == "" {
		a.EngineVersion = DefaultEngineVersion
	}
	if a.DatabaseName == "" {
		a.DatabaseName = DefaultDatabaseName
	}
	if a.SlowQueryMs == 0 {
		a.SlowQueryMs = DefaultSlowQueryMs
	}
	if a.IsHome && a.MasterUsername == "" {
		a.MasterUsername = DefaultMasterUsername
	}
	return a
}

func (a *Args) validate() error {
	if err := validIdentifier("GlobalClusterID", a.GlobalClusterID); err != nil {
		return err
	}
	if err := validIdentifier("ClusterID", a.ClusterID); err != nil {
		return err
	}
	if err := a.validateAdopted(); err != nil {
		return err
	}
	if !engineVersionRe.MatchString(a.EngineVersion) {
		return fmt.Errorf("EngineVersion %q is not a version like \"16.6\"", a.EngineVersion)
	}
	if !pgNameRe.MatchString(a.DatabaseName) {
		return fmt.Errorf("DatabaseName %q must start with a letter and hold only letters, digits and _", a.DatabaseName)
	}
	if err := a.validateCredentials(); err != nil {
		return err
	}
	if err := a.validateCapacity(); err != nil {
		return err
	}
	if a.BackupRetentionDays < 7 || a.BackupRetentionDays > 35 {
		return fmt.Errorf("BackupRetentionDays must be between 7 and 35, got %d", a.BackupRetentionDays)
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
	}
	return nil
}

func (a *Args) validateCredentials() error {
	if !a.IsHome {
		// AWS rejects a secondary cluster created with master credentials (docs/architecture.md, data-loss guards).
		if a.MasterPassword != nil {
			return errors.New("MasterPassword must be nil for the peer cluster: a secondary inherits credentials from the global cluster")
		}
		if a.MasterUsername != "" {
			return errors.New("MasterUsername must be empty for the peer cluster: a secondary inherits credentials from the global cluster")
		}
		return nil
	}
	if a.MasterPassword == nil {
		return errors.New("MasterPassword is required for the home cluster")
	}
	if !pgNameRe.MatchString(a.MasterUsername) {
		return fmt.Errorf("MasterUsername %q must start with a letter and hold only letters, digits and _", a.MasterUsername)
	}
	return nil
}

func (a *Args) validateCapacity() error {
	if a.Instances < 1 {
		return fmt.Errorf("Instances must be at least 1, got %d", a.Instances)
	}
	if a.Serverless {
		if a.InstanceClass != "" && a.InstanceClass != serverlessClass {
			return fmt.Errorf("InstanceClass %q conflicts with Serverless (instances use %s)", a.InstanceClass, serverlessClass)
		}
		return nil
	}
	// Aurora global databases need memory-optimised classes (db.r*, db.x*) or Serverless v2.
	c := a.InstanceClass
	if !strings.HasPrefix(c, "db.r") && !strings.HasPrefix(c, "db.x") {
		return fmt.Errorf("InstanceClass %q is not a memory-optimised class (db.r*/db.x*) that a global database supports", c)
	}
	return nil
}

func validIdentifier(field, v string) error {
	if !identifierRe.MatchString(v) || strings.Contains(v, "--") || strings.HasSuffix(v, "-") {
		return fmt.Errorf("%s %q must be 1-63 lowercase letters, digits or single hyphens, starting with a letter", field, v)
	}
	return nil
}
