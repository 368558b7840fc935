package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/pluginpack"
)

// Plugins is what the admin page needs of the plugin host.
type Plugins interface {
	List() []pluginhost.Status
	Enable(id string) error
	Disable(id string) error
	Plugin(id string) (*pluginhost.Plugin, bool)
	Settings(id string) (json.RawMessage, error)
	SetSettings(id string, values json.RawMessage) error
}

// PluginList is the data of the admin plugins page.
type PluginList struct {
	Plugins []pluginhost.Status
	// Keys are the trusted publisher keys; KeysShown is false when the
	// portal does not keep them (no plugins folder).
	Keys      []pluginpack.Key
	KeysShown bool
}

// plugins shows admins every installed plugin with its state, version, the
// types it provides, who signed it and its last error, and the publisher
// keys the portal trusts.
func (s *Server) plugins(w http.ResponseWriter, r *http.Request) {
	var data PluginList
	if s.Plugins != nil {
		data.Plugins = s.Plugins.List()
	}
	if s.PublisherKeys != nil {
		keys, err := s.PublisherKeys()
		if err != nil {
			s.fail(w, r, fmt.Errorf("trusted publisher keys: %w", err))
			return
		}
		data.Keys, data.KeysShown = keys, true
	}
	s.page(w, r, http.StatusOK, "admin-plugins", tr(r, "admin.plugins.title"), data)
}

// setPlugin switches a plugin on or off.
func (s *Server) setPlugin(enable bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Plugins == nil {
			s.notFound(w, r)
			return
		}
		id := r.PathValue("vendor") + "/" + r.PathValue("name")
		known := false
		for _, p := range s.Plugins.List() {
			known = known || p.ID == id
		}
		if !known {
			s.notFound(w, r)
			return
		}
		var err error
		if enable {
			err = s.Plugins.Enable(id)
		} else {
			err = s.Plugins.Disable(id)
		}
		switch {
		case err != nil:
			s.setFlash(w, r, "danger", tr(r, "admin.plugins.not-started", "ID", id, "Error", err.Error()))
		case enable:
			s.setFlash(w, r, "success", tr(r, "admin.plugins.running-now", "ID", id))
		default:
			s.setFlash(w, r, "success", tr(r, "admin.plugins.disabled-now", "ID", id))
		}
		http.Redirect(w, r, "/admin/plugins", http.StatusSeeOther)
	}
}

// PluginSettingsPage is the data of a plugin's settings page.
type PluginSettingsPage struct {
	ID, Name, Version string
	HasSchema         bool
	// Fields describe the schema's top-level properties, for the admin.
	Fields   []SettingField
	JSON     string
	Problems []pluginhost.SettingsProblem
}

// SettingField is one setting a plugin takes.
type SettingField struct {
	Key, Type, Title, Description string
}

// pluginSettings shows a plugin's settings as JSON with what each key means,
// and saves them after checking them against the manifest's schema.
func (s *Server) pluginSettings(w http.ResponseWriter, r *http.Request) {
	if s.Plugins == nil {
		s.notFound(w, r)
		return
	}
	id := r.PathValue("vendor") + "/" + r.PathValue("name")
	p, ok := s.Plugins.Plugin(id)
	if !ok {
		s.notFound(w, r)
		return
	}
	man := p.Manifest()
	data := PluginSettingsPage{ID: id, Name: man.Name, Version: man.Version, HasSchema: man.Settings != nil, Fields: settingFields(man.Settings)}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		raw := r.PostFormValue("settings")
		err := s.Plugins.SetSettings(id, json.RawMessage(raw))
		var se *pluginhost.SettingsError
		switch {
		case errors.As(err, &se):
			data.JSON, data.Problems, status = raw, slices.Clone(se.Problems), http.StatusUnprocessableEntity
			for i, p := range data.Problems {
				data.Problems[i].Message = p.In(loc(r))
			}
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			s.setFlash(w, r, "success", tr(r, "admin.plugins.settings-saved", "ID", id))
			http.Redirect(w, r, "/admin/plugins/"+id+"/settings", http.StatusSeeOther)
			return
		}
	} else {
		cur, err := s.Plugins.Settings(id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, cur, "", "  ") == nil {
			cur = pretty.Bytes()
		}
		data.JSON = string(cur)
	}
	s.page(w, r, status, "admin-plugin-settings", tr(r, "admin.plugins.settings-title", "Name", man.Name), data)
}

// settingFields lists a settings schema's top-level properties, by key.
func settingFields(schema map[string]any) []SettingField {
	props, _ := schema["properties"].(map[string]any)
	out := make([]SettingField, 0, len(props))
	for k, v := range props {
		m, _ := v.(map[string]any)
		str := func(key string) string { s, _ := m[key].(string); return s }
		out = append(out, SettingField{Key: k, Type: str("type"), Title: str("title"), Description: str("description")})
	}
	slices.SortFunc(out, func(a, b SettingField) int { return strings.Compare(a.Key, b.Key) })
	return out
}
