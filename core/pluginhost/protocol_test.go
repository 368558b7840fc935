package pluginhost

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// TestRoomTypeDeclarationsCrossTheProtocol starts the test plugin as its own
// process and checks that what an external room type declares for the
// navigation and for live updates (Badge, LiveTopics, a page's LiveTopics),
// and a file field that takes several files, reach the portal unchanged.
func TestRoomTypeDeclarationsCrossTheProtocol(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	p := newPortal(t, dir, 2*time.Second, nil)
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	rt, ok := p.reg.RoomType("test/board")
	if !ok {
		t.Fatal("the plugin's room type is not in the registry")
	}
	if rt.Info.Badge != "test.unread" {
		t.Errorf("Badge = %q, want test.unread", rt.Info.Badge)
	}
	if want := []string{"board", "board:news"}; !slices.Equal(rt.Info.LiveTopics, want) {
		t.Errorf("LiveTopics = %q, want %q", rt.Info.LiveTopics, want)
	}

	form := ui.Component(ui.Form{Action: ui.Action{Name: "attach"}, Fields: []ui.Field{
		{Name: "files", Label: "Files", Type: "file", Multiple: true}}})
	ir, ok := rt.Type.(sdk.ItemRenderer)
	if !ok {
		t.Fatal("the room type serves no item pages")
	}
	page, err := ir.RenderItem(context.Background(), sdk.ItemRequest{Viewer: lisa, Room: sdk.RoomRef{Slug: "b", Type: "test/board"}, Path: "42"})
	if err != nil {
		t.Fatal(err)
	}
	if page.Title != "Thread 42" || !slices.Equal(page.LiveTopics, []string{"thread:42"}) {
		t.Errorf("page = %q following %q, want Thread 42 following thread:42", page.Title, page.LiveTopics)
	}
	if !reflect.DeepEqual(page.Body, form) {
		t.Errorf("item page body = %#v, want %#v", page.Body, form)
	}

	res := p.room(t, "upload")
	if res[0].Err != nil || !reflect.DeepEqual(res[0].Tree, form) {
		t.Errorf("block tree = %#v, %v, want %#v", res[0].Tree, res[0].Err, form)
	}
}
