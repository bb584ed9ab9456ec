package adopt

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ErrBlocked is returned by Convert when Check still finds blockers: nothing was changed.
var ErrBlocked = errors.New("adopt: blockers remain (drctl adopt --check lists them); nothing was changed")

// Done is one conversion step's outcome: Changed is false when a previous run had done it.
type Done struct {
	Step    string
	Changed bool
	Detail  string
}

// Convert checks again, then turns the existing cluster into the primary of the program's
// global cluster, the existing replication group into the primary of its global datastore,
// and versioning on in every bucket. Each step first reads whether it is done and skips it if
// so, so a run interrupted at any point is finished by running it again.
func Convert(ctx context.Context, c Clients, e Existing, t Target, progress func(Done)) error {
	r, err := Check(ctx, c, e, t)
	if err != nil {
		return err
	}
	if len(r.Blockers) > 0 {
		return ErrBlocked
	}
	for _, step := range []func(context.Context, Clients, Existing, Target) (Done, error){
		convertCluster, convertCache, convertBuckets,
	} {
		d, err := step(ctx, c, e, t)
		if err != nil {
			return err
		}
		progress(d)
	}
	return nil
}

func convertCluster(ctx context.Context, c Clients, e Existing, t Target) (Done, error) {
	d := Done{Step: "global cluster"}
	cl, err := describeCluster(ctx, c, e.ClusterID, t.HomeRegion)
	if err != nil {
		return d, err
	}
	arn := aws.ToString(cl.DBClusterArn)
	g, err := c.RDS.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(t.GlobalClusterID)})
	switch {
	case notFound(err) || errCode(err) == "GlobalClusterNotFoundFault":
	case err != nil:
		return d, fmt.Errorf("global cluster %s: %w", t.GlobalClusterID, err)
	case len(g.GlobalClusters) > 0:
		for _, m := range g.GlobalClusters[0].GlobalClusterMembers {
			if aws.ToString(m.DBClusterArn) == arn && aws.ToBool(m.IsWriter) {
				d.Detail = fmt.Sprintf("%s is already the primary of %s", e.ClusterID, t.GlobalClusterID)
				return d, nil
			}
		}
		return d, inputErrorf("global cluster %s already exists and %s is not its primary; nothing was changed", t.GlobalClusterID, e.ClusterID)
	}
	if err := otherGlobal(e.ClusterID, aws.ToString(cl.GlobalClusterIdentifier), t); err != nil {
		return d, err
	}
	if _, err := c.RDS.CreateGlobalCluster(ctx, &rds.CreateGlobalClusterInput{
		GlobalClusterIdentifier:   aws.String(t.GlobalClusterID),
		SourceDBClusterIdentifier: aws.String(arn),
		DeletionProtection:        aws.Bool(true),
	}); err != nil {
		return d, fmt.Errorf("create global cluster %s from %s: %w", t.GlobalClusterID, e.ClusterID, err)
	}
	d.Changed, d.Detail = true, fmt.Sprintf("%s is the primary of the new global cluster %s", e.ClusterID, t.GlobalClusterID)
	return d, nil
}

func convertCache(ctx context.Context, c Clients, e Existing, t Target) (Done, error) {
	d := Done{Step: "global datastore"}
	out, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(e.ReplicationGroup)})
	if err != nil {
		return d, fmt.Errorf("replication group %s: %w", e.ReplicationGroup, err)
	}
	if len(out.ReplicationGroups) == 0 {
		return d, inputErrorf("replication group %s does not exist in %s", e.ReplicationGroup, t.HomeRegion)
	}
	if info := out.ReplicationGroups[0].GlobalReplicationGroupInfo; info != nil && aws.ToString(info.GlobalReplicationGroupId) != "" {
		id := aws.ToString(info.GlobalReplicationGroupId)
		if ourDatastore(id, t) && aws.ToString(info.GlobalReplicationGroupMemberRole) == "PRIMARY" {
			d.Detail = fmt.Sprintf("%s is already the primary of %s", e.ReplicationGroup, id)
			return d, nil
		}
		return d, inputErrorf("replication group %s is already in global datastore %s; nothing was changed", e.ReplicationGroup, id)
	}
	g, err := c.ElastiCache.CreateGlobalReplicationGroup(ctx, &elasticache.CreateGlobalReplicationGroupInput{
		GlobalReplicationGroupIdSuffix:    aws.String(t.CacheGlobalSuffix),
		PrimaryReplicationGroupId:         aws.String(e.ReplicationGroup),
		GlobalReplicationGroupDescription: aws.String("agm-dr sessions, adopted from " + e.ReplicationGroup),
	})
	if err != nil {
		return d, fmt.Errorf("create global datastore *-%s from %s: %w", t.CacheGlobalSuffix, e.ReplicationGroup, err)
	}
	id := "*-" + t.CacheGlobalSuffix
	if g.GlobalReplicationGroup != nil {
		id = aws.ToString(g.GlobalReplicationGroup.GlobalReplicationGroupId)
	}
	d.Changed, d.Detail = true, fmt.Sprintf("%s is the primary of the new global datastore %s", e.ReplicationGroup, id)
	return d, nil
}

func convertBuckets(ctx context.Context, c Clients, e Existing, _ Target) (Done, error) {
	d := Done{Step: "bucket versioning"}
	var turnedOn []string
	for _, b := range e.Buckets {
		v, err := c.S3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(b)})
		if err != nil {
			return d, fmt.Errorf("s3 bucket %s: %w", b, err)
		}
		if v.Status == s3types.BucketVersioningStatusEnabled {
			continue
		}
		if _, err := c.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(b),
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
			return d, fmt.Errorf("s3 bucket %s: turn on versioning: %w", b, err)
		}
		turnedOn = append(turnedOn, b)
	}
	d.Changed = len(turnedOn) > 0
	d.Detail = fmt.Sprintf("versioning on in %d bucket(s), %d turned on now %v", len(e.Buckets), len(turnedOn), turnedOn)
	return d, nil
}
