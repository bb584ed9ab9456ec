package switchover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/smithy-go"
)

// Error is what the engine returns for a failed AWS call or wait: the API,
// the resource it concerned, and what the operator can do next.
type Error struct {
	API      string // e.g. "rds:SwitchoverGlobalCluster", or "wait" for a timeout
	Resource string // e.g. "global cluster agm (ap-northeast-3)"
	Hint     string // the next step for the operator
	Err      error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s on %s: %v\n  next step: %s", e.API, e.Resource, e.Err, e.Hint)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrTimeout marks a run that ran out of its timeout; the role change may
// still complete in AWS, and a re-run resumes waiting for it.
var ErrTimeout = errors.New("timed out")

// ErrInProgress marks a role change that someone else started towards
// another member; the engine does not fight it.
var ErrInProgress = errors.New("another switchover is in progress")

// ErrPreflight marks a planned switchover refused before any change.
var ErrPreflight = errors.New("preflight refused")

// awsError wraps err from api on resource with a hint chosen from the error
// code, so operators see the next step without reading SDK internals.
func awsError(api, resource, region string, err error) error {
	return &Error{API: api, Resource: resource, Hint: hintFor(err, region), Err: err}
}

func hintFor(err error, region string) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "the run's timeoutSeconds elapsed during this call; re-run `pulumi up` " +
			"(it resumes, it does not start over) or raise timeoutSeconds"
	}
	if errors.Is(err, context.Canceled) {
		return "the run was cancelled; re-run `pulumi up` to resume"
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		if isNetwork(err) {
			return fmt.Sprintf("the %s endpoint did not answer: check network/VPN and "+
				"AWS_ENDPOINT_URL; if the region itself is down, switch from the surviving "+
				"region's stack with mode \"unplanned\"", region)
		}
		return "re-run `pulumi up`; the engine reads the real roles first and resumes"
	}
	code := apiErr.ErrorCode()
	switch {
	case strings.HasSuffix(code, "NotFoundFault") || strings.HasSuffix(code, "NotFound"):
		return fmt.Sprintf("check the identifiers in this stack's config and that they "+
			"exist in %s (aws:region of this stack)", region)
	case strings.HasPrefix(code, "Invalid") && strings.Contains(code, "State"):
		return "a member or the global resource is busy or unavailable; wait until " +
			"`describe` shows status available, then re-run `pulumi up`"
	case strings.Contains(code, "AccessDenied") || strings.Contains(code, "Unauthorized") ||
		code == "UnrecognizedClientException" || strings.Contains(code, "ExpiredToken") ||
		code == "InvalidClientTokenId":
		return "the credentials used by `pulumi up` are missing, expired or lack " +
			"permission for this call; refresh them and re-run"
	case strings.Contains(code, "Throttl") || code == "RequestLimitExceeded":
		return "AWS throttled the call; wait a minute and re-run `pulumi up`"
	case code == "InvalidParameterValue" || code == "InvalidParameterCombination":
		return "fix the resource inputs (globalClusterId, clusterArn, region) and re-run"
	}
	return "see the AWS message above; fix the cause and re-run `pulumi up` (it resumes)"
}

func isNetwork(err error) bool {
	var netErr net.Error
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return errors.As(err, &opErr) || errors.As(err, &dnsErr) || errors.As(err, &netErr) ||
		strings.Contains(err.Error(), "connection refused") ||
		strings.Contains(err.Error(), "no such host")
}
