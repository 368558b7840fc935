package api

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/pluginpack"
	"github.com/danielgtaylor/huma/v2"
)

// registerPlugins serves the installed plugins to admins: their state,
// version, types and last error, and switching them on and off.
func (a *API) registerPlugins() {
	for _, r := range []route{
		bind(op("list-plugins", http.MethodGet, "/api/v1/plugins", "Installed plugins with their state and last error", Admin, "Plugins"), a.listPlugins),
		bind(op("get-plugin", http.MethodGet, "/api/v1/plugins/{vendor}/{name}", "One installed plugin", Admin, "Plugins"), a.getPlugin),
		bind(created(op("install-plugin", http.MethodPost, "/api/v1/plugins/install", "Install (or upgrade) a plugin from a signed package (a file on the portal's machine or an https URL) or a folder; checks the signature first, pins the checksums and starts it", Admin, "Plugins")), a.installPlugin),
		bind(op("list-trusted-keys", http.MethodGet, "/api/v1/plugins/trusted-keys", "The publisher keys whose signed plugin packages the portal installs", Admin, "Plugins"), a.listTrustedKeys),
		bind(created(op("trust-key", http.MethodPost, "/api/v1/plugins/trusted-keys", "Trust a publisher's minisign public key (adding a trusted key again renames it)", Admin, "Plugins")), a.trustKey),
		bind(noContent(op("untrust-key", http.MethodDelete, "/api/v1/plugins/trusted-keys/{id}", "Stop trusting a publisher key; plugins installed from its packages stay installed", Admin, "Plugins")), a.untrustKey),
		bind(op("enable-plugin", http.MethodPost, "/api/v1/plugins/{vendor}/{name}/enable", "enable a plugin", Admin, "Plugins"), a.switchPlugin(a.Plugins.Enable)),
		bind(op("disable-plugin", http.MethodPost, "/api/v1/plugins/{vendor}/{name}/disable", "disable a plugin", Admin, "Plugins"), a.switchPlugin(a.Plugins.Disable)),
		bind(op("get-plugin-settings", http.MethodGet, "/api/v1/plugins/{vendor}/{name}/settings", "A plugin's settings, as a JSON object", Admin, "Plugins"), a.getPluginSettings),
		bind(op("set-plugin-settings", http.MethodPut, "/api/v1/plugins/{vendor}/{name}/settings", "Replace a plugin's settings; checked against the settings schema in its manifest", Admin, "Plugins"), a.setPluginSettings),
	} {
		r(a.huma)
	}
}

type pluginID struct {
	Vendor string `path:"vendor" doc:"The plugin id's vendor part (acme in acme/nps)"`
	Name   string `path:"name" doc:"The plugin id's name part (nps in acme/nps)"`
}

func (p pluginID) id() string { return p.Vendor + "/" + p.Name }

type installRequest struct {
	Path string `json:"path,omitempty" doc:"A package file (atrium plugins pack) on the portal's machine, with its signature beside it, or a folder holding plugin.yaml and the executables it names (installed as unsigned)"`
	URL  string `json:"url,omitempty" format:"uri" doc:"The https URL of a package; its signature is fetched from the same URL with .minisig added"`
	// AllowUnsigned is the admin's word that a package nobody trusted
	// signed may run.
	AllowUnsigned bool `json:"allowUnsigned,omitempty" doc:"Install a package that is unsigned or signed by a key the portal does not trust; it is shown as such. A signature that does not match is refused regardless."`
}

func errString(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

type pluginBody struct {
	Body pluginhost.Status
}

func (a *API) listPlugins(ctx context.Context, _ *struct{}) (*body[[]pluginhost.Status], error) {
	return &body[[]pluginhost.Status]{a.Plugins.List()}, nil
}

func (a *API) getPlugin(ctx context.Context, in *pluginID) (*pluginBody, error) {
	p, ok := a.Plugins.Plugin(in.id())
	if !ok {
		return nil, huma.Error404NotFound("No plugin " + in.id() + " is installed.")
	}
	return &pluginBody{p.Status()}, nil
}

// switchPlugin is the handler that enables or disables a plugin with fn.
func (a *API) switchPlugin(fn func(string) error) func(context.Context, *pluginID) (*pluginBody, error) {
	return func(ctx context.Context, in *pluginID) (*pluginBody, error) {
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
	}
}

type installInput struct{ Body installRequest }

func (a *API) installPlugin(ctx context.Context, in *installInput) (*pluginBody, error) {
	src := in.Body.Path
	switch {
	case (src == "") == (in.Body.URL == ""):
		return nil, huma.Error422UnprocessableEntity("Give either a path or a URL to install from.")
	case src == "":
		src = in.Body.URL
	case pluginpack.IsURL(src):
		return nil, huma.Error422UnprocessableEntity("A URL goes in url, not path.")
	}
	var m pluginhost.Manifest
	var err error
	if st, statErr := os.Stat(src); statErr == nil && st.IsDir() {
		m, err = a.Plugins.Install(src)
	} else {
		keys, kerr := pluginpack.Keys(a.Plugins.Dir())
		if kerr != nil {
			return nil, kerr
		}
		m, _, err = pluginpack.Install(ctx, src, pluginpack.Options{Keys: keys, AllowUnsigned: in.Body.AllowUnsigned}, a.Plugins.InstallFrom)
	}
	if m.ID == "" || errors.Is(err, fs.ErrNotExist) {
		return nil, huma.Error422UnprocessableEntity("Cannot install from " + redactSource(src) + ": " + errString(err))
	}
	p, ok := a.Plugins.Plugin(m.ID)
	if !ok {
		return nil, huma.Error422UnprocessableEntity(errString(err))
	}
	if err != nil {
		return nil, huma.Error422UnprocessableEntity("Installed, but it did not start: " + err.Error())
	}
	return &pluginBody{p.Status()}, nil
}

// redactSource is an install source as it may be shown: a URL without its
// credentials and query.
func redactSource(src string) string {
	if !pluginpack.IsURL(src) {
		return src
	}
	u, err := url.Parse(src)
	if err != nil {
		return "the URL"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

func (a *API) listTrustedKeys(ctx context.Context, _ *struct{}) (*body[[]pluginpack.Key], error) {
	keys, err := pluginpack.Keys(a.Plugins.Dir())
	if err != nil {
		return nil, err
	}
	if keys == nil {
		keys = []pluginpack.Key{}
	}
	return &body[[]pluginpack.Key]{keys}, nil
}

type trustKeyInput struct {
	Body struct {
		Name      string `json:"name" minLength:"1" maxLength:"100" doc:"Whose key it is, as the plugins page shows it"`
		PublicKey string `json:"publicKey" minLength:"1" maxLength:"1000" doc:"The minisign public key: a .pub file's contents or its base64 line"`
	}
}

func (a *API) trustKey(ctx context.Context, in *trustKeyInput) (*body[pluginpack.Key], error) {
	k, err := pluginpack.Trust(a.Plugins.Dir(), in.Body.Name, in.Body.PublicKey)
	if err != nil {
		return nil, huma.Error422UnprocessableEntity("The key was not added: "+err.Error(), &huma.ErrorDetail{Location: "body.publicKey", Message: err.Error()})
	}
	return &body[pluginpack.Key]{k}, nil
}

type keyID struct {
	ID string `path:"id" doc:"The key's minisign id (16 hex digits)"`
}

func (a *API) untrustKey(ctx context.Context, in *keyID) (*struct{}, error) {
	keys, err := pluginpack.Keys(a.Plugins.Dir())
	if err != nil {
		return nil, err
	}
	// By id only: a name is the admin's words and may change.
	if !slices.ContainsFunc(keys, func(k pluginpack.Key) bool { return strings.EqualFold(k.ID, in.ID) }) {
		return nil, huma.Error404NotFound("No trusted key " + in.ID + ".")
	}
	if _, err := pluginpack.Untrust(a.Plugins.Dir(), in.ID); err != nil {
		return nil, err
	}
	return nil, nil
}

func (a *API) getPluginSettings(ctx context.Context, in *pluginID) (*settingsBody, error) {
	v, err := a.Plugins.Settings(in.id())
	if errors.Is(err, pluginhost.ErrNoPlugin) {
		return nil, huma.Error404NotFound("No plugin " + in.id() + " is installed.")
	}
	if err != nil {
		return nil, err
	}
	return &settingsBody{Body: v}, nil
}

type pluginSettingsInput struct {
	Vendor string `path:"vendor" doc:"The plugin id's vendor part (acme in acme/nps)"`
	Name   string `path:"name" doc:"The plugin id's name part (nps in acme/nps)"`
	Body   json.RawMessage
}

func (a *API) setPluginSettings(ctx context.Context, in *pluginSettingsInput) (*settingsBody, error) {
	id := pluginID{Vendor: in.Vendor, Name: in.Name}.id()
	err := a.Plugins.SetSettings(id, in.Body)
	var se *pluginhost.SettingsError
	switch {
	case errors.Is(err, pluginhost.ErrNoPlugin):
		return nil, huma.Error404NotFound("No plugin " + id + " is installed.")
	case errors.As(err, &se):
		details := make([]error, 0, len(se.Problems))
		for _, p := range se.Problems {
			loc := "body"
			if p.Path != "" {
				loc += "." + p.Path
			}
			details = append(details, &huma.ErrorDetail{Location: loc, Message: p.Message})
		}
		return nil, huma.Error422UnprocessableEntity("The settings are not valid; nothing was changed.", details...)
	case err != nil:
		return nil, err
	}
	v, err := a.Plugins.Settings(id)
	if err != nil {
		return nil, err
	}
	return &settingsBody{Body: v}, nil
}

type settingsBody struct {
	Body json.RawMessage
}
