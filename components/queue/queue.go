// Package queue provides the region's SQS work queue with its dead-letter queue, both
// encrypted with the region's KMS key and reachable over TLS only.
//
// SQS does not replicate across regions: messages left in the old primary's queue are not
// seen by the new primary. A planned switchover therefore drains the old primary's queue first
// (the switchover tooling waits until ApproximateNumberOfMessages is zero); an unplanned
// failover may strand what was in flight there, for at most RetentionSeconds.
package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Limits SQS enforces, checked here so a bad value fails at plan time.
const (
	MaxReceiveCountMin = 1
	MaxReceiveCountMax = 10
	DlqRetentionSecs   = 14 * 24 * 3600 // the SQS maximum: keep failed messages as long as possible
	minRetentionSecs   = 60
	maxVisibilitySecs  = 12 * 3600
)

var accountRe = regexp.MustCompile(`^[0-9]{12}$`)

// Args describe the queue pair.
type Args struct {
	KmsKeyArn                pulumi.StringInput // this region's key (SSE-KMS)
	MaxReceiveCount          int                // receives before a message moves to the DLQ, 1..10
	VisibilityTimeoutSeconds int                // 0..43200
	RetentionSeconds         int                // main queue, 60..1209600; the DLQ keeps 14 days
	AccountID                string             // 12-digit AWS account id

	// Adopted, on the home stack only: existing queues taken over (imported) under their own
	// names instead of new auto-named ones; a queue's name cannot change in place.
	Adopted *Adopted
	// After are resources the queues wait for: the grant that lets an adopted service's running
	// tasks use KmsKeyArn before the queues are encrypted with it.
	After []pulumi.Resource
}

// Adopted are the URLs (the SQS ids) of existing queues, with their names.
type Adopted struct {
	URL, Name              string
	DeadLetterURL, DlqName string
}

// named gives an adopted queue its existing name and the import of its URL.
func named(url, queueName string) (pulumi.StringPtrInput, []pulumi.ResourceOption) {
	if url == "" {
		return nil, nil
	}
	return pulumi.String(queueName), []pulumi.ResourceOption{pulumi.Import(pulumi.ID(url))}
}

// Queue is the main queue and its dead-letter queue.
type Queue struct {
	pulumi.ResourceState
	QueueURL  pulumi.StringOutput `pulumi:"queueUrl"`
	QueueArn  pulumi.StringOutput `pulumi:"queueArn"`
	QueueName pulumi.StringOutput `pulumi:"queueName"`
	DlqURL    pulumi.StringOutput `pulumi:"dlqUrl"`
	DlqArn    pulumi.StringOutput `pulumi:"dlqArn"`
	DlqName   pulumi.StringOutput `pulumi:"dlqName"`
}

func (a *Args) validate() error {
	switch {
	case a.KmsKeyArn == nil:
		return errors.New("a KMS key ARN is required")
	case a.MaxReceiveCount < MaxReceiveCountMin || a.MaxReceiveCount > MaxReceiveCountMax:
		return fmt.Errorf("maxReceiveCount %d must be within %d..%d", a.MaxReceiveCount, MaxReceiveCountMin, MaxReceiveCountMax)
	case a.VisibilityTimeoutSeconds < 0 || a.VisibilityTimeoutSeconds > maxVisibilitySecs:
		return fmt.Errorf("visibility timeout %ds must be within 0..%d", a.VisibilityTimeoutSeconds, maxVisibilitySecs)
	case a.RetentionSeconds < minRetentionSecs || a.RetentionSeconds > DlqRetentionSecs:
		return fmt.Errorf("retention %ds must be within %d..%d", a.RetentionSeconds, minRetentionSecs, DlqRetentionSecs)
	case !accountRe.MatchString(a.AccountID):
		return fmt.Errorf("account id %q must be 12 digits", a.AccountID)
	}
	return nil
}

// New creates the DLQ, the main queue redriving to it, and TLS-only policies on both.
// Queues are retained on delete: removing them from the program must not drop messages.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Queue, error) {
	if args == nil {
		return nil, errors.New("queue: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("queue %s: %w", name, err)
	}
	q := &Queue{}
	if err := ctx.RegisterComponentResource("agm-dr:queue:Queue", name, q, opts...); err != nil {
		return nil, fmt.Errorf("queue %s: %w", name, err)
	}
	wrap := func(err error) error { return fmt.Errorf("queue %s: %w", name, err) }
	keep := []pulumi.ResourceOption{pulumi.Parent(q), pulumi.RetainOnDelete(true), pulumi.DependsOn(args.After)}

	var adopted Adopted
	if args.Adopted != nil {
		adopted = *args.Adopted
	}
	dlqName, dlqImport := named(adopted.DeadLetterURL, adopted.DlqName)
	dlq, err := sqs.NewQueue(ctx, name+"-dlq", &sqs.QueueArgs{
		Name:                    dlqName,
		KmsMasterKeyId:          args.KmsKeyArn,
		MessageRetentionSeconds: pulumi.Int(DlqRetentionSecs),
	}, append(keep, dlqImport...)...)
	if err != nil {
		return nil, wrap(err)
	}
	mainName, mainImport := named(adopted.URL, adopted.Name)
	main, err := sqs.NewQueue(ctx, name, &sqs.QueueArgs{
		Name:                     mainName,
		KmsMasterKeyId:           args.KmsKeyArn,
		MessageRetentionSeconds:  pulumi.Int(args.RetentionSeconds),
		VisibilityTimeoutSeconds: pulumi.Int(args.VisibilityTimeoutSeconds),
		RedrivePolicy: dlq.Arn.ApplyT(func(arn string) (string, error) {
			return toJSON(map[string]any{"deadLetterTargetArn": arn, "maxReceiveCount": args.MaxReceiveCount})
		}).(pulumi.StringOutput),
	}, append(keep, mainImport...)...)
	if err != nil {
		return nil, wrap(err)
	}
	// Only the main queue may use the DLQ as its dead-letter target.
	if _, err := sqs.NewRedriveAllowPolicy(ctx, name+"-dlq-redrive-allow", &sqs.RedriveAllowPolicyArgs{
		QueueUrl: dlq.Url,
		RedriveAllowPolicy: main.Arn.ApplyT(func(arn string) (string, error) {
			return toJSON(map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []string{arn}})
		}).(pulumi.StringOutput),
	}, pulumi.Parent(q)); err != nil {
		return nil, wrap(err)
	}
	for _, x := range []struct {
		suffix string
		queue  *sqs.Queue
	}{{"-policy", main}, {"-dlq-policy", dlq}} {
		if _, err := sqs.NewQueuePolicy(ctx, name+x.suffix, &sqs.QueuePolicyArgs{
			QueueUrl: x.queue.Url,
			Policy:   x.queue.Arn.ApplyT(tlsOnlyPolicy).(pulumi.StringOutput),
		}, pulumi.Parent(q)); err != nil {
			return nil, wrap(err)
		}
	}

	q.QueueURL, q.QueueArn, q.QueueName = main.Url, main.Arn, main.Name
	q.DlqURL, q.DlqArn, q.DlqName = dlq.Url, dlq.Arn, dlq.Name
	return q, ctx.RegisterResourceOutputs(q, pulumi.Map{
		"queueUrl": q.QueueURL, "queueArn": q.QueueArn, "queueName": q.QueueName,
		"dlqUrl": q.DlqURL, "dlqArn": q.DlqArn, "dlqName": q.DlqName,
	})
}

// tlsOnlyPolicy denies every request made without TLS. It grants nothing: access comes from
// IAM policies in the account.
func tlsOnlyPolicy(queueArn string) (string, error) {
	return toJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":       "DenyInsecureTransport",
			"Effect":    "Deny",
			"Principal": "*",
			"Action":    "sqs:*",
			"Resource":  queueArn,
			"Condition": map[string]any{"Bool": map[string]string{"aws:SecureTransport": "false"}},
		}},
	})
}

func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
