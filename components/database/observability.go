package database

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DefaultSlowQueryMs is the log_min_duration_statement default: statements slower than this
// are logged (and exported to CloudWatch Logs with the postgresql log).
const DefaultSlowQueryMs = 1000

// MonitoringIntervalSeconds is the enhanced monitoring granularity when it is on.
const MonitoringIntervalSeconds = 60

// EnhancedMonitoringPolicy is the AWS managed policy RDS needs to publish OS metrics.
const EnhancedMonitoringPolicy = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"

// Family is the cluster parameter group family of an engine version, e.g. aurora-postgresql16.
func Family(engineVersion string) string {
	return Engine + strings.SplitN(engineVersion, ".", 2)[0]
}

// newClusterParameters is this member's own cluster parameter group. Each cluster of a global
// database has its own cluster parameter group, and AWS recommends the same settings in every
// member so a promoted secondary behaves the same ("Modifying parameters for an Aurora global
// database", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-modifying.parameters.html):
// both stacks build it from the same values.
func newClusterParameters(ctx *pulumi.Context, name string, a *Args, parent pulumi.Resource) (*rds.ClusterParameterGroup, error) {
	return rds.NewClusterParameterGroup(ctx, name+"-params", &rds.ClusterParameterGroupArgs{
		Name:        pulumi.String(a.ClusterID + "-pg"),
		Family:      pulumi.String(Family(a.EngineVersion)),
		Description: pulumi.String("agm-dr: slow-query and DDL statement logging"),
		Parameters: rds.ClusterParameterGroupParameterArray{
			// Both are dynamic parameters: applied without a reboot.
			&rds.ClusterParameterGroupParameterArgs{Name: pulumi.String("log_min_duration_statement"), Value: pulumi.String(strconv.Itoa(a.SlowQueryMs))},
			&rds.ClusterParameterGroupParameterArgs{Name: pulumi.String("log_statement"), Value: pulumi.String("ddl")},
		},
	}, pulumi.Parent(parent))
}

// newMonitoringRole is the role RDS enhanced monitoring publishes OS metrics with.
func newMonitoringRole(ctx *pulumi.Context, name string, parent pulumi.Resource) (*iam.Role, error) {
	trust, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect": "Allow", "Principal": map[string]any{"Service": "monitoring.rds.amazonaws.com"}, "Action": "sts:AssumeRole",
		}},
	})
	if err != nil {
		return nil, err
	}
	role, err := iam.NewRole(ctx, name+"-monitoring", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(string(trust)),
		Description:      pulumi.String("RDS enhanced monitoring of the Aurora instances"),
	}, pulumi.Parent(parent))
	if err != nil {
		return nil, err
	}
	_, err = iam.NewRolePolicyAttachment(ctx, name+"-monitoring", &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(EnhancedMonitoringPolicy),
	}, pulumi.Parent(parent))
	return role, err
}
