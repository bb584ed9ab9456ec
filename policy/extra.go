package policy

// Resource types around the data: the image registry, the alarm topic and the secrets.
const (
	TypeEcrRepository = "aws:ecr/repository:Repository"
	TypeSnsTopic      = "aws:sns/topic:Topic"
	TypeSecret        = "aws:secretsmanager/secret:Secret"
)

var extraRules = []Rule{
	{
		ID:            "AGM-ECR-001",
		Description:   "ECR repositories have immutable tags, scan on push and a customer-managed KMS key",
		Checkov:       []string{"CKV_AWS_51", "CKV_AWS_163", "CKV_AWS_136"},
		SecurityHub:   []string{"ECR.2", "ECR.1"},
		ResourceTypes: []string{TypeEcrRepository},
		Check: func(r Resource) []string {
			var out []string
			if m, st := str(r.Inputs, "imageTagMutability"); st != unknown && m != "IMMUTABLE" {
				out = append(out, "imageTagMutability is not IMMUTABLE: a release tag could be pushed over, and the regions drift apart")
			}
			out = append(out, mustBeTrue(r.Inputs, "scan on push", "imageScanningConfiguration", "scanOnPush")...)
			encs, st := list(r.Inputs, "encryptionConfigurations")
			if st == unknown {
				return out
			}
			if len(encs) == 0 {
				return append(out, "no encryptionConfigurations: images are encrypted with an AWS owned key")
			}
			for _, e := range encs {
				if t, _ := str(e, "encryptionType"); t != "KMS" {
					out = append(out, "encryptionType is not KMS")
				}
				out = append(out, customerKey(e, "the repository", "kmsKey")...)
			}
			return out
		},
	},
	{
		ID:            "AGM-SNS-001",
		Description:   "SNS topics are encrypted with a customer-managed KMS key",
		Checkov:       []string{"CKV_AWS_26"},
		ResourceTypes: []string{TypeSnsTopic},
		Check: func(r Resource) []string {
			return customerKey(r.Inputs, "the topic", "kmsMasterKeyId")
		},
	},
	{
		ID:            "AGM-SM-001",
		Description:   "Secrets Manager secrets are encrypted with a customer-managed KMS key",
		Checkov:       []string{"CKV_AWS_149"},
		ResourceTypes: []string{TypeSecret},
		Check: func(r Resource) []string {
			return customerKey(r.Inputs, "the secret", "kmsKeyId")
		},
	},
	{
		ID:            "AGM-SM-002",
		Description:   "Secrets Manager replicas are encrypted with a customer-managed key of their region (advisory: the peer's key does not exist when the home stack first deploys)",
		Checkov:       nil, // CKV_AWS_149 reads only the top-level key
		ResourceTypes: []string{TypeSecret},
		Advisory:      true,
		Check: func(r Resource) []string {
			var out []string
			replicas, _ := list(r.Inputs, "replicas")
			for _, rep := range replicas {
				region, _ := str(rep, "region")
				out = append(out, customerKey(rep, "the replica in "+region, "kmsKeyId")...)
			}
			return out
		},
	},
}
