package fakeaws

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Account is the AWS account id the fake reports (ministack's default account).
const Account = "000000000000"

// module is the pulumi-aws module of a type token: "aws:rds/cluster:Cluster" → "rds".
func module(typ string) string {
	parts := strings.Split(typ, ":")
	if len(parts) < 2 {
		return "aws"
	}
	m, _, _ := strings.Cut(parts[1], "/")
	return m
}

// kind is the last segment of a type token, lowercased: "aws:rds/cluster:Cluster" → "cluster".
func kind(typ string) string {
	i := strings.LastIndex(typ, ":")
	return strings.ToLower(typ[i+1:])
}

// short is a stable 8-hex-digit hash of s: the same resource gets the same id in every run, so
// a refresh or a third up sees nothing new.
func short(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

func str(m resource.PropertyMap, key string) string {
	v, ok := m[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// physicalName is the name AWS would know the resource by: its explicit name input if it has
// one, else a name derived from the Pulumi name (as pulumi-aws autonaming does).
func physicalName(typ, name string, in resource.PropertyMap) string {
	for _, k := range []string{"name", "bucket", "clusterIdentifier", "globalClusterIdentifier",
		"replicationGroupId", "identifier", "dashboardName", "alarmName"} {
		if v := str(in, k); v != "" {
			return v
		}
	}
	return name + "-" + short(typ+name)
}

// computed returns the resource id and the outputs AWS computes (ARNs, endpoints, generated ids)
// that the program or the switchover engine read. Inputs are echoed by the caller; these fill
// only what is not an input.
func computed(typ, urn, name, region string, in resource.PropertyMap) (string, resource.PropertyMap) {
	h := short(urn)
	pname := physicalName(typ, name, in)
	svc := module(typ)
	arn := fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", svc, region, Account, kind(typ), pname)
	id := pname
	out := resource.PropertyMap{}
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	switch typ {
	case "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/securityGroup:SecurityGroup",
		"aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2/routeTable:RouteTable",
		"aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/eip:Eip", "aws:ec2/flowLog:FlowLog",
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws:ec2/routeTableAssociation:RouteTableAssociation":
		prefix := map[string]string{"vpc": "vpc", "subnet": "subnet", "securitygroup": "sg", "defaultsecuritygroup": "sg",
			"internetgateway": "igw", "natgateway": "nat", "routetable": "rtb", "vpcendpoint": "vpce", "eip": "eipalloc",
			"flowlog": "fl", "routetableassociation": "rtbassoc"}[kind(typ)]
		id = prefix + "-0" + h + h
		arn = fmt.Sprintf("arn:aws:ec2:%s:%s:%s/%s", region, Account, kind(typ), id)
		if typ == "aws:ec2/eip:Eip" {
			set("allocationId", id)
			set("publicIp", "203.0.113."+fmt.Sprint(int(h[0])%250+1))
		}
	case "aws:rds/cluster:Cluster":
		arn = fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", region, Account, pname)
		set("clusterIdentifier", pname)
		set("endpoint", fmt.Sprintf("%s.cluster-%s.%s.rds.amazonaws.com", pname, h, region))
		set("readerEndpoint", fmt.Sprintf("%s.cluster-ro-%s.%s.rds.amazonaws.com", pname, h, region))
		set("clusterResourceId", "cluster-"+strings.ToUpper(h))
	case "aws:rds/globalCluster:GlobalCluster":
		arn = fmt.Sprintf("arn:aws:rds::%s:global-cluster:%s", Account, pname)
		set("globalClusterResourceId", "cluster-"+strings.ToUpper(h))
		set("endpoint", fmt.Sprintf("%s.global-%s.global.rds.amazonaws.com", pname, h))
	case "aws:rds/clusterInstance:ClusterInstance":
		arn = fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", region, Account, pname)
		set("endpoint", fmt.Sprintf("%s.%s.%s.rds.amazonaws.com", pname, h, region))
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		arn = fmt.Sprintf("arn:aws:elasticache:%s:%s:replicationgroup:%s", region, Account, pname)
		set("primaryEndpointAddress", fmt.Sprintf("master.%s.%s.%s.cache.amazonaws.com", pname, h[:6], short(region)[:4]))
		set("readerEndpointAddress", fmt.Sprintf("replica.%s.%s.%s.cache.amazonaws.com", pname, h[:6], short(region)[:4]))
	case "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup":
		// AWS prefixes the suffix with a five-letter region-set code.
		gid := GlobalDatastoreID(region, str(in, "globalReplicationGroupIdSuffix"))
		id = gid
		set("globalReplicationGroupId", gid)
		arn = fmt.Sprintf("arn:aws:elasticache::%s:globalreplicationgroup:%s", Account, gid)
	case "aws:lb/loadBalancer:LoadBalancer":
		arnSuffix := fmt.Sprintf("app/%s/%s%s", pname, h, h)
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s", region, Account, arnSuffix)
		set("arnSuffix", arnSuffix)
		set("dnsName", fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", pname, h, region))
		set("zoneId", albZoneIDs[region])
	case "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
		// The accepter manages the requester's connection: its id is the connection's pcx- id
		// (terraform-provider-aws vpc_peering_connection_accepter.go: d.SetId(vpcPeeringConnectionID)).
		id = str(in, "vpcPeeringConnectionId")
	case "aws:ec2/vpcPeeringConnection:VpcPeeringConnection":
		id = "pcx-0" + h + h
		arn = fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-peering-connection/%s", region, Account, id)
	case "aws:lb/targetGroup:TargetGroup":
		arnSuffix := fmt.Sprintf("targetgroup/%s/%s%s", pname, h, h)
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:%s", region, Account, arnSuffix)
		set("arnSuffix", arnSuffix)
	case "aws:route53/zone:Zone":
		id = "Z" + strings.ToUpper(h + h)[:13]
		set("zoneId", id)
		set("nameServers", []any{"ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"})
		arn = "arn:aws:route53:::hostedzone/" + id
	case "aws:route53/healthCheck:HealthCheck":
		id = h + "-" + h[:4] + "-" + h[4:] + "-0000-" + h + h[:4]
	case "aws:route53/record:Record":
		id = str(in, "zoneId") + "_" + str(in, "name") + "_" + str(in, "type")
		if s := str(in, "setIdentifier"); s != "" {
			id += "_" + s
		}
		set("fqdn", str(in, "name"))
	case "aws:acm/certificate:Certificate":
		domain := str(in, "domainName")
		set("domainValidationOptions", []any{map[string]any{
			"domainName":          domain,
			"resourceRecordName":  "_" + h + "." + domain + ".",
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + short(domain) + ".acm-validations.aws.",
		}})
		set("status", "ISSUED")
		arn = fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s-0000-4000-8000-%s%s", region, Account, h, h, h[:4])
		id = arn
	case "aws:acm/certificateValidation:CertificateValidation":
		id = str(in, "certificateArn")
	case "aws:sqs/queue:Queue":
		id = fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, Account, pname)
		set("url", id)
		arn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, Account, pname)
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		arn = "arn:aws:s3:::" + pname
		set("bucket", pname)
		set("bucketDomainName", pname+".s3.amazonaws.com")
		set("bucketRegionalDomainName", fmt.Sprintf("%s.s3.%s.amazonaws.com", pname, region))
		set("region", region)
	case "aws:kms/key:Key":
		id = h + "-" + h[:4] + "-4" + h[1:4] + "-8" + h[1:4] + "-" + h + h[:4]
		set("keyId", id)
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, Account, id)
	case "aws:kms/alias:Alias":
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, Account, pname)
		set("targetKeyArn", fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, Account, str(in, "targetKeyId")))
	case "aws:ecr/repository:Repository":
		set("repositoryUrl", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, region, pname))
		set("registryId", Account)
		arn = fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", region, Account, pname)
	case "aws:ecs/cluster:Cluster":
		arn = fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, Account, pname)
		id = arn
	case "aws:ecs/service:Service":
		id = fmt.Sprintf("arn:aws:ecs:%s:%s:service/%s", region, Account, pname)
	case "aws:ecs/taskDefinition:TaskDefinition":
		set("revision", 1)
		arn = fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:1", region, Account, str(in, "family"))
		id = str(in, "family")
		set("arnWithoutRevision", fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s", region, Account, str(in, "family")))
	case "aws:iam/role:Role":
		arn = fmt.Sprintf("arn:aws:iam::%s:role/%s", Account, pname)
		set("name", pname)
		set("uniqueId", "AROA"+strings.ToUpper(h+h))
	case "aws:secretsmanager/secret:Secret":
		arn = fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", region, Account, pname, h[:6])
		id = arn
	case "aws:secretsmanager/secretVersion:SecretVersion":
		set("versionId", h+"-0000-4000-8000-"+h+h[:4])
	case "aws:sns/topic:Topic":
		arn = fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, Account, pname)
		id = arn
	case "aws:cloudwatch/logGroup:LogGroup":
		arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, Account, pname)
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		arn = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, Account, pname)
	case "aws:cloudwatch/dashboard:Dashboard":
		set("dashboardArn", fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s", Account, pname))
	}
	set("arn", arn)
	if _, ok := in["name"]; !ok && kind(typ) != "record" {
		set("name", pname)
	}
	set("tagsAll", tagsOf(in))
	return id, out
}

func tagsOf(in resource.PropertyMap) resource.PropertyMap {
	if v, ok := in["tags"]; ok && v.IsObject() {
		return v.ObjectValue()
	}
	return resource.PropertyMap{}
}

// invoke answers a data-source call with plausible values: enough for the program to build
// names, policies and zones. Unknown functions echo their arguments with an id.
func invoke(tok, region string, args resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range args {
		out[k] = v
	}
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	switch tok {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		set("accountId", Account)
		set("arn", "arn:aws:iam::"+Account+":user/agm-dr-operator")
		set("userId", "AIDA"+strings.ToUpper(short("user")+short("id")))
		set("id", Account)
	case "aws:index/getPartition:getPartition":
		set("partition", "aws")
		set("dnsSuffix", "amazonaws.com")
		set("reverseDnsPrefix", "com.amazonaws")
		set("id", "aws")
	case "aws:index/getRegion:getRegion":
		r := region
		if n := str(args, "name"); n != "" {
			r = n
		}
		set("name", r)
		set("region", r)
		set("endpoint", "ec2."+r+".amazonaws.com")
		set("description", r)
		set("id", r)
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		set("names", []any{region + "a", region + "c", region + "d"})
		set("zoneIds", []any{short(region)[:4] + "-az1", short(region)[:4] + "-az2", short(region)[:4] + "-az4"})
		set("id", region)
	case "aws:route53/getZone:getZone":
		id := str(args, "zoneId")
		if id == "" {
			id = "Z" + strings.ToUpper(short(str(args, "name")) + short("zone"))[:13]
		}
		set("zoneId", id)
		set("id", id)
		if str(args, "name") == "" {
			set("name", "agm.example.jp")
		}
		set("nameServers", []any{"ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk"})
	case "aws:secretsmanager/getSecretVersion:getSecretVersion":
		id := str(args, "secretId")
		set("arn", fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", region, Account, id, short(id)[:6]))
		set("secretString", "fake-"+short(id+"secret")+short(id))
		set("versionId", short(id)+"-0000-4000-8000-"+short(id+"v")+short(id)[:4])
		set("id", id)
	default:
		set("id", short(tok+region))
	}
	return out
}
