package database_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/database"
)

const (
	globalClusterType = "aws:rds/globalCluster:GlobalCluster"
	clusterType       = "aws:rds/cluster:Cluster"
	instanceType      = "aws:rds/clusterInstance:ClusterInstance"
	sgType            = "aws:ec2/securityGroup:SecurityGroup"

	homeKey = "arn:aws:kms:ap-northeast-1:123456789012:key/home"
	peerKey = "arn:aws:kms:ap-northeast-3:123456789012:key/peer"
)

func homeArgs() *database.Args {
	return &database.Args{
		IsHome:                true,
		GlobalClusterID:       "agm-dr-global",
		ClusterID:             "agm-dr-ap-northeast-1",
		InstanceClass:         "db.r6g.large",
		Instances:             2,
		SubnetIDs:             pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		VpcID:                 pulumi.String("vpc-home"),
		ClientSecurityGroupID: pulumi.String("sg-app"),
		KmsKeyArn:             pulumi.String(homeKey),
		MasterPassword:        pulumi.String("generated-password"),
		BackupRetentionDays:   7,
	}
}

func peerArgs() *database.Args {
	a := homeArgs()
	a.IsHome = false
	a.ClusterID = "agm-dr-ap-northeast-3"
	a.VpcID = pulumi.String("vpc-peer")
	a.KmsKeyArn = pulumi.String(peerKey)
	a.MasterPassword = nil
	return a
}

var roles = []struct {
	name    string
	args    func() *database.Args
	cluster string
	key     string
}{
	{"home", homeArgs, "agm-dr-ap-northeast-1", homeKey},
	{"peer", peerArgs, "agm-dr-ap-northeast-3", peerKey},
}

func run(t *testing.T, args *database.Args) *capture.Result {
	t.Helper()
	res, err := capture.Run(func(ctx *pulumi.Context) error {
		db, err := database.New(ctx, "db", args)
		if err != nil {
			return err
		}
		ctx.Export("globalClusterId", db.GlobalClusterID)
		ctx.Export("globalWriterEndpoint", db.GlobalWriterEndpoint)
		return nil
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
	require.NoError(t, err)
	return res
}

func cluster(t *testing.T, res *capture.Result) capture.Resource {
	t.Helper()
	r, ok := res.Get(clusterType, "db-cluster")
	require.True(t, ok, "cluster db-cluster not registered")
	return r
}

func TestOnlyHomeRegistersGlobalCluster(t *testing.T) {
	for _, tc := range roles {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, tc.args())
			got := res.Find(globalClusterType)
			if tc.name == "home" {
				require.Len(t, got, 1)
				return
			}
			assert.Empty(t, got, "the peer stack must never register the global cluster")
		})
	}
}

func TestGlobalClusterIsGuardedAgainstReplacement(t *testing.T) {
	res := run(t, homeArgs())
	gc, ok := res.Get(globalClusterType, "db-global")
	require.True(t, ok)
	assert.True(t, gc.Protect, "global cluster must be protected")
	assert.True(t, gc.RetainOnDelete, "global cluster must be retained on delete")
	assert.Subset(t, gc.IgnoreChanges, []string{"databaseName", "engine", "storageEncrypted"})
	assert.Equal(t, "agm-dr-global", gc.Inputs["globalClusterIdentifier"].StringValue())
	assert.Equal(t, "aurora-postgresql", gc.Inputs["engine"].StringValue())
	assert.Equal(t, "16.6", gc.Inputs["engineVersion"].StringValue())
	assert.Equal(t, "agm", gc.Inputs["databaseName"].StringValue())
	assert.True(t, gc.Inputs["storageEncrypted"].BoolValue())
	assert.True(t, gc.Inputs["deletionProtection"].BoolValue())
	_, forced := gc.Inputs["forceDestroy"]
	assert.False(t, forced, "forceDestroy must never be set")
}

func TestSecondaryClusterHasNoCredentials(t *testing.T) {
	c := cluster(t, run(t, peerArgs()))
	for _, k := range []resource.PropertyKey{"masterUsername", "masterPassword", "manageMasterUserPassword", "databaseName"} {
		_, ok := c.Inputs[k]
		assert.False(t, ok, "peer cluster must not set %s", k)
	}
	assert.Equal(t, "agm-dr-global", c.Inputs["globalClusterIdentifier"].StringValue())
	assert.Equal(t, "aurora-postgresql", c.Inputs["engine"].StringValue())
	assert.Equal(t, "16.6", c.Inputs["engineVersion"].StringValue())
}

func TestHomeClusterIsThePrimaryMemberWithCredentials(t *testing.T) {
	c := cluster(t, run(t, homeArgs()))
	assert.Equal(t, "agm-dr-global", c.Inputs["globalClusterIdentifier"].StringValue())
	assert.Equal(t, "agm_admin", c.Inputs["masterUsername"].StringValue())
	assert.Equal(t, "agm", c.Inputs["databaseName"].StringValue())
	pw := c.Inputs["masterPassword"]
	require.True(t, pw.IsSecret(), "master password must be a secret")
	assert.Equal(t, "generated-password", pw.SecretValue().Element.StringValue())
}

func TestPeerWithCredentialsIsRejected(t *testing.T) {
	cases := map[string]func(*database.Args){
		"master password": func(a *database.Args) { a.MasterPassword = pulumi.String("x") },
		"master username": func(a *database.Args) { a.MasterUsername = "agm_admin" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			a := peerArgs()
			mutate(a)
			_, err := capture.Run(func(ctx *pulumi.Context) error {
				_, err := database.New(ctx, "db", a)
				return err
			}, capture.Options{Project: "agm-dr", Stack: "osaka", Config: map[string]string{"aws:region": "ap-northeast-3"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "peer cluster")
		})
	}
}

func TestClustersIgnoreMembershipDrift(t *testing.T) {
	for _, tc := range roles {
		t.Run(tc.name, func(t *testing.T) {
			c := cluster(t, run(t, tc.args()))
			assert.True(t, c.Protect, "cluster must be protected")
			assert.True(t, c.RetainOnDelete, "cluster must be retained on delete")
			assert.Subset(t, c.IgnoreChanges, []string{"globalClusterIdentifier", "replicationSourceIdentifier", "engineVersion"})
			if tc.name == "home" {
				assert.Subset(t, c.IgnoreChanges, []string{"masterUsername", "masterPassword", "databaseName"})
			}
		})
	}
}

func TestClusterDataGuards(t *testing.T) {
	for _, tc := range roles {
		t.Run(tc.name, func(t *testing.T) {
			c := cluster(t, run(t, tc.args()))
			in := c.Inputs
			assert.Equal(t, tc.cluster, in["clusterIdentifier"].StringValue())
			assert.True(t, in["deletionProtection"].BoolValue(), "deletion protection")
			assert.True(t, in["storageEncrypted"].BoolValue(), "storage encryption")
			assert.Equal(t, tc.key, in["kmsKeyId"].StringValue(), "this region's own KMS key")
			assert.Equal(t, 7.0, in["backupRetentionPeriod"].NumberValue())
			assert.True(t, in["iamDatabaseAuthenticationEnabled"].BoolValue(), "IAM auth")
			require.True(t, in["enabledCloudwatchLogsExports"].IsArray())
			assert.Equal(t, []resource.PropertyValue{resource.NewStringProperty("postgresql")}, in["enabledCloudwatchLogsExports"].ArrayValue())
			assert.False(t, in["skipFinalSnapshot"].BoolValue(), "final snapshot")
			assert.Equal(t, tc.cluster+"-final", in["finalSnapshotIdentifier"].StringValue())
			assert.True(t, in["copyTagsToSnapshot"].BoolValue())
			assert.False(t, in["deleteAutomatedBackups"].BoolValue())
		})
	}
}

func TestInstanceClassFollowsProfile(t *testing.T) {
	cases := []struct {
		name       string
		serverless bool
		class      string
	}{
		{"dev serverless", true, "db.serverless"},
		{"production provisioned", false, "db.r6g.large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := homeArgs()
			a.Serverless = tc.serverless
			if tc.serverless {
				a.InstanceClass = ""
			}
			res := run(t, a)
			insts := res.Find(instanceType)
			require.Len(t, insts, 2)
			for _, in := range insts {
				assert.Equal(t, tc.class, in.Inputs["instanceClass"].StringValue(), in.Name)
				assert.False(t, in.Inputs["publiclyAccessible"].BoolValue(), "%s must not be public", in.Name)
				assert.False(t, in.Inputs["autoMinorVersionUpgrade"].BoolValue(), in.Name)
				_, pi := in.Inputs["performanceInsightsEnabled"]
				if tc.serverless {
					assert.False(t, pi, "no performance insights in dev")
					continue
				}
				assert.True(t, in.Inputs["performanceInsightsEnabled"].BoolValue())
				assert.Equal(t, homeKey, in.Inputs["performanceInsightsKmsKeyId"].StringValue())
			}
			scaling, ok := cluster(t, res).Inputs["serverlessv2ScalingConfiguration"]
			if !tc.serverless {
				assert.False(t, ok, "no serverless scaling on a provisioned cluster")
				return
			}
			require.True(t, ok)
			assert.Equal(t, 0.5, scaling.ObjectValue()["minCapacity"].NumberValue())
			assert.Equal(t, 4.0, scaling.ObjectValue()["maxCapacity"].NumberValue())
		})
	}
}

func TestSecurityGroupAllowsPostgresOnlyFromApp(t *testing.T) {
	sg, ok := run(t, peerArgs()).Get(sgType, "db-sg")
	require.True(t, ok)
	ingress := sg.Inputs["ingress"].ArrayValue()
	require.Len(t, ingress, 1)
	rule := ingress[0].ObjectValue()
	assert.Equal(t, 5432.0, rule["fromPort"].NumberValue())
	assert.Equal(t, 5432.0, rule["toPort"].NumberValue())
	assert.Equal(t, []resource.PropertyValue{resource.NewStringProperty("sg-app")}, rule["securityGroups"].ArrayValue())
	_, cidr := rule["cidrBlocks"]
	assert.False(t, cidr, "no CIDR ingress")
	_, egress := sg.Inputs["egress"]
	assert.False(t, egress, "no egress rules")
}

func TestGlobalOutputs(t *testing.T) {
	for _, tc := range roles {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, tc.args())
			assert.Equal(t, "agm-dr-global", res.Outputs["globalClusterId"])
			if tc.name == "peer" {
				assert.Equal(t, "", res.Outputs["globalWriterEndpoint"], "peer reads the writer endpoint from the home stack")
			}
		})
	}
}

func TestBadArgsAreRejected(t *testing.T) {
	cases := map[string]func(*database.Args) *database.Args{
		"nil args":             func(*database.Args) *database.Args { return nil },
		"backups under 7 days": func(a *database.Args) *database.Args { a.BackupRetentionDays = 6; return a },
		"backups over 35 days": func(a *database.Args) *database.Args { a.BackupRetentionDays = 36; return a },
		"no instances":         func(a *database.Args) *database.Args { a.Instances = 0; return a },
		"bad cluster id":       func(a *database.Args) *database.Args { a.ClusterID = "Agm_DR"; return a },
		"empty global id":      func(a *database.Args) *database.Args { a.GlobalClusterID = ""; return a },
		"burstable class":      func(a *database.Args) *database.Args { a.InstanceClass = "db.t4g.medium"; return a },
		"no instance class":    func(a *database.Args) *database.Args { a.InstanceClass = ""; return a },
		"serverless conflict": func(a *database.Args) *database.Args {
			a.Serverless = true
			return a
		},
		"home without password": func(a *database.Args) *database.Args { a.MasterPassword = nil; return a },
		"missing kms key":       func(a *database.Args) *database.Args { a.KmsKeyArn = nil; return a },
		"missing subnets":       func(a *database.Args) *database.Args { a.SubnetIDs = nil; return a },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			args := mutate(homeArgs())
			var err error
			assert.NotPanics(t, func() {
				_, err = capture.Run(func(ctx *pulumi.Context) error {
					_, err := database.New(ctx, "db", args)
					return err
				}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
			})
			assert.Error(t, err)
		})
	}
}
