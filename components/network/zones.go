package network

import (
	"fmt"
	"regexp"
)

// Zones by AZ ID. AZ names (ap-northeast-1a) are mapped to physical zones per account in the
// older regions, so the same name can be another zone in another account; an AZ ID (apne1-az1)
// is the same physical zone in every account. Source: AWS Regions and Availability Zones,
// "AWS Availability Zones" and "AZ IDs" (docs.aws.amazon.com/global-infrastructure/latest/
// regions/aws-availability-zones.html). Subnets are placed with availabilityZoneId, so no
// name-to-ID lookup (and no getAvailabilityZones call) is needed.

var (
	zoneIDRE = regexp.MustCompile(`^([a-z]{2,}[0-9]+)-az[0-9]+$`)
	regionRE = regexp.MustCompile(`^[a-z]{2}(?:-[a-z]+)+-\d+$`)
)

// zonePlan validates ZoneIDs (three distinct AZ IDs of one region) and Region.
func (a *Args) zonePlan(p *plan) error {
	if len(a.AZs) > 0 {
		return fmt.Errorf("give AZs (names) or ZoneIDs, not both")
	}
	if len(a.ZoneIDs) != 3 {
		return fmt.Errorf("exactly 3 availability zone IDs are required, got %d (%v)", len(a.ZoneIDs), a.ZoneIDs)
	}
	if !regionRE.MatchString(a.Region) {
		return fmt.Errorf("Region %q is required with ZoneIDs and must be a region code like ap-northeast-1", a.Region)
	}
	seen := map[string]bool{}
	prefix := ""
	for _, id := range a.ZoneIDs {
		m := zoneIDRE.FindStringSubmatch(id)
		if m == nil {
			return fmt.Errorf("%q is not an availability zone ID like apne1-az1", id)
		}
		pre := m[1]
		if prefix != "" && pre != prefix {
			return fmt.Errorf("availability zone IDs %v are not all in one region", a.ZoneIDs)
		}
		if seen[id] {
			return fmt.Errorf("availability zone ID %s is listed twice", id)
		}
		seen[id], prefix = true, pre
	}
	p.region, p.azs, p.byID = a.Region, a.ZoneIDs, true
	return nil
}
