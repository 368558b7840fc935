// Package plugintest tests block and room types without a portal: a fake
// [Host] answers host API calls from in-memory handlers, [Render], [Act] and
// [Submit] call a type as the portal would, and [Conformance] runs the plugin
// checker (sdk/plugincheck) on the plugin's folder with a fresh build of its
// executable: the manifest, the handshake, what the executable provides,
// every schema and config, a render of every block within the portal's
// limits, its actions and its staff side — what `atrium plugins check` and
// `atrium plugins install` check.
//
// Every block renders and acts under the block id [BlockID] ("block") in
// the room [Room], unless a [Submission] names others.
package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/plugincheck"
	"github.com/atriumhq/atrium/sdk/ui"
)

// Host is a fake portal host API; see [NewHost].
type Host = plugincheck.Host

// Client is a launched plugin, spoken to over the real protocol.
type Client = plugincheck.Client

// BlockID is the block id [Render] and [Act] pass to a type.
const BlockID = plugincheck.BlockID

// Room is the room blocks render in by default.
var Room = plugincheck.Room

// NewHost returns a Host with the default program vocabulary and only the
// calls every portal answers (the plugin's settings, from Host.Settings).
// Calls without a handler fail with sdk.ErrUnknownMethod, as a portal
// lacking the method would.
func NewHost() *Host { return plugincheck.NewHost() }

// Handle answers method m with fn, which sees the viewer the call acts as.
func Handle[Req, Resp any](h *Host, m sdk.Method[Req, Resp], fn func(ctx context.Context, v sdk.Viewer, req Req) (Resp, error)) {
	plugincheck.Handle(h, m, fn)
}

// MemoryStorage answers the sdk/storage calls from memory, with the portal's
// scoping rules (per partner when asked, every partner for staff only).
func MemoryStorage(h *Host) { plugincheck.MemoryStorage(h) }

// Launch starts a plugin executable, as the portal does, with h serving its
// host calls.
func Launch(exe string, h *Host) (*Client, error) { return plugincheck.Launch(exe, h) }

// Partner returns a partner user of a silver referral partner.
func Partner() sdk.Viewer { return plugincheck.Partner() }

// Staff returns a partner manager.
func Staff() sdk.Viewer { return plugincheck.Staff() }

// StaffActingFor returns a partner manager who acts for the given partners,
// as on a room type's staff side.
func StaffActingFor(partners ...int64) sdk.Viewer { return plugincheck.StaffActingFor(partners...) }

// Render renders bt for v with config as block [BlockID] of [Room], checks
// the tree survives the trip across the process boundary and passes the
// portal's limits, and returns it.
func Render(t testing.TB, bt sdk.BlockType, v sdk.Viewer, config string, h *Host) ui.Component {
	t.Helper()
	if h == nil {
		h = NewHost()
	}
	tree, err := bt.Render(context.Background(), sdk.RenderRequest{Viewer: v, Room: Room, BlockID: BlockID,
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
	if _, err := bt.Render(context.Background(), sdk.RenderRequest{Viewer: v, Room: Room, BlockID: BlockID,
		Config: json.RawMessage(config), Host: NewHost().As(v)}); err == nil {
		t.Errorf("Render accepted %s", config)
	}
}

// Act submits an action to a block or room type as v, from block [BlockID]
// with an empty config; [Submit] names the block, its config and more.
func Act(t testing.TB, ah sdk.ActionHandler, v sdk.Viewer, name string, values map[string][]string, h *Host) sdk.ActionResult {
	t.Helper()
	return Submit(t, ah, Submission{Viewer: v, Name: name, Values: values, Host: h})
}

// Submission is an action as the portal hands it to a type.
type Submission struct {
	Viewer sdk.Viewer
	Name   string
	// State is the ui.Action's State, as the tree set it.
	State  string
	Values map[string][]string
	// BlockID is the block the action came from; [BlockID] when empty.
	BlockID string
	// Config is that block's config (JSON); "{}" when empty.
	Config string
	// Room is where the block is; [Room] when zero.
	Room sdk.RoomRef
	// Host answers host calls; NewHost() when nil.
	Host *Host
}

// Submit hands s to ah as the portal would and returns its answer; an error
// fails the test.
func Submit(t testing.TB, ah sdk.ActionHandler, s Submission) sdk.ActionResult {
	t.Helper()
	if s.Host == nil {
		s.Host = NewHost()
	}
	if s.BlockID == "" {
		s.BlockID = BlockID
	}
	if s.Config == "" {
		s.Config = "{}"
	}
	if s.Room == (sdk.RoomRef{}) {
		s.Room = Room
	}
	res, err := ah.HandleAction(context.Background(), sdk.ActionRequest{Viewer: s.Viewer, Room: s.Room, BlockID: s.BlockID,
		Config: json.RawMessage(s.Config), Name: s.Name, State: s.State, Values: s.Values, Host: s.Host.As(s.Viewer)})
	if err != nil {
		t.Fatalf("action %s: %v", s.Name, err)
	}
	return res
}

// CheckTree verifies a tree encodes and decodes as the portal will read it,
// and passes the portal's own checks (ui.Check: size, depth, addresses).
func CheckTree(tree ui.Component) error {
	if tree == nil {
		return errors.New("no tree")
	}
	b, err := ui.Marshal(tree)
	if err != nil {
		return fmt.Errorf("tree does not encode: %w", err)
	}
	back, err := ui.Unmarshal(b)
	if err != nil {
		return fmt.Errorf("tree does not decode: %w", err)
	}
	return ui.CheckEncoded(back, b)
}
