package fakeaws

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// worldSecret is a secret's value and ARN as the emulator stores it; "" when the world is off or
// the emulator has no such secret (the program's own secrets exist only in the fake's records).
func worldSecret(ctx context.Context, region, id string) (value, arn string) {
	if os.Getenv(WorldEnv) != "1" || id == "" {
		return "", ""
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return "", ""
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		return "", ""
	}
	return aws.ToString(out.SecretString), aws.ToString(out.ARN)
}
