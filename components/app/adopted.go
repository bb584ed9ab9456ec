package app

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Adopted names an existing ECS cluster and service; a name cannot change in place. The
// service keeps its own security groups and target groups beside the program's: the load
// balancer that serves shareholders today keeps reaching the tasks the import rolls out, until
// traffic moves to the program's (ECS allows several target groups per service).
type Adopted struct {
	Cluster, Service string
	SecurityGroupIDs []string
	TargetGroupArns  []string
}

// names are the ECS cluster's and service's names, and their imports when adopted (the
// provider imports a service as "cluster/service").
func (a *Args) names(name string) (cluster, service string, clusterImport, serviceImport []pulumi.ResourceOption) {
	if a.Adopted == nil {
		return name, name, nil, nil
	}
	c, s := a.Adopted.Cluster, a.Adopted.Service
	return c, s, []pulumi.ResourceOption{pulumi.Import(pulumi.ID(c))}, []pulumi.ResourceOption{pulumi.Import(pulumi.ID(c + "/" + s))}
}

// securityGroups are the tasks' groups: the program's, and an adopted service's own.
func (a *Args) securityGroups() pulumi.StringArray {
	sgs := pulumi.StringArray{a.TaskSecurityGroupID}
	if a.Adopted != nil {
		for _, id := range a.Adopted.SecurityGroupIDs {
			sgs = append(sgs, pulumi.String(id))
		}
	}
	return sgs
}

// loadBalancers attach the program's target group, and an adopted service's own target groups,
// to the program's container.
func (a *Args) loadBalancers(own pulumi.StringOutput) ecs.ServiceLoadBalancerArray {
	lbs := ecs.ServiceLoadBalancerArray{ecs.ServiceLoadBalancerArgs{
		TargetGroupArn: own, ContainerName: pulumi.String(containerName), ContainerPort: pulumi.Int(a.ContainerPort),
	}}
	if a.Adopted != nil {
		for _, tg := range a.Adopted.TargetGroupArns {
			lbs = append(lbs, ecs.ServiceLoadBalancerArgs{
				TargetGroupArn: pulumi.String(tg), ContainerName: pulumi.String(containerName), ContainerPort: pulumi.Int(a.ContainerPort),
			})
		}
	}
	return lbs
}
