package network

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Adopted is an existing VPC the home stack takes over instead of creating one (drctl adopt):
// the VPC and its internet gateway (a VPC has at most one) are imported; the program's subnets,
// route tables and endpoints are added beside what the VPC already holds.
type Adopted struct {
	VpcID             string
	InternetGatewayID string // "" when the VPC has none: the program creates it
}

// imported is the import option for an adopted resource of this id; none when id is "".
func imported(id string) []pulumi.ResourceOption {
	if id == "" {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.Import(pulumi.ID(id))}
}
