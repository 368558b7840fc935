package pluginhost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/sdk/settings"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// settingsFile holds an installed plugin's settings, next to its manifest;
// installing a new version keeps it.
const settingsFile = "settings.json"

// Settings returns the settings an admin set for plugin id in pluginsDir, as
// a JSON object ("{}" when none were set).
func Settings(pluginsDir, id string) (json.RawMessage, error) {
	dir := filepath.Join(pluginsDir, filepath.FromSlash(id))
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%w: %s", ErrNoPlugin, id)
		}
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if os.IsNotExist(err) {
		return json.RawMessage(`{}`), nil
	}
	if err != nil {
		return nil, fmt.Errorf("settings of %s: %w", id, err)
	}
	return b, nil
}

// SettingsError lists what is wrong with a plugin's settings, by path
// ("question", "cap"; "" for the settings as a whole).
type SettingsError = registry.ConfigError

// SettingsProblem is one thing wrong with a plugin's settings.
type SettingsProblem = registry.Problem

// SetSettings checks values against the settings schema in plugin id's
// manifest and stores them. A plugin without a schema takes no settings.
func SetSettings(pluginsDir, id string, values json.RawMessage) error {
	dir := filepath.Join(pluginsDir, filepath.FromSlash(id))
	man, err := ReadManifest(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return fmt.Errorf("%w: %s", ErrNoPlugin, id)
		}
		return err
	}
	canon, err := validateSettings(man, values)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, settingsFile+".new")
	if err := os.WriteFile(tmp, append(canon, '\n'), 0o644); err != nil {
		return fmt.Errorf("save settings of %s: %w", id, err)
	}
	return os.Rename(tmp, filepath.Join(dir, settingsFile))
}

func problem(path, msg string) error {
	return &SettingsError{Problems: []registry.Problem{{Path: path, Message: msg}}}
}

// refusal is a problem worded from the catalogue.
func refusal(path, id string, args ...any) error {
	t := fail.T(id, args...)
	return &SettingsError{Problems: []registry.Problem{{Path: path, Message: t.English(), Text: t}}}
}

// validateSettings checks values against the manifest's schema and returns
// them in canonical form.
func validateSettings(man Manifest, values json.RawMessage) (json.RawMessage, error) {
	values = bytes.TrimSpace(values)
	if len(values) == 0 {
		values = json.RawMessage(`{}`)
	}
	var obj map[string]any
	if err := json.Unmarshal(values, &obj); err != nil || obj == nil {
		return nil, refusal("", "invalid.staff.plugin.object")
	}
	if man.Settings == nil {
		if len(obj) > 0 {
			return nil, refusal("", "invalid.staff.plugin.no-settings", "ID", man.ID)
		}
		return json.RawMessage(`{}`), nil
	}
	schemaJSON, err := json.Marshal(man.Settings)
	if err != nil {
		return nil, fmt.Errorf("settings schema of %s: %w", man.ID, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("settings schema of %s: %w", man.ID, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	url := "atrium:///plugins/" + man.ID + "/settings.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("settings schema of %s: %w", man.ID, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("settings schema of %s does not compile: %w", man.ID, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(values))
	if err != nil {
		return nil, problem("", "settings are not valid JSON: "+err.Error())
	}
	if err := sch.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, &SettingsError{Problems: registry.SchemaProblems(ve)}
		}
		return nil, problem("", err.Error())
	}
	return registry.Canonical(values)
}

// Settings returns an installed plugin's settings.
func (m *Manager) Settings(id string) (json.RawMessage, error) { return Settings(m.opt.Dir, id) }

// SetSettings checks and stores an installed plugin's settings; the plugin
// reads them on its next host call.
func (m *Manager) SetSettings(id string, values json.RawMessage) error {
	if err := SetSettings(m.opt.Dir, id, values); err != nil {
		return err
	}
	m.opt.Log.Info("plugin settings changed", "plugin", id)
	return nil
}

// RegisterHost adds the host calls the plugin host itself answers (a
// plugin's settings) to f.
func (m *Manager) RegisterHost(f *host.Factory) {
	host.Handle(f, settings.Get, func(ctx context.Context, c host.Caller, _ settings.GetRequest) (settings.Values, error) {
		if _, ok := m.Plugin(c.Plugin); !ok {
			return settings.Values{Values: json.RawMessage(`{}`)}, nil // built-ins have none
		}
		v, err := m.Settings(c.Plugin)
		return settings.Values{Values: v}, err
	})
}
