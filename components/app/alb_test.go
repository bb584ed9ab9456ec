package app_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const listenerT = "aws:lb/listener:Listener"

func TestHTTPSListenerUsesTLS12PlusAndHTTPRedirects(t *testing.T) {
	res := run(t, validArgs())
	https := get(t, res, listenerT, "app-https")
	assert.Equal(t, "HTTPS", str(https.Inputs, "protocol"))
	assert.Equal(t, 443.0, num(https.Inputs, "port"))
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", str(https.Inputs, "sslPolicy"))
	assert.Equal(t, "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc", str(https.Inputs, "certificateArn"))
	fwd := https.Inputs["defaultActions"].ArrayValue()[0].ObjectValue()
	assert.Equal(t, "forward", str(fwd, "type"))
	assert.Equal(t, "arn:aws:mock:ap-northeast-1:123456789012:app-tg", str(fwd, "targetGroupArn"))

	http := get(t, res, listenerT, "app-http")
	assert.Equal(t, "HTTP", str(http.Inputs, "protocol"))
	actions := http.Inputs["defaultActions"].ArrayValue()
	require.Len(t, actions, 1)
	act := actions[0].ObjectValue()
	assert.Equal(t, "redirect", str(act, "type"), "HTTP listener serves instead of redirecting")
	redirect := obj(act, "redirect")
	assert.Equal(t, "HTTPS", str(redirect, "protocol"))
	assert.Equal(t, "443", str(redirect, "port"))
	assert.Equal(t, "HTTP_301", str(redirect, "statusCode"))
	assert.Len(t, res.Find(listenerT), 2)
}

func TestLoadBalancerIsHardenedAndLogged(t *testing.T) {
	res := run(t, validArgs())
	alb := get(t, res, "aws:lb/loadBalancer:LoadBalancer", "app-alb")
	for _, key := range []string{"enableDeletionProtection", "dropInvalidHeaderFields"} {
		v, set := boolean(alb.Inputs, key)
		assert.True(t, set && v, "%s is not on", key)
	}
	internal, _ := boolean(alb.Inputs, "internal")
	assert.False(t, internal)
	assert.Equal(t, []string{"subnet-pub-a", "subnet-pub-c", "subnet-pub-d"}, strs(alb.Inputs, "subnets"))
	logs := obj(alb.Inputs, "accessLogs")
	enabled, _ := boolean(logs, "enabled")
	assert.True(t, enabled, "access logs off")
	assert.Equal(t, "agm-dr-tokyo-alb-logs", str(logs, "bucket"))
	assert.Contains(t, alb.DependsOn, "urn:pulumi:tokyo::agm-dr::agm-dr:app:App$aws:s3/bucketPolicy:BucketPolicy::app-access-logs",
		"ALB is created before ELB may write to its log bucket")
}

func TestTargetGroupChecksTheHealthPath(t *testing.T) {
	args := validArgs()
	args.ContainerPort, args.HealthCheckPath = 3000, "/ready"
	res := run(t, args)
	tg := get(t, res, "aws:lb/targetGroup:TargetGroup", "app-tg")
	assert.Equal(t, "ip", str(tg.Inputs, "targetType"))
	assert.Equal(t, 3000.0, num(tg.Inputs, "port"))
	assert.Equal(t, "/ready", str(obj(tg.Inputs, "healthCheck"), "path"))
}

func TestLoadBalancerSecurityGroupOpensOnlyWebPortsAndReachesOnlyTasks(t *testing.T) {
	res := run(t, validArgs())
	sg := get(t, res, "aws:ec2/securityGroup:SecurityGroup", "app-alb-sg")
	var ports []float64
	for _, in := range sg.Inputs["ingress"].ArrayValue() {
		rule := in.ObjectValue()
		assert.Equal(t, num(rule, "fromPort"), num(rule, "toPort"), "ingress is a port range")
		assert.Equal(t, []string{"0.0.0.0/0"}, strs(rule, "cidrBlocks"))
		ports = append(ports, num(rule, "fromPort"))
	}
	assert.ElementsMatch(t, []float64{443, 80}, ports)

	egress := sg.Inputs["egress"].ArrayValue()
	require.Len(t, egress, 1)
	out := egress[0].ObjectValue()
	assert.Equal(t, 8080.0, num(out, "fromPort"))
	assert.Equal(t, 8080.0, num(out, "toPort"))
	assert.Equal(t, []string{"sg-tasks"}, strs(out, "securityGroups"))
	assert.Empty(t, strs(out, "cidrBlocks"))

	rule := get(t, res, "aws:ec2/securityGroupRule:SecurityGroupRule", "app-tasks-from-alb")
	assert.Equal(t, "ingress", str(rule.Inputs, "type"))
	assert.Equal(t, "sg-tasks", str(rule.Inputs, "securityGroupId"))
	assert.Equal(t, "app-alb-sg-id", str(rule.Inputs, "sourceSecurityGroupId"))
	assert.Equal(t, 8080.0, num(rule.Inputs, "fromPort"))
	assert.Empty(t, strs(rule.Inputs, "cidrBlocks"))
}

const bucketT = "aws:s3/bucketV2:BucketV2"

func TestAccessLogBucketIsProtectedPrivateAndVersioned(t *testing.T) {
	res := run(t, validArgs())
	b := get(t, res, bucketT, "app-access-logs")
	assert.Equal(t, "agm-dr-tokyo-alb-logs", str(b.Inputs, "bucket"))
	assert.True(t, b.Protect, "access-log bucket not protected")
	assert.True(t, b.RetainOnDelete, "access-log bucket not retained on delete")
	force, _ := boolean(b.Inputs, "forceDestroy")
	assert.False(t, force)

	pab := get(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "app-access-logs")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		v, _ := boolean(pab.Inputs, k)
		assert.True(t, v, "%s off", k)
	}
	v := get(t, res, "aws:s3/bucketVersioningV2:BucketVersioningV2", "app-access-logs")
	assert.Equal(t, "Enabled", str(obj(v.Inputs, "versioningConfiguration"), "status"))

	// ALB access logs accept SSE-S3 only.
	sse := get(t, res, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "app-access-logs")
	rule := sse.Inputs["rules"].ArrayValue()[0].ObjectValue()
	assert.Equal(t, "AES256", str(obj(rule, "applyServerSideEncryptionByDefault"), "sseAlgorithm"))

	lc := get(t, res, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "app-access-logs")
	lr := lc.Inputs["rules"].ArrayValue()[0].ObjectValue()
	assert.Equal(t, 90.0, num(obj(lr, "expiration"), "days"))
}

func TestAccessLogBucketPolicyAdmitsOnlyTheRegionalElbAccountOverTLS(t *testing.T) {
	cases := []struct{ region, elbAccount string }{
		{"ap-northeast-1", "582318560864"},
		{"ap-northeast-3", "383597477331"},
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			args := validArgs()
			args.Region = tc.region
			args.Image = pulumi.String("123456789012.dkr.ecr." + tc.region + ".amazonaws.com/agm-app:2026.06.1")
			res := run(t, args)
			p := parsePolicy(t, str(get(t, res, "aws:s3/bucketPolicy:BucketPolicy", "app-access-logs").Inputs, "policy"))
			bucket := "arn:aws:mock:" + tc.region + ":123456789012:app-access-logs"
			var allow, deny int
			for _, s := range p.Statement {
				switch {
				case s.Effect == "Allow" && s.Sid == "S3ServerAccessLogs":
					// S3 server access logs of this account's buckets, under s3/ only
					assert.Equal(t, map[string]any{"Service": "logging.s3.amazonaws.com"}, s.Principal)
					assert.Equal(t, []string{"s3:PutObject"}, s.Action)
					assert.Equal(t, []string{bucket + "/s3/*"}, resources(s.Resource))
					assert.Equal(t, "123456789012", s.Condition["StringEquals"]["aws:SourceAccount"])
				case s.Effect == "Allow":
					allow++
					assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::" + tc.elbAccount + ":root"}, s.Principal)
					assert.Equal(t, []string{"s3:PutObject"}, s.Action)
					assert.Equal(t, []string{bucket + "/alb/AWSLogs/123456789012/*"}, resources(s.Resource))
				case s.Effect == "Deny":
					deny++
					assert.Equal(t, "false", s.Condition["Bool"]["aws:SecureTransport"])
					assert.ElementsMatch(t, []string{bucket, bucket + "/*"}, resources(s.Resource))
				}
			}
			assert.Equal(t, 1, allow)
			assert.Equal(t, 1, deny, "no TLS-only statement")
		})
	}
}
