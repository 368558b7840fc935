package pluginhost

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSettingsValidation(t *testing.T) {
	schema := map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
		"question": map[string]any{"type": "string", "maxLength": 10},
		"mdfCap":   map[string]any{"type": "integer", "minimum": 1},
	}}
	dir := t.TempDir()
	write := func(id string, settings map[string]any) {
		m := Manifest{ID: id, Name: "x", Version: "1.0.0", Host: ">=0.0.0", Protocols: []int{1}, Settings: settings,
			Executables: map[string]Executable{"linux/amd64": {Path: "x", SHA256: strings.Repeat("a", 64)}},
			Provides:    Provides{Blocks: []string{id}}}
		b, _ := json.Marshal(m) // JSON is YAML
		d := filepath.Join(dir, filepath.FromSlash(id))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, ManifestFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("acme/nps", schema)
	write("acme/plain", nil)
	for _, tt := range []struct {
		id, values string
		wantPaths  []string // problems expected at these paths; nil: saved
		wantErr    error
	}{
		{"acme/nps", `{"mdfCap": 5000}`, nil, nil},
		{"acme/nps", `{}`, nil, nil},
		{"acme/nps", ``, nil, nil},
		{"acme/nps", `{"mdfCap": 0, "question": "far too long a question"}`, []string{"mdfCap", "question"}, nil},
		{"acme/nps", `{"colour": "red"}`, []string{"colour"}, nil},
		{"acme/nps", `[1]`, []string{""}, nil},
		{"acme/nps", `{nope`, []string{""}, nil},
		{"acme/plain", `{"a": 1}`, []string{""}, nil},
		{"acme/plain", `{}`, nil, nil},
		{"acme/none", `{}`, nil, ErrNoPlugin},
	} {
		err := SetSettings(dir, tt.id, json.RawMessage(tt.values))
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s %s: %v, want %v", tt.id, tt.values, err, tt.wantErr)
			}
			continue
		}
		var se *SettingsError
		if tt.wantPaths == nil {
			if err != nil {
				t.Errorf("%s %s: %v", tt.id, tt.values, err)
			}
			continue
		}
		if !errors.As(err, &se) {
			t.Errorf("%s %s: %v, want problems at %q", tt.id, tt.values, err, tt.wantPaths)
			continue
		}
		var paths []string
		for _, p := range se.Problems {
			paths = append(paths, p.Path)
		}
		if strings.Join(paths, ",") != strings.Join(tt.wantPaths, ",") {
			t.Errorf("%s %s: problems %+v, want at %q", tt.id, tt.values, se.Problems, tt.wantPaths)
		}
	}
	// The last good value stays; a refused one changed nothing.
	SetSettings(dir, "acme/nps", json.RawMessage(`{"question":"Hi?","mdfCap":7}`))
	SetSettings(dir, "acme/nps", json.RawMessage(`{"mdfCap":-1}`))
	if v, err := Settings(dir, "acme/nps"); err != nil || string(v) != `{"mdfCap":7,"question":"Hi?"}`+"\n" {
		t.Errorf("stored settings = %s, %v", v, err)
	}
}
