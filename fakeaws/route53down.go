package fakeaws

import (
	"fmt"
	"os"
	"strings"
)

// Route53DownEnv, set to "1", makes the fake refuse every Route 53 call the program or the
// engine would make of the aws plugin (data-source lookups such as getZone, and creating,
// changing or deleting route53 resources), as an impaired Route 53 control plane in us-east-1
// would. Tests of an unplanned failover with that control plane down set it (the Route 53 calls
// of the agmdr plugin are refused at the AWS endpoint instead: enginetest.Proxy.SetServiceDown).
const Route53DownEnv = "AGMDR_FAKE_ROUTE53_DOWN"

// route53Refused is the error for a token or type of Route 53 while Route53DownEnv is set.
func route53Refused(tokenOrType string) error {
	if os.Getenv(Route53DownEnv) != "1" || !strings.HasPrefix(tokenOrType, "aws:route53/") {
		return nil
	}
	return fmt.Errorf("fake aws: %s refused: the Route 53 control plane (us-east-1) is down (%s=1)", tokenOrType, Route53DownEnv)
}
