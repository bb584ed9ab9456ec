package config

import (
	"fmt"
	"slices"
	"strings"
)

// KeyClasses sets the Aurora instance class and the ElastiCache node type per profile:
//
//	agm-dr:classes:
//	  production: {dbInstanceClass: db.r6g.large, cacheNodeType: cache.r7g.large}
//	  dev: {cacheNodeType: cache.m7g.large}
//
// Both stacks read the one project-level value, so both regions run the same classes: a global
// datastore requires the same node type in every member (a secondary inherits it), and a
// switchover must not land on a smaller writer.
const KeyClasses = Namespace + ":classes"

// Classes are the data-tier instance sizes of one profile.
type Classes struct {
	DBInstanceClass string `json:"dbInstanceClass"` // provisioned Aurora class; "db.serverless" in dev
	CacheNodeType   string `json:"cacheNodeType"`
}

// ServerlessDBClass is Aurora Serverless v2's instance class (the dev profile).
const ServerlessDBClass = "db.serverless"

// DefaultClasses are the classes of each profile when agm-dr:classes does not set them.
var DefaultClasses = map[Profile]Classes{
	Production: {DBInstanceClass: "db.r6g.large", CacheNodeType: "cache.r7g.large"},
	Dev:        {DBInstanceClass: ServerlessDBClass, CacheNodeType: "cache.m7g.large"},
}

// The accepted classes, with sources. Sizes large..16xlarge of each family.
//   - Cache: current-generation Graviton families (ElastiCache API reference, CacheNode:
//     "M7g node types: cache.m7g.large ... 16xlarge", M6g, R7g, R6g likewise) that a global
//     datastore accepts (ElastiCache User Guide, Global Datastore prerequisites: M5, M6g, M7g,
//     R5, R6g, R6gd, R7g, C7gn, large or bigger; no burstable T nodes).
//   - Aurora: memory-optimised Graviton classes db.r6g and db.r7g (Aurora User Guide, "DB
//     instance class types" / "Supported DB engines for DB instance classes" for Aurora
//     PostgreSQL), or db.serverless (Serverless v2) in dev.
//
// Region availability in ap-northeast-3 is not in a static AWS table for Aurora: AWS documents
// `aws rds describe-orderable-db-instance-options --engine aurora-postgresql --db-instance-class
// <class> --region ap-northeast-3` (Aurora User Guide, "Determining DB instance class support in
// AWS Regions"); README's deploy section runs that check and the ElastiCache equivalent before
// the first up. Unverified here: this repository cannot call AWS.
var (
	classSizes        = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}
	CacheNodeTypes    = sized("cache.", []string{"m6g", "m7g", "r6g", "r7g"})
	DBInstanceClasses = sized("db.", []string{"r6g", "r7g"})
)

func sized(prefix string, families []string) []string {
	var out []string
	for _, f := range families {
		for _, s := range classSizes {
			out = append(out, prefix+f+"."+s)
		}
	}
	return out
}

// classes reads KeyClasses for the active profile (every profile given is validated).
func (p *parser) classes(key string, active Profile) Classes {
	byProfile := map[string]Classes{}
	if _, ok := p.raw[key]; ok && !p.object(key, &byProfile) {
		return DefaultClasses[active]
	}
	for name, c := range byProfile {
		prof := Profile(name)
		def, ok := DefaultClasses[prof]
		if !ok {
			p.failf(key, "unknown profile %q; allowed: %s, %s", name, Production, Dev)
			continue
		}
		if c.CacheNodeType != "" && !slices.Contains(CacheNodeTypes, c.CacheNodeType) {
			p.failf(key, "%s.cacheNodeType %q is not a node type a global datastore accepts; allowed: %s",
				name, c.CacheNodeType, strings.Join(CacheNodeTypes, ", "))
		}
		switch {
		case c.DBInstanceClass == "":
		case prof == Dev && c.DBInstanceClass != ServerlessDBClass:
			p.failf(key, "dev.dbInstanceClass %q: the dev profile runs Aurora Serverless v2 (%s)", c.DBInstanceClass, ServerlessDBClass)
		case prof == Production && !slices.Contains(DBInstanceClasses, c.DBInstanceClass):
			p.failf(key, "production.dbInstanceClass %q is not allowed; allowed: %s",
				c.DBInstanceClass, strings.Join(DBInstanceClasses, ", "))
		}
		if c.CacheNodeType == "" {
			c.CacheNodeType = def.CacheNodeType
		}
		if c.DBInstanceClass == "" {
			c.DBInstanceClass = def.DBInstanceClass
		}
		byProfile[name] = c
	}
	if c, ok := byProfile[string(active)]; ok {
		return c
	}
	return DefaultClasses[active]
}

// String is for messages.
func (c Classes) String() string { return fmt.Sprintf("%s / %s", c.DBInstanceClass, c.CacheNodeType) }
