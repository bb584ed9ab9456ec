package policy

import "strings"

// The access and engine logging rules: S3 server access logs and the Aurora cluster
// parameter group that logs slow statements and DDL.

func checkServerAccessLogs(b bucketView, rs []Resource) []string {
	if b.accessLog || isLogTarget(b, rs) {
		return nil // a log bucket is not itself logged: that would log its own log writes
	}
	var logs []Resource
	for _, l := range ofType(rs, TypeBucketLogging) {
		if loggingBucket(l, "bucket", rs) == b.Key() {
			logs = append(logs, l)
		}
	}
	if len(logs) == 0 {
		return []string{"no server access logging (BucketLoggingV2)"}
	}
	var out []string
	for _, l := range logs {
		target := loggingBucket(l, "targetBucket", rs)
		switch {
		case target == b.Key():
			out = append(out, "server access logs go to the bucket itself")
		case target != "" && isLogged(target, rs):
			out = append(out, "server access logs go to "+target+", which is itself logged")
		}
	}
	return out
}

// loggingBucket is the key of the bucket a BucketLoggingV2 input (bucket or targetBucket)
// names: by its literal name when known (the mock monitor records only the union of a
// resource's dependencies), else by dependency.
func loggingBucket(l Resource, prop string, rs []Resource) string {
	v, st := str(l.Inputs, prop)
	for _, b := range buckets(rs) {
		if (st == known && v != "" && v == b.name) || (st != known && l.dependsOnKey(prop, b.Key())) {
			return b.Key()
		}
	}
	return ""
}

// isLogTarget reports whether b receives another bucket's server access logs.
func isLogTarget(b bucketView, rs []Resource) bool {
	for _, l := range ofType(rs, TypeBucketLogging) {
		if loggingBucket(l, "targetBucket", rs) == b.Key() && loggingBucket(l, "bucket", rs) != b.Key() {
			return true
		}
	}
	return false
}

// isLogged reports whether the bucket with this key has server access logging itself.
func isLogged(key string, rs []Resource) bool {
	for _, l := range ofType(rs, TypeBucketLogging) {
		if loggingBucket(l, "bucket", rs) == key {
			return true
		}
	}
	return false
}

func checkClusterLogging(rs []Resource) []Violation {
	var out []Violation
	for _, c := range ofType(rs, TypeCluster) {
		if e, st := str(c.Inputs, "engine"); st == known && !strings.Contains(e, "postgresql") {
			continue
		}
		var groups []Resource
		name, st := str(c.Inputs, "dbClusterParameterGroupName")
		if st == unknown {
			continue
		}
		for _, g := range ofType(rs, TypeClusterParamGroup) {
			gname, _ := str(g.Inputs, "name")
			if c.refers("dbClusterParameterGroupName", g, gname) || (name != "" && name == gname) {
				groups = append(groups, g)
			}
		}
		if len(groups) == 0 {
			out = append(out, c.violation("AGM-RDS-008", "no cluster parameter group of this stack: the engine default logs neither slow queries nor DDL"))
			continue
		}
		for _, g := range groups {
			params := map[string]string{}
			ps, _ := list(g.Inputs, "parameters")
			for _, p := range ps {
				n, _ := str(p, "name")
				v, _ := str(p, "value")
				params[n] = v
			}
			if v, ok := params["log_min_duration_statement"]; !ok || v == "-1" || v == "" {
				out = append(out, c.violation("AGM-RDS-008", "parameter group %s does not set log_min_duration_statement: slow queries are not logged", g.Name))
			}
			if v := params["log_statement"]; v != "ddl" && v != "mod" && v != "all" {
				out = append(out, c.violation("AGM-RDS-008", "parameter group %s sets log_statement %q; want ddl (or mod, all)", g.Name, v))
			}
		}
	}
	return out
}
