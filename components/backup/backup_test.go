package backup_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/components/backup"
)

const (
	vaultType     = "aws:backup/vault:Vault"
	lockType      = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
	planType      = "aws:backup/plan:Plan"
	selectionType = "aws:backup/selection:Selection"
	keyArn        = "arn:aws:kms:ap-northeast-1:123456789012:key/test"
	clusterArn    = "arn:aws:rds:ap-northeast-1:123456789012:cluster:agm-dr-ap-northeast-1"
	peerVault     = "arn:aws:backup:ap-northeast-3:123456789012:backup-vault:agm-dr-aurora"
)

func args() *backup.Args {
	return &backup.Args{
		VaultName: "agm-dr-aurora", PeerVaultArn: peerVault, CopyToPeer: true,
		KmsKeyArn: pulumi.String(keyArn), ClusterArn: pulumi.String(clusterArn),
		RetentionDays: 35, MinDays: 7, Lock: true,
	}
}

func run(t *testing.T, a *backup.Args) (*capture.Result, error) {
	t.Helper()
	return capture.Run(func(ctx *pulumi.Context) error {
		_, err := backup.New(ctx, "backup", a)
		return err
	}, capture.Options{Project: "agm-dr", Stack: "tokyo", Config: map[string]string{"aws:region": "ap-northeast-1"}})
}

func get(t *testing.T, res *capture.Result, typ, name string) capture.Resource {
	t.Helper()
	r, ok := res.Get(typ, name)
	require.True(t, ok, "%s %s is registered", typ, name)
	return r
}

func TestPlanBacksUpTheClusterAndCopiesToThePeerVault(t *testing.T) {
	res, err := run(t, args())
	require.NoError(t, err)
	plan := get(t, res, planType, "backup-plan")
	rules := plan.Inputs["rules"].ArrayValue()
	require.Len(t, rules, 1)
	rule := rules[0].ObjectValue()
	assert.Equal(t, backup.Schedule, rule["schedule"].StringValue())
	assert.Equal(t, 35.0, rule["lifecycle"].ObjectValue()["deleteAfter"].NumberValue())
	copies := rule["copyActions"].ArrayValue()
	require.Len(t, copies, 1)
	cp := copies[0].ObjectValue()
	assert.Equal(t, peerVault, cp["destinationVaultArn"].StringValue())
	assert.Equal(t, 35.0, cp["lifecycle"].ObjectValue()["deleteAfter"].NumberValue(), "the copy is kept as long")

	sel := get(t, res, selectionType, "backup-selection")
	assert.Equal(t, clusterArn, sel.Inputs["resources"].ArrayValue()[0].StringValue())

	vault := get(t, res, vaultType, "backup-vault")
	assert.Equal(t, keyArn, vault.Inputs["kmsKeyArn"].StringValue())
	assert.True(t, vault.Protect && vault.RetainOnDelete, "the vault is protected and retained")
	assert.False(t, vault.Inputs["forceDestroy"].BoolValue())
}

func TestVaultLockOnlyWhenAsked(t *testing.T) {
	for _, lock := range []bool{true, false} {
		a := args()
		a.Lock = lock
		res, err := run(t, a)
		require.NoError(t, err)
		locks := res.Find(lockType)
		if !lock {
			assert.Empty(t, locks)
			continue
		}
		require.Len(t, locks, 1)
		in := locks[0].Inputs
		assert.Equal(t, 7.0, in["minRetentionDays"].NumberValue())
		assert.Equal(t, float64(backup.LockChangeableForDays), in["changeableForDays"].NumberValue(), "compliance mode")
	}
}

func TestNoCopyUntilThePeerIsDeployed(t *testing.T) {
	a := args()
	a.CopyToPeer = false
	res, err := run(t, a)
	require.NoError(t, err)
	rule := get(t, res, planType, "backup-plan").Inputs["rules"].ArrayValue()[0].ObjectValue()
	_, has := rule["copyActions"]
	assert.False(t, has)
}

func TestBadArgsAreRejected(t *testing.T) {
	cases := map[string]func(*backup.Args) *backup.Args{
		"nil":                func(*backup.Args) *backup.Args { return nil },
		"below minimum":      func(a *backup.Args) *backup.Args { a.RetentionDays = 6; return a },
		"no minimum":         func(a *backup.Args) *backup.Args { a.MinDays = 0; return a },
		"above lock maximum": func(a *backup.Args) *backup.Args { a.RetentionDays = 4000; return a },
		"copy without vault": func(a *backup.Args) *backup.Args { a.PeerVaultArn = ""; return a },
		"no key":             func(a *backup.Args) *backup.Args { a.KmsKeyArn = nil; return a },
		"no cluster":         func(a *backup.Args) *backup.Args { a.ClusterArn = nil; return a },
		"bad vault name":     func(a *backup.Args) *backup.Args { a.VaultName = "a b"; return a },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := run(t, mutate(args()))
			require.Error(t, err)
			if res != nil {
				assert.Empty(t, res.Find(vaultType))
			}
		})
	}
}

// The role AWS Backup uses can restore too: the restore actions are only in the restores
// policy, so with the backup policy alone the restore in docs/backups.md fails when needed.
func TestServiceRoleCanBackUpAndRestore(t *testing.T) {
	res, err := run(t, args())
	require.NoError(t, err)
	var policies []string
	for _, r := range res.Resources {
		if r.Type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment" {
			policies = append(policies, r.Inputs["policyArn"].StringValue())
		}
	}
	assert.ElementsMatch(t, []string{
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
	}, policies)
}
