package keys

import "encoding/json"

// statement is one key policy statement. Principals are always the account root or named
// service principals, never "*".
type statement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal map[string]any               `json:"Principal"`
	Action    []string                     `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// keyPolicy is the key policy for a region's key:
//   - the account root administers the key, which delegates use to IAM policies (S3, Aurora,
//     ElastiCache, Secrets Manager, ECR and SQS act with their caller's IAM permissions);
//   - CloudWatch Logs may use it for this account's log groups in this region only;
//   - SNS and CloudWatch (alarms publishing to an encrypted topic) may decrypt and generate
//     data keys on behalf of this account only.
//
// "Resource": "*" in a key policy means this key.
func keyPolicy(accountID, region string) (string, error) {
	doc := struct {
		Version   string      `json:"Version"`
		Statement []statement `json:"Statement"`
	}{
		Version: "2012-10-17",
		Statement: []statement{
			{
				Sid:       "AccountAdministers",
				Effect:    "Allow",
				Principal: map[string]any{"AWS": "arn:aws:iam::" + accountID + ":root"},
				Action:    []string{"kms:*"},
				Resource:  "*",
			},
			{
				Sid:       "CloudWatchLogsOfThisAccount",
				Effect:    "Allow",
				Principal: map[string]any{"Service": "logs." + region + ".amazonaws.com"},
				Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
				Resource:  "*",
				Condition: map[string]map[string]string{
					"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:" + region + ":" + accountID + ":log-group:*"},
				},
			},
			{
				Sid:       "AlarmsToEncryptedTopic",
				Effect:    "Allow",
				Principal: map[string]any{"Service": []string{"sns.amazonaws.com", "cloudwatch.amazonaws.com"}},
				Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
				Resource:  "*",
				Condition: map[string]map[string]string{
					"StringEquals": {"aws:SourceAccount": accountID},
				},
			},
		},
	}
	b, err := json.Marshal(doc)
	return string(b), err
}
