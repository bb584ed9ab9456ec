package fakeaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// AutoScaling is a fake of the two Application Auto Scaling actions (JSON 1.1 protocol) that a
// switchover resource setting an ECS service's task floor uses, DescribeScalableTargets and
// RegisterScalableTarget, because ministack does not serve Application Auto Scaling. Point
// AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING at it. Targets are kept per region; calls are
// recorded with the region they were signed for, and a region can be marked down.
type AutoScaling struct {
	endpoint
	targets map[string]scalableTarget // region|namespace|resourceId|dimension
	actions map[string]string         // region|resourceId|name → schedule
}

// ScheduledAction is the schedule of the named scheduled action of resourceID in region.
func (a *AutoScaling) ScheduledAction(region, resourceID, name string) (string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.actions[strings.Join([]string{region, resourceID, name}, "|")]
	return s, ok
}

// Call is one request a fake received, with the region it was signed for.
type Call struct {
	Action, Region string
}

// endpoint is what the fakes of this package keep about their callers: the calls, and which
// regions are down. Its mutex also guards the fake's own state.
type endpoint struct {
	mu    sync.Mutex
	down  map[string]bool
	calls []Call
}

// SetDown makes every request signed for region fail (true) or succeed again (false).
func (e *endpoint) SetDown(region string, down bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.down == nil {
		e.down = map[string]bool{}
	}
	e.down[region] = down
}

// Calls returns the requests received so far.
func (e *endpoint) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Call(nil), e.calls...)
}

// record logs a call (the caller holds mu) and reports whether its region is down.
func (e *endpoint) record(action, region string) (down bool) {
	e.calls = append(e.calls, Call{Action: action, Region: region})
	return e.down[region]
}

type scalableTarget struct {
	ServiceNamespace  string  `json:"ServiceNamespace"`
	ResourceID        string  `json:"ResourceId"`
	ScalableDimension string  `json:"ScalableDimension"`
	MinCapacity       int32   `json:"MinCapacity"`
	MaxCapacity       int32   `json:"MaxCapacity"`
	RoleARN           string  `json:"RoleARN"`
	CreationTime      float64 `json:"CreationTime"`
	ScalableTargetARN string  `json:"ScalableTargetARN"`
}

// NewAutoScaling returns an empty fake.
func NewAutoScaling() *AutoScaling {
	return &AutoScaling{targets: map[string]scalableTarget{}}
}

// Floor is the MinCapacity registered for resourceID in region, and whether there is one.
func (a *AutoScaling) Floor(region, resourceID string) (int32, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, t := range a.targets {
		if strings.HasPrefix(k, region+"|") && t.ResourceID == resourceID {
			return t.MinCapacity, true
		}
	}
	return 0, false
}

func (a *AutoScaling) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, action, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	region := ""
	if m := signedRegion.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region = m[1]
	}
	var in struct {
		ServiceNamespace  string
		ResourceIds       []string
		ResourceId        string
		ScalableDimension string
		MinCapacity       *int32
		MaxCapacity       *int32
		// PutScheduledAction
		ScheduledActionName  string
		Schedule             string
		ScalableTargetAction *struct{ MinCapacity, MaxCapacity *int32 }
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		jsonError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.record(action, region) {
		jsonError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "region "+region+" is down")
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch action {
	case "DescribeScalableTargets":
		out := []scalableTarget{}
		for k, t := range a.targets {
			if !strings.HasPrefix(k, region+"|") || t.ServiceNamespace != in.ServiceNamespace {
				continue
			}
			if in.ScalableDimension != "" && t.ScalableDimension != in.ScalableDimension {
				continue
			}
			if len(in.ResourceIds) > 0 && !contains(in.ResourceIds, t.ResourceID) {
				continue
			}
			out = append(out, t)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ScalableTargets": out})
	case "RegisterScalableTarget":
		key := strings.Join([]string{region, in.ServiceNamespace, in.ResourceId, in.ScalableDimension}, "|")
		t, ok := a.targets[key]
		if !ok {
			t = scalableTarget{ServiceNamespace: in.ServiceNamespace, ResourceID: in.ResourceId, ScalableDimension: in.ScalableDimension,
				CreationTime:      float64(time.Now().Unix()),
				RoleARN:           fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService", Account),
				ScalableTargetARN: fmt.Sprintf("arn:aws:application-autoscaling:%s:%s:scalable-target/%s", region, Account, short(key))}
		}
		if in.MinCapacity != nil {
			t.MinCapacity = *in.MinCapacity
		}
		if in.MaxCapacity != nil {
			t.MaxCapacity = *in.MaxCapacity
		}
		a.targets[key] = t
		_ = json.NewEncoder(w).Encode(map[string]any{"ScalableTargetARN": t.ScalableTargetARN})
	case "PutScheduledAction": // the capacity gate's one-time release of a floor raised to the old primary's load
		if a.actions == nil {
			a.actions = map[string]string{}
		}
		a.actions[strings.Join([]string{region, in.ResourceId, in.ScheduledActionName}, "|")] = in.Schedule
		_ = json.NewEncoder(w).Encode(map[string]any{})
	default:
		jsonError(w, http.StatusBadRequest, "UnknownOperationException", "the Application Auto Scaling fake does not serve "+action)
	}
}

func jsonError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}
