package web

import (
	"fmt"
	"net/http"

	"github.com/atriumhq/atrium/core/pluginhost"
)

// Plugins is what the admin page needs of the plugin host.
type Plugins interface {
	List() []pluginhost.Status
	Enable(id string) error
	Disable(id string) error
}

// PluginList is the data of the admin plugins page.
type PluginList struct {
	Plugins []pluginhost.Status
}

// plugins shows admins every installed plugin with its state, version, the
// types it provides and its last error.
func (s *Server) plugins(w http.ResponseWriter, r *http.Request) {
	var data PluginList
	if s.Plugins != nil {
		data.Plugins = s.Plugins.List()
	}
	s.page(w, r, http.StatusOK, "admin-plugins", "Plugins", data)
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
			s.setFlash(w, r, "danger", fmt.Sprintf("%s did not start: %v", id, err))
		case enable:
			s.setFlash(w, r, "success", id+" is running.")
		default:
			s.setFlash(w, r, "success", id+" is disabled; its blocks show a placeholder until it is enabled.")
		}
		http.Redirect(w, r, "/admin/plugins", http.StatusSeeOther)
	}
}
