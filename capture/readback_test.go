package capture

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
)

func TestReadBackDriftsFindsEachKindOfFact(t *testing.T) {
	key := Resource{Type: typeKmsKey, Name: "key-key"}
	keyArn := MockArn("ap-northeast-1", "key-key")
	cluster := func(id, kms string, ignore ...string) Resource {
		return Resource{Type: typeRdsCluster, Name: "db", IgnoreChanges: ignore, Inputs: resource.NewPropertyMapFromMap(map[string]any{
			"clusterIdentifier": id, "kmsKeyId": kms, "masterUsername": "agm",
		})}
	}
	cases := []struct {
		name  string
		r     Resource
		drift []string
	}{
		{"key ARN, lower-case id", cluster("agm-dr-ap-northeast-1", keyArn), nil},
		{"alias reads back as the key ARN", cluster("agm-dr-ap-northeast-1", "alias/agm-dr"), []string{"kmsKeyId"}},
		{"key id reads back as the key ARN", cluster("agm-dr-ap-northeast-1", "key-key-id"), []string{"kmsKeyId"}},
		{"upper case is stored lower case", cluster("AGM-dr", keyArn), []string{"clusterIdentifier"}},
		{"ignored drift is fine", cluster("AGM-dr", "alias/x", "clusterIdentifier", "kmsKeyId"), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := World{"tokyo": {Region: "ap-northeast-1", Resources: []Resource{key, tc.r}}}
			var got []string
			for _, d := range ReadBackDrifts(w) {
				got = append(got, d.Fact.Property)
				assert.Contains(t, d.String(), d.Fact.Source)
			}
			assert.Equal(t, tc.drift, got)
		})
	}
}

func TestIgnoredCoversNestedPaths(t *testing.T) {
	r := Resource{IgnoreChanges: []string{"encryptionConfigurations"}}
	assert.True(t, Ignored(r, "encryptionConfigurations[0].kmsKey"))
	assert.False(t, Ignored(r, "encryption"))
	assert.False(t, Ignored(Resource{IgnoreChanges: []string{"engine"}}, "engineVersion"))
}
