package database

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Adopted is an existing Aurora cluster the home stack takes over instead of creating one
// (drctl adopt): the cluster (Args.ClusterID), its instances and the global cluster made from it
// are imported under their own identifiers. It keeps its subnet group and KMS key, which AWS
// cannot change on a running cluster (in the provider both replace it), and its security
// groups beside the program's, because the running app reaches it through them.
type Adopted struct {
	Instances        []string // existing instance identifiers, taken in order as the cluster's instances
	SubnetGroup      string
	KmsKeyArn        string
	SecurityGroupIDs []string
}

// imported is the import option for an existing resource of this id; none when nothing is adopted.
func (a *Args) imported(id string) []pulumi.ResourceOption {
	if a.Adopted == nil {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.Import(pulumi.ID(id))}
}

// instanceID is the identifier of the i-th instance (from 1): an adopted one's own, else derived.
func (a *Args) instanceID(i int) (string, bool) {
	if a.Adopted != nil && i <= len(a.Adopted.Instances) {
		return a.Adopted.Instances[i-1], true
	}
	return "", false
}

func (a *Args) validateAdopted() error {
	switch {
	case a.Adopted == nil:
		return nil
	case !a.IsHome:
		return errors.New("Adopted is for the home cluster only: the peer's cluster is created as a secondary")
	case a.Adopted.SubnetGroup == "" || a.Adopted.KmsKeyArn == "":
		return errors.New("Adopted needs the cluster's SubnetGroup and KmsKeyArn: a change of either replaces the cluster")
	case len(a.Adopted.Instances) == 0:
		return errors.New("Adopted needs the existing Instances (at least the writer)")
	}
	return nil
}
