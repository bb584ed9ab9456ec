package fakeaws

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// ElastiCache is a fake of the few ElastiCache query-API actions the program's resources and
// the switchover engine use, because ministack does not serve global datastores: creating a
// replication group (optionally joining a global datastore) with what a team sets on it,
// describing it and its member clusters, creating a global datastore, describing it and failing
// it over. Point AWS_ENDPOINT_URL_ELASTICACHE at it. It records every
// call with the region the request was signed for, and a region can be marked down (it then
// answers 503, as an unreachable regional endpoint would fail).
type ElastiCache struct {
	mu     sync.Mutex
	groups map[string]*cacheGroup // replication group id → what it was created with
	global map[string]*datastore  // global datastore id → datastore
	down   map[string]bool        // regions whose endpoint fails
	calls  []ElastiCacheCall
}

// ElastiCacheCall is one request the fake received.
type ElastiCacheCall struct {
	Action, Region string
}

type datastore struct {
	id      string
	engine  string   // the primary's engine at creation: every member reports it
	primary string   // replication group id of the primary
	members []string // replication group ids, primary first
}

// NewElastiCache returns an empty fake; serve it with httptest.NewServer or http.Server.
func NewElastiCache() *ElastiCache {
	return &ElastiCache{groups: map[string]*cacheGroup{}, global: map[string]*datastore{}, down: map[string]bool{}}
}

// SetDown makes every request signed for region fail (true) or succeed again (false).
func (e *ElastiCache) SetDown(region string, down bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.down[region] = down
}

// Calls returns the requests received so far.
func (e *ElastiCache) Calls() []ElastiCacheCall {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ElastiCacheCall(nil), e.calls...)
}

// PrimaryRegion is the region of the global datastore's primary member ("" if unknown).
func (e *ElastiCache) PrimaryRegion(id string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if d, ok := e.global[id]; ok {
		return e.groups[d.primary].region
	}
	return ""
}

var signedRegion = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([a-z0-9-]+)/`)

func (e *ElastiCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	action := r.Form.Get("Action")
	region := ""
	if m := signedRegion.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region = m[1]
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = append(e.calls, ElastiCacheCall{Action: action, Region: region})
	if e.down[region] {
		writeError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "region "+region+" is down")
		return
	}
	switch action {
	case "CreateReplicationGroup":
		id := r.Form.Get("ReplicationGroupId")
		if g := r.Form.Get("GlobalReplicationGroupId"); g != "" {
			d, ok := e.global[g]
			if !ok {
				writeError(w, http.StatusNotFound, "GlobalReplicationGroupNotFoundFault", "global replication group "+g+" not found")
				return
			}
			d.members = append(d.members, id)
		}
		e.groups[id] = newCacheGroup(region, r.Form)
		writeResult(w, action, fmt.Sprintf("<ReplicationGroup><ReplicationGroupId>%s</ReplicationGroupId><Status>available</Status></ReplicationGroup>", esc(id)))
	case "CreateGlobalReplicationGroup":
		primary := r.Form.Get("PrimaryReplicationGroupId")
		if _, ok := e.groups[primary]; !ok {
			writeError(w, http.StatusNotFound, "ReplicationGroupNotFoundFault", "replication group "+primary+" not found")
			return
		}
		id := GlobalDatastoreID(region, r.Form.Get("GlobalReplicationGroupIdSuffix"))
		e.global[id] = &datastore{id: id, engine: e.groups[primary].engine, primary: primary, members: []string{primary}}
		writeResult(w, action, e.describe(e.global[id]))
	case "DescribeReplicationGroups":
		id := r.Form.Get("ReplicationGroupId")
		if _, ok := e.groups[id]; !ok {
			writeError(w, http.StatusNotFound, "ReplicationGroupNotFoundFault", "replication group "+id+" not found")
			return
		}
		writeResult(w, action, "<ReplicationGroups>"+e.describeGroup(id)+"</ReplicationGroups>")
	case "DescribeCacheClusters":
		body, ok := e.describeCacheCluster(r.Form.Get("CacheClusterId"))
		if !ok {
			writeError(w, http.StatusNotFound, "CacheClusterNotFound", "cache cluster "+r.Form.Get("CacheClusterId")+" not found")
			return
		}
		writeResult(w, action, "<CacheClusters>"+body+"</CacheClusters>")
	case "DescribeGlobalReplicationGroups":
		id := r.Form.Get("GlobalReplicationGroupId")
		var ids []string
		if id != "" {
			if _, ok := e.global[id]; !ok {
				writeError(w, http.StatusNotFound, "GlobalReplicationGroupNotFoundFault", "global replication group "+id+" not found")
				return
			}
			ids = []string{id}
		} else {
			for k := range e.global {
				ids = append(ids, k)
			}
			sort.Strings(ids)
		}
		body := "<GlobalReplicationGroups>"
		for _, id := range ids {
			body += e.describe(e.global[id])
		}
		writeResult(w, action, body+"</GlobalReplicationGroups>")
	case "FailoverGlobalReplicationGroup":
		id := r.Form.Get("GlobalReplicationGroupId")
		d, ok := e.global[id]
		if !ok {
			writeError(w, http.StatusNotFound, "GlobalReplicationGroupNotFoundFault", "global replication group "+id+" not found")
			return
		}
		target := r.Form.Get("PrimaryReplicationGroupId")
		if g, ok := e.groups[target]; !ok || g.region != r.Form.Get("PrimaryRegion") || !contains(d.members, target) {
			writeError(w, http.StatusBadRequest, "InvalidParameterValue", "replication group "+target+" is not a member in "+r.Form.Get("PrimaryRegion"))
			return
		}
		d.primary = target
		writeResult(w, action, e.describe(d))
	default:
		writeError(w, http.StatusBadRequest, "InvalidAction", "the ElastiCache fake does not serve "+action)
	}
}

func (e *ElastiCache) describe(d *datastore) string {
	s := fmt.Sprintf("<GlobalReplicationGroup><GlobalReplicationGroupId>%s</GlobalReplicationGroupId><Status>available</Status><Members>", esc(d.id))
	for _, m := range d.members {
		role := "SECONDARY"
		if m == d.primary {
			role = "PRIMARY"
		}
		s += fmt.Sprintf("<GlobalReplicationGroupMember><ReplicationGroupId>%s</ReplicationGroupId><ReplicationGroupRegion>%s</ReplicationGroupRegion><Role>%s</Role><Status>associated</Status></GlobalReplicationGroupMember>",
			esc(m), esc(e.groups[m].region), role)
	}
	return s + "</Members></GlobalReplicationGroup>"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

const ns = "http://elasticache.amazonaws.com/doc/2015-02-02/"

func writeResult(w http.ResponseWriter, action, inner string) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></%sResponse>`,
		action, ns, action, inner, action, action)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
		ns, code, esc(msg))
}
