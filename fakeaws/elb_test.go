package fakeaws_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/fakeaws"
)

// The real SDK client reads the fake's answer: as many healthy targets as the callback says,
// and the region the call was signed for.
func TestELBFakeAnswersTheSDK(t *testing.T) {
	var asked string
	f := fakeaws.NewELB(func(region, tg string) (int, error) { asked = region + " " + tg; return 3, nil })
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := elasticloadbalancingv2.New(elasticloadbalancingv2.Options{Region: "ap-northeast-3", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	out, err := c.DescribeTargetHealth(context.Background(), &elasticloadbalancingv2.DescribeTargetHealthInput{TargetGroupArn: aws.String("tg-1")})
	require.NoError(t, err)
	require.Len(t, out.TargetHealthDescriptions, 3)
	assert.Equal(t, "healthy", string(out.TargetHealthDescriptions[0].TargetHealth.State))
	assert.Equal(t, "ap-northeast-3 tg-1", asked)

	f.SetDown("ap-northeast-3", true)
	_, err = c.DescribeTargetHealth(context.Background(), &elasticloadbalancingv2.DescribeTargetHealthInput{TargetGroupArn: aws.String("tg-1")})
	require.Error(t, err)
}
