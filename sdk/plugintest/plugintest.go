// Package plugintest tests block and room types without a portal: a fake
// [Host] answers host API calls from in-memory handlers, [Render] and [Act]
// call a type as the portal would, and [Conformance] launches a built plugin
// executable through the real gRPC boundary and checks its handshake,
// descriptions, schemas and a render of every block.
package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/settings"
	"github.com/atriumhq/atrium/sdk/ui"
)

// Host is a fake portal host API. Calls without a handler fail with
// sdk.ErrUnknownMethod, as a portal lacking the method would. Requests and
// answers go through JSON, exactly as they do across the process boundary.
type Host struct {
	Viewer  sdk.Viewer
	Program sdk.Program
	// Settings answer settings.Get, as an admin would have set them; nil
	// answers "{}". Set it before the calls that read it.
	Settings json.RawMessage

	mu       sync.RWMutex
	handlers map[string]func(ctx context.Context, v sdk.Viewer, req []byte) ([]byte, error)
}

// NewHost returns a Host with the default program vocabulary and only the
// calls every portal answers (the plugin's settings, from Settings).
func NewHost() *Host {
	h := &Host{
		Program: sdk.Program{Name: "Test program", PartnerTypes: []string{"referral", "reseller"},
			Tiers: []string{"silver", "gold"}, Stages: []string{"active"}, ContactRoles: []string{"sales"}},
		handlers: map[string]func(context.Context, sdk.Viewer, []byte) ([]byte, error){},
	}
	Handle(h, settings.Get, func(context.Context, sdk.Viewer, settings.GetRequest) (settings.Values, error) {
		if h.Settings == nil {
			return settings.Values{Values: json.RawMessage(`{}`)}, nil
		}
		return settings.Values{Values: h.Settings}, nil
	})
	return h
}

// Handle answers method m with fn, which sees the viewer the call acts as.
func Handle[Req, Resp any](h *Host, m sdk.Method[Req, Resp], fn func(ctx context.Context, v sdk.Viewer, req Req) (Resp, error)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handlers[m.Name] = func(ctx context.Context, v sdk.Viewer, raw []byte) ([]byte, error) {
		var in Req
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &in); err != nil {
				return nil, sdk.InvalidInput(fmt.Sprintf("%s: malformed request: %v", m.Name, err), nil)
			}
		}
		out, err := fn(ctx, v, in)
		if err != nil {
			return nil, err
		}
		return json.Marshal(out)
	}
}

// As returns the host API acting as v.
func (h *Host) As(v sdk.Viewer) sdk.Host { return &viewerHost{h: h, v: v} }

// Dispatch runs a call with JSON in and out, as the portal does for a plugin.
func (h *Host) Dispatch(ctx context.Context, v sdk.Viewer, method string, req []byte) ([]byte, error) {
	h.mu.RLock()
	fn, ok := h.handlers[method]
	h.mu.RUnlock()
	if !ok {
		return nil, &sdk.CallError{Code: sdk.CodeUnknownMethod, Message: "unknown host method " + method}
	}
	return fn(ctx, v, req)
}

type viewerHost struct {
	h *Host
	v sdk.Viewer
}

func (vh *viewerHost) Program(context.Context) (sdk.Program, error) { return vh.h.Program, nil }

func (vh *viewerHost) Call(ctx context.Context, method string, req, resp any) error {
	in, err := json.Marshal(req)
	if err != nil {
		return err
	}
	out, err := vh.h.Dispatch(ctx, vh.v, method, in)
	if err != nil {
		return sdk.AsCallError(err)
	}
	if resp == nil {
		return nil
	}
	return json.Unmarshal(out, resp)
}

// Partner returns a partner user of a silver referral partner.
func Partner() sdk.Viewer {
	return sdk.Viewer{UserID: 101, Email: "pat@partner.example", Name: "Pat Partner", Role: sdk.RolePartnerUser,
		ContactRole: "sales", Partner: &sdk.Partner{ID: 11, Slug: "partner", Name: "Partner Co", Type: "referral", Tier: "silver", Stage: "active"}}
}

// Staff returns a partner manager.
func Staff() sdk.Viewer {
	return sdk.Viewer{UserID: 1, Email: "sam@vendor.example", Name: "Sam Staff", Role: sdk.RoleManager}
}

// Room is the room blocks render in by default.
var Room = sdk.RoomRef{Slug: "test", Title: "Test room", Path: "/rooms/test"}

// Render renders bt for v with config, checks the tree survives the trip
// across the process boundary, and returns it.
func Render(t testing.TB, bt sdk.BlockType, v sdk.Viewer, config string, h *Host) ui.Component {
	t.Helper()
	if h == nil {
		h = NewHost()
	}
	tree, err := bt.Render(context.Background(), sdk.RenderRequest{Viewer: v, Room: Room, BlockID: "block",
		Config: json.RawMessage(config), Host: h.As(v)})
	if err != nil {
		t.Fatalf("render %s: %v", bt.Describe().Name, err)
	}
	if err := CheckTree(tree); err != nil {
		t.Fatalf("render %s: %v", bt.Describe().Name, err)
	}
	return tree
}

// Refuses checks that bt rejects config: ValidateConfig (when bt has it)
// fails with a message mentioning each of want, and Render fails too, so a
// block never draws a config its editor would have refused.
func Refuses(t testing.TB, bt sdk.BlockType, config string, want ...string) {
	t.Helper()
	if cv, ok := bt.(sdk.ConfigValidator); ok {
		err := cv.ValidateConfig(context.Background(), json.RawMessage(config))
		if err == nil {
			t.Errorf("ValidateConfig accepted %s", config)
		}
		for _, w := range want {
			if err != nil && !strings.Contains(err.Error(), w) {
				t.Errorf("ValidateConfig = %q, want it to mention %q", err, w)
			}
		}
	}
	v := Partner()
	if _, err := bt.Render(context.Background(), sdk.RenderRequest{Viewer: v, Room: Room, BlockID: "block",
		Config: json.RawMessage(config), Host: NewHost().As(v)}); err == nil {
		t.Errorf("Render accepted %s", config)
	}
}

// Act submits an action to a block or room type as v.
func Act(t testing.TB, ah sdk.ActionHandler, v sdk.Viewer, name string, values map[string][]string, h *Host) sdk.ActionResult {
	t.Helper()
	if h == nil {
		h = NewHost()
	}
	res, err := ah.HandleAction(context.Background(), sdk.ActionRequest{Viewer: v, Room: Room, BlockID: "block",
		Name: name, Values: values, Host: h.As(v)})
	if err != nil {
		t.Fatalf("action %s: %v", name, err)
	}
	return res
}

// CheckTree verifies a tree encodes and decodes as the portal will read it.
func CheckTree(tree ui.Component) error {
	if tree == nil {
		return errors.New("no tree")
	}
	b, err := ui.Marshal(tree)
	if err != nil {
		return fmt.Errorf("tree does not encode: %w", err)
	}
	if _, err := ui.Unmarshal(b); err != nil {
		return fmt.Errorf("tree does not decode: %w", err)
	}
	if len(b) > 512<<10 {
		return fmt.Errorf("tree is %d KiB; the portal takes at most 512", len(b)>>10)
	}
	return nil
}
