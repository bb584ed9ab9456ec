package runbook

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/agm-dr/agm-dr/config"
)

// BackendReader says which state backend the Pulumi CLI is logged in to now.
type BackendReader func(ctx context.Context) (string, error)

// KnownBackend is a BackendReader that always answers url (tests, or a backend known otherwise).
func KnownBackend(url string) BackendReader {
	return func(context.Context) (string, error) { return url, nil }
}

// WhoAmI asks the Pulumi CLI, in the project in dir and with env added, which backend it is
// logged in to: the Automation API's WhoAmIDetails (`pulumi whoami --json`), which answers with
// PULUMI_BACKEND_URL when it is set and with the backend of the last `pulumi login` otherwise.
// So the check judges the backend every `pulumi up` of the switchover will use, not a guess
// from the environment.
func WhoAmI(dir string, env map[string]string) BackendReader {
	return func(ctx context.Context) (string, error) {
		ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(dir), auto.EnvVars(env))
		if err != nil {
			return "", fmt.Errorf("starting the Pulumi CLI: %w", err)
		}
		who, err := ws.WhoAmIDetails(ctx)
		if err != nil {
			return "", err
		}
		if who.URL == "" {
			return "", fmt.Errorf("`pulumi whoami --json` named no backend URL")
		}
		return who.URL, nil
	}
}

// BackendCheck judges where the Pulumi state lives against the region being left: state kept in
// that region is lost with it, and then no stack can be updated at all. It passes only on
// evidence: a backend the CLI could not name fails, and one whose region cannot be told warns.
func BackendCheck(backend string, readErr error, leaving, to string) Check {
	c := Check{Name: "state backend outside the region being left"}
	if readErr != nil {
		return c.failRaw("the Pulumi CLI could not say which backend it is logged in to: "+firstLine(readErr),
			"run `pulumi whoami --verbose` until it answers (install the pulumi CLI, `pulumi login <backend>`), then re-run", readErr)
	}
	move := "move the state to a bucket in a third region: `pulumi stack export` each stack, `pulumi login s3://<bucket>?region=<third region>`, `pulumi stack import`"
	switch {
	case backend == "":
		return c.fail("the Pulumi CLI named no backend", "run `pulumi login <backend>` and check `pulumi whoami --verbose`")
	case strings.HasPrefix(backend, "file://"):
		return c.warn(fmt.Sprintf("local state (%s)", backend),
			"local state: keep a copy outside both regions (e.g. `pulumi stack export` after every update), "+
				"or move it to a bucket in a third region")
	case strings.HasPrefix(backend, "s3://"):
		u, err := url.Parse(backend)
		if err != nil {
			return c.fail(fmt.Sprintf("backend %q is not a URL: %v", backend, err), "log in again: `pulumi login s3://<bucket>?region=<region>`")
		}
		region := u.Query().Get("region")
		switch region {
		case "":
			return c.warn(fmt.Sprintf("S3 bucket %s, region not stated", u.Host),
				"log in with the bucket's region (`pulumi login s3://"+u.Host+"?region=<bucket region>`) so drctl can check it is outside "+config.Tokyo+" and "+config.Osaka)
		case leaving:
			return c.fail(fmt.Sprintf("state bucket %s is in %s, the region being left: if it fails, no stack can be updated", u.Host, region), move)
		case to:
			return c.warn(fmt.Sprintf("state bucket %s is in %s, the new primary region", u.Host, region),
				"keep the state outside both regions: "+move)
		}
		return c.pass(fmt.Sprintf("S3 bucket %s in %s, outside both regions", u.Host, region))
	case strings.HasPrefix(backend, "https://"):
		u, err := url.Parse(backend)
		if err == nil && (u.Host == "api.pulumi.com" || u.Host == "app.pulumi.com") {
			return c.pass("Pulumi Cloud (" + backend + "): outside both regions")
		}
		return c.warn("self-hosted backend "+backend, "make sure the backend service and its storage run outside "+leaving)
	case strings.HasPrefix(backend, "azblob://"), strings.HasPrefix(backend, "gs://"):
		return c.pass("backend " + backend + ": not in AWS")
	}
	return c.warn("backend "+backend+": drctl cannot tell where it is", "make sure it is outside "+leaving)
}
