package capture

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"
)

// ProjectConfig reads the config a `pulumi up -s stack` in dir would pass to the program:
// Pulumi.yaml's project-level values overlaid by Pulumi.<stack>.yaml. Objects become JSON, as
// the engine passes them. Encrypted values are refused: the offline runs have no key for them.
func ProjectConfig(dir, stack string) (map[string]string, error) {
	project, err := readConfigBlock(filepath.Join(dir, "Pulumi.yaml"), true)
	if err != nil {
		return nil, err
	}
	stackCfg, err := readConfigBlock(filepath.Join(dir, "Pulumi."+stack+".yaml"), false)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, m := range []map[string]any{project, stackCfg} {
		for k, v := range m {
			s, err := configString(v)
			if err != nil {
				return nil, fmt.Errorf("capture: %s: %w", k, err)
			}
			out[k] = s
		}
	}
	return out, nil
}

// StackKeys lists the keys a stack file sets, to check it does not override project-level ones.
func StackKeys(dir, stack string) ([]string, error) {
	m, err := readConfigBlock(filepath.Join(dir, "Pulumi."+stack+".yaml"), false)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// readConfigBlock reads the `config:` block of a Pulumi.yaml (project: entries are
// {value|default: ...}) or of a stack file (plain values).
func readConfigBlock(path string, project bool) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	var doc struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("capture: %s: %w", path, err)
	}
	out := map[string]any{}
	for k, v := range doc.Config {
		if m, ok := v.(map[string]any); ok && project {
			if val, ok := m["value"]; ok {
				out[k] = val
			} else if def, ok := m["default"]; ok {
				out[k] = def
			}
			continue
		}
		out[k] = v
	}
	return out, nil
}

func configString(v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case nil:
		return "", nil
	case map[string]any:
		if _, secure := t["secure"]; secure && len(t) == 1 {
			return "", fmt.Errorf("encrypted values cannot be read offline; let AWS or the program generate secrets")
		}
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String(), nil
	}
	switch v.(type) {
	case bool, int, float64:
		return fmt.Sprint(v), nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}
