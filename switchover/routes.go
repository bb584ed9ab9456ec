package switchover

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// Route is one weighted record of the set as Route 53 reports it.
type Route struct {
	Region        string // set identifier
	Weight        int64
	Target        string // alias DNS name (lower case, no trailing dot)
	HealthCheckID string
	raw           r53types.ResourceRecordSet
}

// Routes is the weighted record set of one name.
type Routes []Route

// Serving lists the regions with a non-zero weight, sorted.
func (rs Routes) Serving() []string {
	var out []string
	for _, r := range rs {
		if r.Weight > 0 {
			out = append(out, r.Region)
		}
	}
	slices.Sort(out)
	return out
}

// Weights lists "region=weight" for every record, sorted: the state the
// provider keeps, so a zero-weight leftover shows as a difference too.
func (rs Routes) Weights() []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s=%d", r.Region, r.Weight))
	}
	slices.Sort(out)
	return out
}

// OnlyTo is the Weights of a set that sends everything to region: its record at
// TrafficWeight and each of others' at StandbyWeight.
func OnlyTo(region string, others ...string) []string {
	out := []string{fmt.Sprintf("%s=%d", region, TrafficWeight)}
	for _, o := range others {
		out = append(out, fmt.Sprintf("%s=%d", o, StandbyWeight))
	}
	slices.Sort(out)
	return out
}

// Sends reports whether weights ("region=weight", as Weights lists them) send everything
// to region: its record at TrafficWeight and every other record at StandbyWeight.
func Sends(weights []string, region string) bool {
	found := false
	for _, w := range weights {
		r, v, _ := strings.Cut(w, "=")
		switch {
		case r == region && v == fmt.Sprint(TrafficWeight):
			found = true
		case r == region || v != fmt.Sprint(StandbyWeight):
			return false
		}
	}
	return found
}

// Checked lists the regions whose record carries a health check, sorted: the regions
// Route 53 can fail over to on the data plane.
func (rs Routes) Checked() []string {
	out := []string{}
	for _, r := range rs {
		if r.HealthCheckID != "" {
			out = append(out, r.Region)
		}
	}
	slices.Sort(out)
	return out
}

func (rs Routes) get(region string) (Route, bool) {
	for _, r := range rs {
		if r.Region == region {
			return r, true
		}
	}
	return Route{}, false
}

func (rs Routes) String() string {
	if len(rs) == 0 {
		return "no records"
	}
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%s=%d→%s", r.Region, r.Weight, r.Target))
	}
	return strings.Join(parts, ", ")
}

func describeChanges(ch []r53types.Change) string {
	var parts []string
	for _, c := range ch {
		parts = append(parts, fmt.Sprintf("%s %s", c.Action, aws.ToString(c.ResourceRecordSet.SetIdentifier)))
	}
	return strings.Join(parts, " + ")
}
