// Package host implements the SDK's host API for block and room types. Every
// call acts as the viewer the Host was made for, so a block can never read
// more than that viewer may. Capabilities register their calls here as typed
// [sdk.Method] values; built-ins reach them in-process, and external plugins
// reach the very same handlers over gRPC through [Factory.Dispatch].
package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/sdk"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
)

// Caller is who makes a host call: the viewer, and for an external plugin its
// id and the permissions its manifest was granted.
type Caller struct {
	Viewer sdk.Viewer
	// Plugin is the calling plugin's id; built-in blocks and rooms run as
	// "atrium".
	Plugin string
	// Permissions granted to the plugin. Built-ins have them all.
	Permissions []string
	all         bool
}

// Allowed reports whether the caller may use a call that needs perm.
func (c Caller) Allowed(perm string) bool {
	return perm == "" || c.all || slices.Contains(c.Permissions, perm)
}

type handler struct {
	permission string
	// typed runs the call without encoding when the caller passed the
	// method's own types; ok is false when it did not.
	typed func(ctx context.Context, c Caller, req, resp any) (ok bool, err error)
	raw   func(ctx context.Context, c Caller, req []byte) ([]byte, error)
}

// Factory makes a Host per viewer and holds the registered calls.
type Factory struct {
	catalog *catalog.Catalog

	mu    sync.RWMutex
	calls map[string]handler
}

// New returns a Factory.
func New(c *catalog.Catalog) *Factory {
	return &Factory{catalog: c, calls: map[string]handler{}}
}

// Handle registers fn as the implementation of m. It panics on a duplicate
// name: two capabilities claiming one method is a wiring bug. A portal
// error fn returns reaches the plugin as the SDK's error, worded in the
// viewer's language ([ToSDK]).
func Handle[Req, Resp any](f *Factory, m sdk.Method[Req, Resp], fn func(ctx context.Context, c Caller, req Req) (Resp, error)) {
	inner := fn
	fn = func(ctx context.Context, c Caller, req Req) (Resp, error) {
		out, err := inner(ctx, c, req)
		return out, ToSDK(err, i18n.Locale(c.Viewer.Locale))
	}
	h := handler{
		permission: m.Permission,
		typed: func(ctx context.Context, c Caller, req, resp any) (bool, error) {
			in, ok := req.(Req)
			if !ok {
				if p, isPtr := req.(*Req); isPtr && p != nil {
					in, ok = *p, true
				}
			}
			out, ok2 := resp.(*Resp)
			if !ok || (!ok2 && resp != nil) {
				return false, nil
			}
			got, err := fn(ctx, c, in)
			if err == nil && out != nil {
				*out = got
			}
			return true, err
		},
		raw: func(ctx context.Context, c Caller, req []byte) ([]byte, error) {
			var in Req
			if len(req) > 0 {
				if err := json.Unmarshal(req, &in); err != nil {
					return nil, sdk.InvalidInput(fmt.Sprintf("%s: malformed request: %v", m.Name, err), nil)
				}
			}
			out, err := fn(ctx, c, in)
			if err != nil {
				return nil, err
			}
			return json.Marshal(out)
		},
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, dup := f.calls[m.Name]; dup {
		panic("host: method registered twice: " + m.Name)
	}
	f.calls[m.Name] = h
}

// Methods lists the registered method names with the permission each needs,
// for the plugin author guide and the admin page.
func (f *Factory) Methods() map[string]string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	out := make(map[string]string, len(f.calls))
	for name, h := range f.calls {
		out[name] = h.permission
	}
	return out
}

// MethodNames is Methods' keys in order.
func (f *Factory) MethodNames() []string {
	m := f.Methods()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (f *Factory) lookup(c Caller, method string) (handler, error) {
	f.mu.RLock()
	h, ok := f.calls[method]
	f.mu.RUnlock()
	if !ok {
		return handler{}, &sdk.CallError{Code: sdk.CodeUnknownMethod, Message: "unknown host method " + method}
	}
	if !c.Allowed(h.permission) {
		return handler{}, &sdk.CallError{Code: sdk.CodePermission,
			Message: fmt.Sprintf("%s needs the %q permission, which plugin %s did not ask for", method, h.permission, c.Plugin)}
	}
	return h, nil
}

// Dispatch runs method for c with a JSON request and returns the JSON answer:
// the entry point for calls arriving from an external plugin.
func (f *Factory) Dispatch(ctx context.Context, c Caller, method string, req []byte) ([]byte, error) {
	h, err := f.lookup(c, method)
	if err != nil {
		return nil, err
	}
	return h.raw(ctx, c, req)
}

// For returns the host API for built-in blocks and rooms acting as v.
func (f *Factory) For(v sdk.Viewer) sdk.Host {
	return &viewerHost{f: f, c: Caller{Viewer: v, Plugin: "atrium", all: true}}
}

// ForPlugin returns the host API for an external plugin acting as v, limited
// to the permissions its manifest asked for.
func (f *Factory) ForPlugin(v sdk.Viewer, plugin string, permissions []string) sdk.Host {
	return &viewerHost{f: f, c: Caller{Viewer: v, Plugin: plugin, Permissions: permissions}}
}

// CallerFor returns the Caller a plugin's calls run as; the gRPC host server
// uses it with Dispatch.
func CallerFor(v sdk.Viewer, plugin string, permissions []string) Caller {
	return Caller{Viewer: v, Plugin: plugin, Permissions: permissions}
}

type viewerHost struct {
	f *Factory
	c Caller
}

// Program returns the program's vocabulary, from the in-memory catalog.
func (h *viewerHost) Program(context.Context) (sdk.Program, error) {
	return h.f.catalog.Current().Program.SDK(), nil
}

// Call runs a registered method. Built-ins passing the method's own types
// skip encoding; anything else goes through JSON exactly as a plugin's call
// would, so both paths see the same validation.
func (h *viewerHost) Call(ctx context.Context, method string, req, resp any) error {
	hd, err := h.f.lookup(h.c, method)
	if err != nil {
		return err
	}
	if ok, err := hd.typed(ctx, h.c, req, resp); ok {
		return err
	}
	in, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", method, err)
	}
	out, err := hd.raw(ctx, h.c, in)
	if err != nil {
		return err
	}
	if resp == nil {
		return nil
	}
	if err := json.Unmarshal(out, resp); err != nil {
		return fmt.Errorf("%s: decode answer: %w", method, err)
	}
	return nil
}

// AsViewer adapts a service method to a host handler acting as the caller's
// viewer; [Handle] turns the portal's errors ([fail.Error]) into the SDK's
// codes, worded in the viewer's language, since rooms show a refusal's
// message and field messages to the viewer as they come. Anything internal
// keeps its message out of the plugin's reach.
func AsViewer[Req, Resp any](fn func(context.Context, sdk.Viewer, Req) (Resp, error)) func(context.Context, Caller, Req) (Resp, error) {
	return func(ctx context.Context, c Caller, req Req) (Resp, error) {
		return fn(ctx, c.Viewer, req)
	}
}

// ToSDK maps a portal error onto the host API's error codes, its messages
// worded in l's language.
func ToSDK(err error, l *sdki18n.Locale) error {
	var fe *fail.Error
	if err == nil || !errors.As(err, &fe) {
		return err
	}
	fe = fe.In(l)
	switch fe.Code {
	case fail.NotFound:
		return &sdk.CallError{Code: sdk.CodeNotFound, Message: fe.Message}
	case fail.Invalid, fail.TooMany:
		return &sdk.CallError{Code: sdk.CodeInvalid, Message: fe.Message, Fields: fe.Fields}
	case fail.Forbidden:
		return &sdk.CallError{Code: sdk.CodePermission, Message: fe.Message}
	case fail.Conflict:
		return &sdk.CallError{Code: sdk.CodeConflict, Message: fe.Message}
	}
	return err
}
