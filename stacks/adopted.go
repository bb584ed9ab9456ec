package stacks

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/agm-dr/agm-dr/components/app"
	"github.com/agm-dr/agm-dr/components/cache"
	"github.com/agm-dr/agm-dr/components/database"
	"github.com/agm-dr/agm-dr/components/network"
	"github.com/agm-dr/agm-dr/components/queue"
	"github.com/agm-dr/agm-dr/config"
)

// The home stack of a service that ran before agm-dr (agm-dr:adopted, written by drctl adopt)
// takes the existing resources over with Pulumi's import, under their own names, and keeps
// what AWS cannot change on them in place. Everything else is derived from the name prefix as
// for a stack built from nothing. config refuses the key on the other stack.

func (r *region) adoptedNetwork() *network.Adopted {
	if a := r.cfg.Adopted; a != nil {
		return &network.Adopted{VpcID: a.VpcID, InternetGatewayID: a.InternetGatewayID}
	}
	return nil
}

func (r *region) adoptedDatabase(args *database.Args) {
	if a := r.cfg.Adopted; a != nil {
		args.ClusterID, args.EngineVersion = a.Cluster, a.EngineVersion
		args.Adopted = &database.Adopted{Instances: a.ClusterInstances, SubnetGroup: a.DBSubnetGroup,
			KmsKeyArn: a.ClusterKmsKeyArn, SecurityGroupIDs: a.ClusterSecurityGroups}
	} else if !r.cfg.IsHome() && r.peer.auroraEngineVersion != "" {
		// A secondary must run the global cluster's version, which an adopted home set.
		args.EngineVersion = r.peer.auroraEngineVersion
	}
}

func (r *region) adoptedCache(args *cache.Args) {
	if a := r.cfg.Adopted; a != nil {
		args.ReplicationGroupID, args.Engine = a.ReplicationGroup, a.CacheEngine
		args.Adopted = &cache.Adopted{SubnetGroup: a.CacheSubnetGroup, SecurityGroupIDs: a.CacheSecurityGroups, GlobalID: a.CacheGlobalID}
	}
}

func (r *region) adoptedQueue() *queue.Adopted {
	if a := r.cfg.Adopted; a != nil {
		return &queue.Adopted{URL: a.QueueURL, Name: config.QueueName(a.QueueURL),
			DeadLetterURL: a.DeadLetterQueueURL, DlqName: config.QueueName(a.DeadLetterQueueURL)}
	}
	return nil
}

func (r *region) adoptedApp() *app.Adopted {
	if a := r.cfg.Adopted; a != nil {
		return &app.Adopted{Cluster: a.ECSCluster, Service: a.ECSService, SecurityGroupIDs: a.ECSSecurityGroups, TargetGroupArns: a.ECSTargetGroups}
	}
	return nil
}

// bucketName is this region's site bucket: an adopted one's own name, else derived.
func (r *region) bucketName() string {
	if a := r.cfg.Adopted; a != nil {
		return a.Bucket
	}
	return r.n.bucket(r.cfg.Region)
}

// peerBucketName is the peer region's site bucket, as its stack last reported it (an adopted
// home keeps its own name), else derived.
func (r *region) peerBucketName() string {
	if r.peer.bucket != "" {
		return r.peer.bucket
	}
	return r.n.bucket(r.cfg.PeerRegion)
}

// ownECS are this stack's ECS cluster and service names: an adopted home's own, else the program's.
func (r *region) ownECS() app.Adopted {
	if a := r.adoptedApp(); a != nil {
		return *a
	}
	return app.Adopted{Cluster: appName, Service: appName}
}

// peerName is the peer's name when the peer stack reported one that differs from ours, else nil
// (the same name: nothing to send).
func (r *region) peerName(peer, own string) pulumi.StringInput {
	if peer == "" || peer == own {
		return nil
	}
	return pulumi.String(peer)
}

// appName is the app component's name, which is also its ECS cluster's and service's.
const appName = "app"

// adoptedPassword is the adopted cluster's live master password, read when the stack deploys
// from the secret the team keeps it in; never in config or in the stack files.
func (r *region) adoptedPassword(secret string) pulumi.StringOutput {
	v := secretsmanager.LookupSecretVersionOutput(r.ctx, secretsmanager.LookupSecretVersionOutputArgs{SecretId: pulumi.String(secret)})
	return pulumi.ToSecret(v.SecretString().ApplyT(PasswordOf)).(pulumi.StringOutput)
}

// PasswordOf is the password in a secret's value: the "password" of RDS's JSON form
// ({"username":...,"password":...}, as RDS-managed master secrets hold it), else the value.
func PasswordOf(value string) string {
	var v struct {
		Password *string `json:"password"`
	}
	if json.Unmarshal([]byte(value), &v) == nil && v.Password != nil {
		return *v.Password
	}
	return value
}

// addAdoptedKeyGrant lets the tasks of an adopted service, still on their old task definition
// and role, encrypt and decrypt with this region's key through SQS: the import moves the queues
// to that key, and the queues wait for this grant, so votes keep going in while the rollout
// replaces those tasks. Nothing when nothing is adopted or the tasks have no role.
func (r *region) addAdoptedKeyGrant() error {
	a := r.cfg.Adopted
	if a == nil || a.ECSTaskRole == "" {
		return nil
	}
	policy := r.key.KeyArn.ApplyT(func(arn string) (string, error) {
		b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
			"Sid": "AdoptedTasksUseTheKeyThroughSQS", "Effect": "Allow",
			"Action": []string{"kms:GenerateDataKey", "kms:Decrypt"}, "Resource": arn,
			"Condition": map[string]any{"StringEquals": map[string]string{"kms:ViaService": "sqs." + r.cfg.Region + ".amazonaws.com"}},
		}}})
		return string(b), err
	}).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(r.ctx, "adopted-tasks-key", &iam.RolePolicyArgs{
		Role: pulumi.String(a.ECSTaskRole), Name: pulumi.String(r.cfg.NamePrefix + "-queue-key"), Policy: policy,
	})
	if err != nil {
		return err
	}
	r.adoptedKeyGrant = []pulumi.Resource{grant}
	return nil
}
