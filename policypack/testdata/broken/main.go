// A deliberately broken program for the policy pack's engine test: an Aurora cluster without
// storage encryption, which AGM-RDS-001 must refuse.
package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := rds.NewCluster(ctx, "unencrypted", &rds.ClusterArgs{
			Engine:           pulumi.String("aurora-postgresql"),
			StorageEncrypted: pulumi.Bool(false),
		})
		return err
	})
}
