package stacks

import "github.com/agm-dr/agm-dr/config"

// sizing is what the profile decides. Nothing here depends on primaryRegion: data resources are
// sized the same in both regions so a switchover never has to resize them.
type sizing struct {
	serverlessDB     bool
	dbInstanceClass  string
	dbInstances      int
	backupDays       int
	cacheNodeType    string
	cacheNodes       int
	singleNat        bool
	taskCPU          int
	taskMemory       int
	logRetentionDays int
	dbMonitoring     bool // RDS enhanced monitoring and Performance Insights
}

// with applies the configured classes (agm-dr:classes, validated in config). Serverless v2
// keeps its own class.
func (s sizing) with(c config.Classes) sizing {
	if c.CacheNodeType != "" {
		s.cacheNodeType = c.CacheNodeType
	}
	if !s.serverlessDB && c.DBInstanceClass != "" {
		s.dbInstanceClass = c.DBInstanceClass
	}
	return s
}

func sizingFor(p config.Profile) sizing {
	if p == config.Dev {
		// Drills should not cost production money: Serverless v2 at minimum capacity, one NAT,
		// the smallest cache node type a global datastore accepts.
		return sizing{
			serverlessDB: true, dbInstances: 1, backupDays: 7,
			cacheNodeType: "cache.m7g.large", cacheNodes: 2,
			singleNat: true, taskCPU: 256, taskMemory: 512, logRetentionDays: 30,
		}
	}
	return sizing{
		dbInstanceClass: "db.r6g.large", dbInstances: 2, backupDays: 14,
		cacheNodeType: "cache.r7g.large", cacheNodes: 2,
		taskCPU: 1024, taskMemory: 2048, logRetentionDays: 365,
		dbMonitoring: true,
	}
}
