package plugincheck

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/settings"
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

// StaffActingFor returns a partner manager who acts for the given partners,
// as on a room type's staff side.
func StaffActingFor(partners ...int64) sdk.Viewer {
	v := Staff()
	v.ActsFor = partners
	return v
}

// StaffActingForAll returns an admin, who acts for every partner.
func StaffActingForAll() sdk.Viewer {
	v := Staff()
	v.Role = sdk.RoleAdmin
	v.ActsForAll = true
	return v
}

// BlockID is the block id every block renders and acts under in the
// harness and the checker, unless a test names its own.
const BlockID = "block"

// Room is the room blocks render in by default.
var Room = sdk.RoomRef{Slug: "test", Title: "Test room", Path: "/rooms/test"}
