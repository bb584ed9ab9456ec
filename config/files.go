package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ProjectOnly are the keys only Pulumi.yaml may set: a stack file that set primaryRegion would
// make the two stacks disagree on who holds the writer (each would claim it), and a homeRegion
// there would try to create the global resources a second time.
var ProjectOnly = []string{KeyPrimaryRegion, KeyHomeRegion}

// FileError is a problem in one of the project's YAML files, with the line and the key it is at,
// and how to fix it.
type FileError struct {
	File string // base name, e.g. Pulumi.osaka.yaml
	Line int    // 1-based; 0 when unknown
	Key  string // the key at (or just above) the line; "" when unknown
	Msg  string
	Fix  string
}

func (e *FileError) Error() string {
	at := e.File
	if e.Line > 0 {
		at += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Key != "" {
		at += fmt.Sprintf(" (key %s)", e.Key)
	}
	return fmt.Sprintf("%s: %s\n  fix: %s", at, e.Msg, e.Fix)
}

// CheckFiles reads the project's Pulumi.yaml and the stack files of both stacks in dir (a
// missing stack file is fine: the stack then has only project-level config) and refuses a YAML
// syntax error or a stack file that sets a ProjectOnly key. It reads local files only.
func CheckFiles(dir string) error {
	var errs []error
	if _, err := readYAML(filepath.Join(dir, "Pulumi.yaml")); err != nil {
		errs = append(errs, err)
	}
	for _, s := range Stacks() {
		path := filepath.Join(dir, "Pulumi."+s+".yaml")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := CheckStackFile(path); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// CheckStackFile refuses a stack file with a YAML syntax error or one that sets a ProjectOnly key
// (also written without the namespace), naming the file, the line and the key.
func CheckStackFile(path string) error {
	doc, err := readYAML(path)
	if err != nil {
		return err
	}
	if len(doc.Content) == 0 {
		return nil
	}
	cfg := MapValue(doc.Content[0], "config")
	if cfg == nil {
		return nil
	}
	var errs []error
	for i := 0; i+1 < len(cfg.Content); i += 2 {
		k := cfg.Content[i]
		for _, only := range ProjectOnly {
			if k.Value == only || k.Value == strings.TrimPrefix(only, Namespace+":") {
				errs = append(errs, &FileError{File: filepath.Base(path), Line: k.Line, Key: k.Value,
					Msg: fmt.Sprintf("%s is set in a stack file; it is set only in Pulumi.yaml, so both stacks always agree on it", only),
					Fix: fmt.Sprintf("delete that line from %s (to switch the primary, run `drctl switchover --to <region>`)", filepath.Base(path))})
			}
		}
	}
	return errors.Join(errs...)
}

// MapValue is the value node of key in the YAML mapping m, or nil.
func MapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// readYAML parses a YAML file; a syntax error names the file, its line and the key there.
func readYAML(path string) (*yaml.Node, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{File: filepath.Base(path), Msg: err.Error(), Fix: "run drctl in the agm-dr project (or pass --dir)"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		fe := &FileError{File: filepath.Base(path), Msg: "YAML syntax error: " + strings.TrimPrefix(err.Error(), "yaml: "),
			Fix: "correct the YAML at that line (indentation, a missing colon or closing quote); nothing was run"}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			fe.Line, _ = strconv.Atoi(m[1])
			fe.Key = keyAt(string(src), fe.Line)
			fe.Msg = "YAML syntax error: " + strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: "), m[0]+": ")
		}
		return nil, fe
	}
	return &doc, nil
}

var keyLine = regexp.MustCompile(`^\s*(?:-\s+)?([^\s#-][^#]*?):(?:\s|$)`)

// keyAt is the key on the given line, or on the nearest line above that holds one.
func keyAt(src string, line int) string {
	lines := strings.Split(src, "\n")
	if line > len(lines) {
		line = len(lines)
	}
	for i := line - 1; i >= 0; i-- {
		if m := keyLine.FindStringSubmatch(lines[i]); m != nil {
			return strings.Trim(m[1], `"'`)
		}
	}
	return ""
}
