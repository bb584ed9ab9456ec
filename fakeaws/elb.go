package fakeaws

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// ELB is a fake of the one Elastic Load Balancing v2 action the capacity gate uses,
// DescribeTargetHealth (query protocol), because the program's target groups exist only in the
// fake aws plugin's records, not in ministack. Healthy reports how many targets of a target group
// in a region are healthy (the engine-test setup counts the ECS service's running tasks in
// ministack). Point AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 at it.
type ELB struct {
	endpoint
	Healthy func(region, targetGroupArn string) (int, error)
}

// NewELB returns a fake that asks healthy for the healthy targets.
func NewELB(healthy func(region, targetGroupArn string) (int, error)) *ELB {
	return &ELB{Healthy: healthy}
}

type elbMember struct {
	ID    string `xml:"Target>Id"`
	Port  int    `xml:"Target>Port"`
	State string `xml:"TargetHealth>State"`
}

type describeTargetHealthResponse struct {
	XMLName   xml.Name    `xml:"DescribeTargetHealthResponse"`
	Xmlns     string      `xml:"xmlns,attr"`
	Members   []elbMember `xml:"DescribeTargetHealthResult>TargetHealthDescriptions>member"`
	RequestID string      `xml:"ResponseMetadata>RequestId"`
}

func (e *ELB) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	region := ""
	if m := signedRegion.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region = m[1]
	}
	if err := r.ParseForm(); err != nil {
		elbError(w, http.StatusBadRequest, "ValidationError", err.Error())
		return
	}
	action, tg := r.PostForm.Get("Action"), r.PostForm.Get("TargetGroupArn")
	e.mu.Lock()
	down := e.record(action, region)
	e.mu.Unlock()
	if down {
		elbError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "region "+region+" is down")
		return
	}
	if action != "DescribeTargetHealth" {
		elbError(w, http.StatusBadRequest, "InvalidAction", "the ELB fake does not serve "+action)
		return
	}
	n, err := e.Healthy(region, tg)
	if err != nil {
		elbError(w, http.StatusBadRequest, "TargetGroupNotFound", err.Error())
		return
	}
	out := describeTargetHealthResponse{Xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/", RequestID: "fake"}
	for i := 0; i < n; i++ {
		out.Members = append(out.Members, elbMember{ID: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), Port: 8080, State: "healthy"})
	}
	w.Header().Set("Content-Type", "text/xml")
	_ = xml.NewEncoder(w).Encode(out)
}

func elbError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`, code, msg)
}

// RunningTasks answers with the running count of the ECS service cluster/service in the region,
// read from the ECS endpoint the standard AWS environment points at (ministack in the engine
// tests, where ECS starts every desired task at once). Both stacks name the service alike.
func RunningTasks(cluster, service string) func(region, targetGroupArn string) (int, error) {
	return func(region, _ string) (int, error) {
		cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion(region))
		if err != nil {
			return 0, err
		}
		out, err := ecs.NewFromConfig(cfg).DescribeServices(context.Background(), &ecs.DescribeServicesInput{
			Cluster: aws.String(cluster), Services: []string{service}})
		if err != nil || len(out.Services) == 0 {
			return 0, fmt.Errorf("no ECS service %s/%s in %s: %v", cluster, service, region, err)
		}
		return int(out.Services[0].RunningCount), nil
	}
}
