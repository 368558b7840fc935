package main

import (
	"context"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/room"
)

// The room builder's matrix (testdata/authz/builder.yaml): Mike ("manager")
// is granted rooms.publish, Priya ("other-manager") is not; both edit
// drafts. The support room has a draft, so the requests that would change
// it are sent from a stale base and answer 409 (allowed, nothing changes).
func init() {
	authzResolvers = append(authzResolvers, resolveBuilder)
	// The template the matrix deletes, put back before each actor's turn.
	authzSetups["scratch-template"] = func(t testing.TB, p *testPortal, _ map[string]string) {
		_, err := p.services(t).db.NewRaw(`INSERT INTO room_templates (name, title, document, created_by_name, created_at)
			VALUES ('scratch-template', 'Scratch', '{"slug":"","title":"Scratch","partnerTypes":null,"position":0}', 'Ada', ?)
			ON CONFLICT DO NOTHING`, time.Now().UTC()).Exec(context.Background())
		if err != nil {
			t.Fatal(err)
		}
	}
}

func resolveBuilder(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	mike, err := s.dir.UserByEmail(ctx, "mike@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.dir.SetPermissions(ctx, mike.ID, []string{directory.PermPublishRooms}); err != nil {
		t.Fatal(err)
	}
	s.auth.Forget(mike.ID)
	d, err := s.rooms.Draft(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	d.Room.Title = "Support (draft)"
	if _, err := s.rooms.SaveDraft(ctx, room.Actor{Name: "Ada Builder"}, "support", d.Room, d.Base()); err != nil {
		t.Fatal(err)
	}
}
