package runbook

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/agm-dr/agm-dr/config"
)

// ProjectFile is the Project kept in Pulumi.yaml, where primaryRegion is set once for both
// stacks. Edits replace only the bytes of the value, so comments, order and formatting stay.
type ProjectFile struct {
	Path string // Pulumi.yaml
}

// NewProjectFile is the Pulumi.yaml in dir.
func NewProjectFile(dir string) ProjectFile {
	return ProjectFile{Path: filepath.Join(dir, "Pulumi.yaml")}
}

// Primary implements Project.
func (p ProjectFile) Primary(context.Context) (string, error) {
	_, doc, err := p.read()
	if err != nil {
		return "", err
	}
	n, err := find(doc, config.KeyPrimaryRegion)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p.Path, err)
	}
	return n.Value, nil
}

// SetPrimary implements Project: it sets agm-dr:primaryRegion to region and the mode inside
// agm-dr:switchover. Writing is atomic (temp file and rename); an unchanged file is not written.
func (p ProjectFile) SetPrimary(_ context.Context, region string, mode config.Mode) (bool, error) {
	src, doc, err := p.read()
	if err != nil {
		return false, err
	}
	n, err := find(doc, config.KeyPrimaryRegion)
	if err != nil {
		return false, fmt.Errorf("%s: %w", p.Path, err)
	}
	edits := []edit{{n, region}}
	if m, err := find(doc, config.KeySwitchover, "mode"); err == nil {
		edits = append(edits, edit{m, string(mode)})
	} else if mode != config.Planned {
		return false, fmt.Errorf("%s: %w; add `mode: planned` under %s's value so drctl can set the mode", p.Path, err, config.KeySwitchover)
	}
	out, changed, err := apply(src, edits)
	if err != nil || !changed {
		return false, err
	}
	if err := writeAtomic(p.Path, out); err != nil {
		return false, err
	}
	return true, nil
}

func (p ProjectFile) read() ([]byte, *yaml.Node, error) {
	src, err := os.ReadFile(p.Path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the project file: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	return src, &doc, nil
}

// find returns the scalar that holds a project config value: config.<key>.value (or .default,
// or the short form config.<key>: scalar), then the sub-keys inside it.
func find(doc *yaml.Node, key string, sub ...string) (*yaml.Node, error) {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	cfg := config.MapValue(doc.Content[0], "config")
	if cfg == nil {
		return nil, fmt.Errorf("no config: block")
	}
	n := config.MapValue(cfg, key)
	if n == nil {
		return nil, fmt.Errorf("no %s under config:", key)
	}
	if n.Kind == yaml.MappingNode {
		if v := config.MapValue(n, "value"); v != nil {
			n = v
		} else if v := config.MapValue(n, "default"); v != nil {
			n = v
		} else {
			return nil, fmt.Errorf("%s has neither value: nor default:", key)
		}
	}
	path := key
	for _, s := range sub {
		path += "." + s
		if n = config.MapValue(n, s); n == nil {
			return nil, fmt.Errorf("no %s", path)
		}
	}
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%s is not a single value", path)
	}
	return n, nil
}

type edit struct {
	node  *yaml.Node
	value string
}

// apply replaces each edited scalar's bytes in src, keeping its quoting style.
func apply(src []byte, edits []edit) ([]byte, bool, error) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	changed := false
	for _, e := range edits {
		if e.node.Value == e.value {
			continue
		}
		if e.node.Line < 1 || e.node.Line > len(lines) {
			return nil, false, fmt.Errorf("value %q: position out of range", e.node.Value)
		}
		line := string(lines[e.node.Line-1])
		col := runeOffset(line, e.node.Column-1)
		n, err := rawLen(line[col:], e.node)
		if err != nil {
			return nil, false, err
		}
		lines[e.node.Line-1] = []byte(line[:col] + quote(e.value, e.node.Style) + line[col+n:])
		changed = true
	}
	return bytes.Join(lines, nil), changed, nil
}

// rawLen is how many bytes the scalar takes at the start of s.
func rawLen(s string, n *yaml.Node) (int, error) {
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := s[0]
		for i := 1; i < len(s); i++ {
			if q == '"' && s[i] == '\\' {
				i++
				continue
			}
			if s[i] == q {
				if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
	case 0, yaml.TaggedStyle:
		if strings.HasPrefix(s, n.Value) {
			return len(n.Value), nil
		}
	}
	return 0, fmt.Errorf("value %q is written in a style drctl does not edit; write it plain or quoted on one line", n.Value)
}

func quote(v string, style yaml.Style) string {
	switch style {
	case yaml.DoubleQuotedStyle:
		return `"` + v + `"`
	case yaml.SingleQuotedStyle:
		return "'" + v + "'"
	}
	return v
}

// runeOffset converts a 0-based column in runes (as yaml.v3 counts) to a byte offset.
func runeOffset(line string, col int) int {
	i := 0
	for off := range line {
		if i == col {
			return off
		}
		i++
	}
	return len(line)
}

func writeAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".Pulumi.yaml.*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
