package fakeaws

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// LogEnv names the JSON-lines file every provider process appends its records to. Unset: the
// fake records nothing.
const LogEnv = "AGMDR_FAKE_AWS_LOG"

// Record is one call the engine made to the fake provider.
type Record struct {
	At      time.Time `json:"at"`
	Op      string    `json:"op"` // check, diff, create, update, delete, read, invoke, configure
	Type    string    `json:"type,omitempty"`
	URN     string    `json:"urn,omitempty"`
	ID      string    `json:"id,omitempty"`
	Region  string    `json:"region,omitempty"`  // the provider's configured region
	Preview bool      `json:"preview,omitempty"` // a dry run (preview, or the plan step of up)
	// Diff only: the changed top-level inputs, and those of them that force replacement.
	Changed  []string `json:"changed,omitempty"`
	Replaces []string `json:"replaces,omitempty"`
	Token    string   `json:"token,omitempty"` // invoke only
	PID      int      `json:"pid"`
}

// Stack is the stack of the record's resource, from its URN (urn:pulumi:<stack>::...).
func (r Record) Stack() string {
	rest, ok := strings.CutPrefix(r.URN, "urn:pulumi:")
	if !ok {
		return ""
	}
	s, _, _ := strings.Cut(rest, "::")
	return s
}

// Name is the resource's name, the last URN segment.
func (r Record) Name() string {
	i := strings.LastIndex(r.URN, "::")
	if i < 0 {
		return ""
	}
	return r.URN[i+2:]
}

// recorder appends records to the file named by LogEnv. Several provider processes (one per
// provider instance and stack) append to the same file: each record is one write of one line
// to a file opened O_APPEND, so lines never interleave.
type recorder struct {
	mu   sync.Mutex
	path string
}

func (r *recorder) add(rec Record) {
	if r == nil || r.path == "" {
		return
	}
	rec.At, rec.PID = time.Now().UTC(), os.Getpid()
	b, err := json.Marshal(rec)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f, err := os.OpenFile(r.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fake aws: recording to %s: %v\n", r.path, err)
		return
	}
	defer f.Close()
	_, _ = f.Write(append(b, '\n'))
}

// ReadRecords reads a records file; a missing file is no records.
func ReadRecords(path string) ([]Record, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("fake aws records %s: %w", path, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}
