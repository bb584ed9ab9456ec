package enginetest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/agm-dr/agm-dr/config"
)

// resetServices sets the ECS service an earlier run left in the shared emulator to zero tasks in
// both regions. The program's ECS names carry no prefix, and the new primary's capacity gate
// follows the old primary's desired count: a count left by another run would be followed as if
// it were this run's load. A service that is not there is fine.
func resetServices(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, r := range config.Regions() {
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(r))
		if err != nil {
			t.Fatalf("reset services: %v", err)
		}
		_, _ = ecs.NewFromConfig(cfg).UpdateService(ctx, &ecs.UpdateServiceInput{
			Cluster: aws.String("app"), Service: aws.String("app"), DesiredCount: aws.Int32(0)})
	}
}
