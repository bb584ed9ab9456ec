package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/stacks"
)

const (
	repository = "agm-dr/app" // stacks' repository name with the default prefix
	release    = "v1.0.0"
)

func newBringUp() *capture.BringUp {
	return &capture.BringUp{
		Program: stacks.Program,
		Project: config.Namespace,
		Config:  func(stack string) (map[string]string, error) { return capture.ProjectConfig(repoRoot, stack) },
	}
}

// TestBringUpInDocumentedOrder walks README's deploy section from an empty account: tokyo,
// osaka, tokyo, then the first image push. ECR's and S3's side effects are modelled (see
// capture.BringUp); no step may conflict, and the image must end up in both registries.
func TestBringUpInDocumentedOrder(t *testing.T) {
	b := newBringUp()
	for _, s := range []string{config.TokyoStack, config.OsakaStack, config.TokyoStack} {
		_, err := b.Up(s)
		require.NoError(t, err, "log: %v", b.Log)
	}
	require.NoError(t, b.Push(config.Tokyo, repository, release))
	for _, region := range config.Regions() {
		assert.True(t, b.HasImage(region, repository, release), "%s:%s must be in %s's registry", repository, release, region)
	}
	assert.Equal(t, "stack osaka", b.RepositoryOwner(config.Osaka, repository), "Osaka's repository is the stack's, with its key and immutable tags")
	_, err := b.Up(config.OsakaStack)
	require.NoError(t, err, "a later up of osaka")
}

// TestBringUpWithAnEarlyPushHasNoConflict walks the order an operator is likely to take: the
// image is pushed right after Tokyo's first up, because Tokyo's tasks need it. Replication is
// off until Osaka's stack exists, so ECR creates no repository in Osaka behind its back, and
// Osaka's create does not fail with RepositoryAlreadyExists. The early image is not replicated
// (ECR replicates only what is pushed after the rule exists), as README says.
func TestBringUpWithAnEarlyPushHasNoConflict(t *testing.T) {
	b := newBringUp()
	_, err := b.Up(config.TokyoStack)
	require.NoError(t, err)
	require.NoError(t, b.Push(config.Tokyo, repository, release))
	for _, s := range []string{config.OsakaStack, config.TokyoStack} {
		_, err := b.Up(s)
		require.NoError(t, err, "log: %v", b.Log)
	}
	assert.False(t, b.HasImage(config.Osaka, repository, release), "the model replicates an image pushed before the rule existed")
	require.NoError(t, b.Push(config.Tokyo, repository, "v1.0.1"))
	assert.True(t, b.HasImage(config.Osaka, repository, "v1.0.1"), "a push after the bring-up reaches Osaka")
}
