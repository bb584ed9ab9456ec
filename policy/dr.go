package policy

import (
	"fmt"
	"strings"
)

// dataTypes hold data (or guard it) and must be protected and retained: deleting or replacing
// one loses shareholder data or evicts a region from the global database.
var protectedTypes = []string{
	TypeGlobalCluster, TypeCluster, TypeGlobalReplicationGroup, TypeReplicationGroup,
	TypeBucketV2, TypeBucketLegacy, TypeKmsKey,
}

// memberIgnores are the inputs a drift on which would detach, promote or replace a member of a
// global datastore (docs/architecture.md, data-loss guards): they must be in ignoreChanges.
var memberIgnores = map[string][]string{
	TypeCluster:                {"globalClusterIdentifier", "replicationSourceIdentifier"},
	TypeGlobalReplicationGroup: {"primaryReplicationGroupId"},
}

var guardRules = []Rule{
	{
		ID:            "AGM-DR-001",
		Description:   "data resources (Aurora global cluster and clusters, ElastiCache groups and global datastore, buckets, KMS keys) are protected and retained on delete",
		ResourceTypes: protectedTypes,
		Check: func(r Resource) []string {
			var out []string
			if !r.Protect {
				out = append(out, "not protected (pulumi.Protect): a delete or replacement would go ahead")
			}
			if !r.RetainUnknown && !r.RetainOnDelete {
				out = append(out, "not retained on delete (pulumi.RetainOnDelete): removing it from the program deletes it in AWS")
			}
			return out
		},
	},
	{
		ID:            "AGM-DR-002",
		Description:   "global database members ignore changes to their membership (globalClusterIdentifier, replicationSourceIdentifier, primaryReplicationGroupId)",
		ResourceTypes: []string{TypeCluster, TypeGlobalReplicationGroup},
		Check: func(r Resource) []string {
			if r.Type == TypeCluster {
				if _, st := str(r.Inputs, "globalClusterIdentifier"); st == absent {
					return nil // not a global member
				}
			}
			var out []string
			for _, k := range memberIgnores[r.Type] {
				if !contains(r.IgnoreChanges, k) {
					out = append(out, fmt.Sprintf("ignoreChanges lacks %s: applying a drift there detaches, promotes or replaces the member", k))
				}
			}
			return out
		},
	},
}

var drStackRules = []StackRule{{
	ID:          "AGM-DR-003",
	Description: "a secondary Aurora cluster carries no master credentials; the primary's master password is a secret",
	Check:       checkCredentials,
}}

// masterKeys are the inputs AWS rejects on a secondary member of a global cluster.
var masterKeys = []string{"masterUsername", "masterPassword", "manageMasterUserPassword"}

func checkCredentials(rs []Resource) []Violation {
	globals := ofType(rs, TypeGlobalCluster)
	var out []Violation
	for _, c := range ofType(rs, TypeCluster) {
		if v, ok := c.Inputs["masterPassword"]; ok && !v.IsNull() && !isSecret(v) {
			out = append(out, c.violation("AGM-DR-003", "masterPassword is a plain value: it would be stored unencrypted in the state"))
		}
		if _, st := str(c.Inputs, "globalClusterIdentifier"); st == absent {
			continue
		}
		secondary := true // joins a global cluster created by another stack
		for _, g := range globals {
			id, _ := str(g.Inputs, "globalClusterIdentifier")
			if c.refers("globalClusterIdentifier", g, id) {
				secondary = false
			}
		}
		if !secondary {
			continue
		}
		for _, k := range masterKeys {
			if _, st := str(c.Inputs, k); st != absent {
				out = append(out, c.violation("AGM-DR-003", "secondary cluster sets %s: AWS rejects master credentials on a secondary member", k))
			}
		}
	}
	return out
}

// Cross-stack checks: the test suite runs them, the policy pack cannot (one stack at a time).
var (
	flipRule = StackRule{
		ID:          "AGM-DR-004",
		Description: "the flip contract: changing primaryRegion adds, deletes or replaces nothing, leaves data resources untouched and changes only the allowed inputs",
	}
	sameImageRule = StackRule{
		ID:          "AGM-DR-005",
		Description: "both stacks run the same image tag or digest, each from its own region's ECR",
	}
	projectOnlyRule = StackRule{
		ID:          "AGM-DR-006",
		Description: "primaryRegion and homeRegion are set only in Pulumi.yaml, never in a stack file",
	}
)

// StackResources is one run's resources with the stack they belong to.
type StackResources struct {
	Stack     string
	Region    string
	Resources []Resource
}

// SameImage checks AGM-DR-005 over the runs of the two stacks.
func SameImage(a, b StackResources) []Violation {
	refs := map[string][]string{} // tag or digest → where it runs
	var out []Violation
	for _, s := range []StackResources{a, b} {
		for _, td := range ofType(s.Resources, TypeTaskDefinition) {
			cs, ok, err := containers(td)
			if err != nil || !ok {
				out = append(out, Violation{Rule: sameImageRule.ID, Resource: s.Stack + ": " + td.Key(), Message: fmt.Sprintf("container definitions unreadable: %v", err)})
				continue
			}
			for _, c := range cs {
				repo, ref, err := ImageRef(c.Image)
				where := s.Stack + ": " + td.Key()
				switch {
				case err != nil:
					out = append(out, Violation{Rule: sameImageRule.ID, Resource: where, Message: err.Error()})
				case !strings.Contains(repo, ".dkr.ecr."+s.Region+".amazonaws.com/"):
					out = append(out, Violation{Rule: sameImageRule.ID, Resource: where, Message: fmt.Sprintf("image %s is not pulled from %s's own ECR", c.Image, s.Region)})
				}
				refs[ref] = append(refs[ref], where)
			}
		}
	}
	if len(refs) > 1 {
		var all []string
		for ref, where := range refs {
			all = append(all, fmt.Sprintf("%s (%s)", ref, strings.Join(where, ", ")))
		}
		out = append(out, Violation{Rule: sameImageRule.ID, Resource: a.Stack + "+" + b.Stack, Message: "the stacks run different images: " + strings.Join(all, "; ")})
	}
	if len(refs) == 0 {
		out = append(out, Violation{Rule: sameImageRule.ID, Resource: a.Stack + "+" + b.Stack, Message: "no container image found"})
	}
	return out
}

// ProjectOnly checks AGM-DR-006 over the keys a stack file sets.
func ProjectOnly(stack string, stackFileKeys []string, projectOnly ...string) []Violation {
	var out []Violation
	for _, k := range projectOnly {
		if contains(stackFileKeys, k) {
			out = append(out, Violation{Rule: projectOnlyRule.ID, Resource: "Pulumi." + stack + ".yaml",
				Message: k + " is set in the stack file; it belongs in Pulumi.yaml so both stacks read the same value"})
		}
	}
	return out
}
