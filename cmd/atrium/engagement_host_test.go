package main

import (
	"context"
	"errors"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/engagement"
)

// TestRecordActionHostCall records through the typed host call as a
// partner, and checks it refuses a block the viewer does not see and
// records nothing for a staff preview.
func TestRecordActionHostCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seededPortal(t)
	u, err := p.dir.UserByEmail(ctx, "sarah@northwind.example")
	if err != nil {
		t.Fatal(err)
	}
	pt, err := p.dir.Partner(ctx, *u.PartnerID)
	if err != nil {
		t.Fatal(err)
	}
	v := u.Viewer(&pt)
	snap := p.catalog.Current()
	rm, ok := snap.Visible(v, "training")
	if !ok || len(rm.Blocks) == 0 {
		t.Fatal("sarah does not see the training room")
	}
	block := rm.Blocks[0].ID
	for _, c := range []struct {
		name    string
		viewer  sdk.Viewer
		action  engagement.Action
		want    bool
		wantErr error
	}{
		{"a block she sees", v, engagement.Action{Room: "training", Block: block, Name: "goal_complete"}, true, nil},
		{"a block that is not there", v, engagement.Action{Room: "training", Block: "nope", Name: "goal_complete"}, false, sdk.ErrNotFound},
		{"a room she does not see", v, engagement.Action{Room: "no-such-room", Block: block, Name: "goal_complete"}, false, sdk.ErrNotFound},
		{"a bad name", v, engagement.Action{Room: "training", Block: block, Name: "Bad Name"}, false, errors.New("invalid")},
		{"a staff preview", func() sdk.Viewer { pv := v; pv.Preview = true; return pv }(), engagement.Action{Room: "training", Block: block, Name: "goal_complete"}, false, nil},
	} {
		res, err := engagement.RecordAction.Call(ctx, p.hosts.For(c.viewer), c.action)
		switch {
		case c.wantErr == nil && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.wantErr != nil && err == nil:
			t.Errorf("%s: recorded, want an error", c.name)
		case c.wantErr == sdk.ErrNotFound && !errors.Is(err, sdk.ErrNotFound):
			t.Errorf("%s: %v, want not found", c.name, err)
		case res.Recorded != c.want:
			t.Errorf("%s: recorded %v, want %v", c.name, res.Recorded, c.want)
		}
	}
	if err := p.events.Close(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := p.db.NewSelect().Table("engagement_events").Where("user_id = ? AND name = 'goal_complete' AND block_id = ? AND path = '/rooms/training'", u.ID, block).Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("recorded %d goal completions (%v), want 1", n, err)
	}
}
