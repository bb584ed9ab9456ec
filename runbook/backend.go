package runbook

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/agm-dr/agm-dr/config"
)

// BackendCheck judges where the Pulumi state lives (PULUMI_BACKEND_URL) against the region being
// left: state kept in that region is lost with it, and then no stack can be updated at all.
func BackendCheck(backend, leaving, to string) Check {
	c := Check{Name: "state backend outside the region being left"}
	switch {
	case backend == "":
		return c.pass("Pulumi Cloud (no PULUMI_BACKEND_URL): outside both regions")
	case strings.HasPrefix(backend, "file://"):
		return c.warn(fmt.Sprintf("local state (%s)", backend),
			"local state: keep a copy outside both regions (e.g. `pulumi stack export` after every update), "+
				"or move it to a bucket in a third region")
	case strings.HasPrefix(backend, "s3://"):
		u, err := url.Parse(backend)
		if err != nil {
			return c.fail(fmt.Sprintf("PULUMI_BACKEND_URL %q is not a URL: %v", backend, err), "fix PULUMI_BACKEND_URL")
		}
		region := u.Query().Get("region")
		move := "move the state to a bucket in a third region: `pulumi stack export` each stack, `pulumi login s3://<bucket>?region=<third region>`, `pulumi stack import`"
		switch region {
		case "":
			return c.warn(fmt.Sprintf("S3 bucket %s, region not stated", u.Host),
				"add ?region=<bucket region> to PULUMI_BACKEND_URL so drctl can check it is outside "+config.Tokyo+" and "+config.Osaka)
		case leaving:
			return c.fail(fmt.Sprintf("state bucket %s is in %s, the region being left: if it fails, no stack can be updated", u.Host, region), move)
		case to:
			return c.warn(fmt.Sprintf("state bucket %s is in %s, the new primary region", u.Host, region),
				"keep the state outside both regions: "+move)
		}
		return c.pass(fmt.Sprintf("S3 bucket %s in %s, outside both regions", u.Host, region))
	case strings.HasPrefix(backend, "https://"):
		u, err := url.Parse(backend)
		if err == nil && strings.HasSuffix(u.Host, "pulumi.com") {
			return c.pass("Pulumi Cloud: outside both regions")
		}
		return c.warn("self-hosted backend "+backend, "make sure the backend service and its storage run outside "+leaving)
	}
	return c.pass("backend " + backend + ": not in AWS")
}
