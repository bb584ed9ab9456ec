package cache

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Adopted is an existing replication group the home stack takes over instead of creating one
// (drctl adopt): the group (Args.ReplicationGroupID) and the global datastore made from it are
// imported. It keeps its subnet group, which the provider cannot change without replacing the
// group, and its security groups beside the program's, because the running app reaches it
// through them.
type Adopted struct {
	SubnetGroup      string
	SecurityGroupIDs []string
	GlobalID         string // the datastore's full id (AWS prefixes the suffix per region)
}

// imported is the import option for an existing resource of this id; none when nothing is adopted.
func (a *Args) imported(id string) []pulumi.ResourceOption {
	if a.Adopted == nil {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.Import(pulumi.ID(id))}
}

// securityGroups are the program's group, and an adopted group's own beside it.
func (a *Args) securityGroups(own pulumi.StringOutput) pulumi.StringArray {
	sgs := pulumi.StringArray{own}
	if a.Adopted != nil {
		for _, id := range a.Adopted.SecurityGroupIDs {
			sgs = append(sgs, pulumi.String(id))
		}
	}
	return sgs
}

func (a *Args) validateAdopted() error {
	switch {
	case a.Adopted == nil:
		return nil
	case !a.IsHome:
		return errors.New("Adopted is for the home group only: the peer's group is created as a secondary")
	case a.Adopted.SubnetGroup == "" || a.Adopted.GlobalID == "":
		return errors.New("Adopted needs the group's SubnetGroup and the GlobalID of its datastore")
	}
	return nil
}

// globalImportID is the adopted datastore's id ("" when nothing is adopted).
func (a *Args) globalImportID() string {
	if a.Adopted == nil {
		return ""
	}
	return a.Adopted.GlobalID
}
