package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/danielgtaylor/huma/v2"
)

type pluginID struct {
	Vendor string `path:"vendor" doc:"The plugin id's vendor part (acme in acme/nps)"`
	Name   string `path:"name" doc:"The plugin id's name part (nps in acme/nps)"`
}

func (p pluginID) id() string { return p.Vendor + "/" + p.Name }

type pluginBody struct {
	Body pluginhost.Status
}

// registerPlugins serves the installed plugins to admins: their state,
// version, types and last error, and switching them on and off.
func (a *API) registerPlugins() {
	huma.Register(a.huma, op("list-plugins", http.MethodGet, "/api/v1/plugins", "Installed plugins with their state and last error", Admin, "Plugins"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body []pluginhost.Status }, error) {
			return &struct{ Body []pluginhost.Status }{a.Plugins.List()}, nil
		})
	huma.Register(a.huma, op("get-plugin", http.MethodGet, "/api/v1/plugins/{vendor}/{name}", "One installed plugin", Admin, "Plugins"),
		func(ctx context.Context, in *pluginID) (*pluginBody, error) {
			p, ok := a.Plugins.Plugin(in.id())
			if !ok {
				return nil, huma.Error404NotFound("No plugin " + in.id() + " is installed.")
			}
			return &pluginBody{p.Status()}, nil
		})
	toggle := func(verb string, fn func(string) error) {
		huma.Register(a.huma, op(verb+"-plugin", http.MethodPost, "/api/v1/plugins/{vendor}/{name}/"+verb, verb+" a plugin", Admin, "Plugins"),
			func(ctx context.Context, in *pluginID) (*pluginBody, error) {
				err := fn(in.id())
				if errors.Is(err, pluginhost.ErrNoPlugin) {
					return nil, huma.Error404NotFound("No plugin " + in.id() + " is installed.")
				}
				p, ok := a.Plugins.Plugin(in.id())
				if !ok {
					return nil, huma.Error404NotFound("No plugin " + in.id() + " is installed.")
				}
				if err != nil {
					// The plugin could not start: say why, with its state.
					return nil, huma.Error422UnprocessableEntity(err.Error())
				}
				return &pluginBody{p.Status()}, nil
			})
	}
	toggle("enable", a.Plugins.Enable)
	toggle("disable", a.Plugins.Disable)
}
