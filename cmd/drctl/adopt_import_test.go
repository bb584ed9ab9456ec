package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

// TestWriteAdoptedKeepsTheStackFile: agm-dr:adopted is written into the stack's file beside what
// it held, reads back as the program will read it, and a second write with the same value
// changes nothing; a stack without a file gets one.
func TestWriteAdoptedKeepsTheStackFile(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.tokyo.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	before, err := capture.ProjectConfig(dir, config.TokyoStack)
	require.NoError(t, err)
	a := config.Adopted{VpcID: "vpc-0a1b2c3d4e5f60718", Cluster: "shareholders-prod", ClusterInstances: []string{"shareholders-prod-writer"},
		ECSTargetGroups: []string{"arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/agm-web/0123456789abcdef"}}
	changed, err := writeAdopted(dir, config.TokyoStack, a)
	require.NoError(t, err)
	assert.True(t, changed)
	after, err := capture.ProjectConfig(dir, config.TokyoStack)
	require.NoError(t, err)
	for k, v := range before {
		assert.Equal(t, v, after[k], "%s kept", k)
	}
	assert.JSONEq(t, `{"vpcId":"vpc-0a1b2c3d4e5f60718","internetGatewayId":"","clusterIdentifier":"shareholders-prod","engineVersion":"",
		"clusterInstances":["shareholders-prod-writer"],"dbSubnetGroupName":"","masterPasswordSecret":"","clusterKmsKeyArn":"",
		"clusterSecurityGroupIds":null,"replicationGroupId":"","cacheEngine":"","cacheSubnetGroupName":"","cacheSecurityGroupIds":null,
		"cacheGlobalId":"","ecsCluster":"","ecsService":"","ecsSecurityGroupIds":null,
		"ecsTargetGroupArns":["arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/agm-web/0123456789abcdef"],"ecsTaskRoleName":"",
		"queueUrl":"","deadLetterQueueUrl":"","bucket":""}`, after[config.KeyAdopted])

	changed, err = writeAdopted(dir, config.TokyoStack, a)
	require.NoError(t, err)
	assert.False(t, changed, "the same value again changes nothing")

	changed, err = writeAdopted(dir, config.OsakaStack, a)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.FileExists(t, filepath.Join(dir, "Pulumi.osaka.yaml"))
}
