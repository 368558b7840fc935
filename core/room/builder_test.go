package room_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/revision"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

var (
	mike  = room.Actor{UserID: 0, Name: "Mike Chen"}
	priya = room.Actor{Name: "Priya Patel"}
)

// A manager builds a new room as a draft: partners never see it until it is
// published, and publishing records revision 1 and reaches the portals
// through the rooms counter; saving drafts does not.
func TestDraftIsInvisibleUntilPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := newService(t, db)
		rev0, _ := revision.All(ctx, db)

		d, err := s.SaveDraft(ctx, mike, "training", training(), room.Base{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != 1 || d.Published || d.UpdatedBy != "Mike Chen" {
			t.Fatalf("first save: %+v", d)
		}
		if list, _ := s.List(ctx); len(list) != 0 {
			t.Fatalf("a draft-only room is served to partners: %+v", list)
		}
		if rev, _ := revision.All(ctx, db); rev[revision.Rooms] != rev0[revision.Rooms] {
			t.Error("saving a draft bumped the rooms revision: portals reloaded for nothing")
		}
		sts, _ := s.Statuses(ctx)
		if len(sts) != 1 || sts[0].State != room.StateDraftOnly || sts[0].LastEditor != "Mike Chen" {
			t.Errorf("statuses: %+v", sts)
		}

		rev, err := s.Publish(ctx, mike, "training", "First version", d.Base())
		if err != nil {
			t.Fatal(err)
		}
		if rev.Number != 1 || rev.Author != "Mike Chen" || rev.Message != "First version" || rev.Document.Title != "Training Portal" {
			t.Fatalf("revision: %+v", rev)
		}
		got, err := s.Get(ctx, "training")
		if err != nil || len(got.Blocks) != 2 {
			t.Fatalf("published room: %+v, %v", got, err)
		}
		if rv, _ := revision.All(ctx, db); rv[revision.Rooms] <= rev0[revision.Rooms] {
			t.Error("publishing did not bump the rooms revision")
		}

		// Editing the published room: partners keep the old one.
		d, _ = s.Draft(ctx, "training")
		if d.Version != 0 || d.BaseRevision != 1 || !d.Published {
			t.Fatalf("draft of a published room: %+v", d)
		}
		d.Room.Title = "Training"
		d, err = s.SaveDraft(ctx, priya, "training", d.Room, d.Base())
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, "training"); got.Title != "Training Portal" {
			t.Errorf("a draft changed the published room: %q", got.Title)
		}
		sts, _ = s.Statuses(ctx)
		if sts[0].State != room.StateDraft || sts[0].LastEditor != "Priya Patel" || sts[0].Revision != 1 {
			t.Errorf("status with a pending draft: %+v", sts[0])
		}
		diff, err := s.Diff(ctx, "training", "published", "draft")
		if err != nil || !strings.Contains(diff, "-  \"title\": \"Training Portal\"") || !strings.Contains(diff, "+  \"title\": \"Training\"") {
			t.Errorf("diff of draft and published:\n%s (%v)", diff, err)
		}
		if _, err := s.Publish(ctx, priya, "training", "", d.Base()); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, "training"); got.Title != "Training" {
			t.Errorf("published title %q", got.Title)
		}
		if _, err := s.Draft(ctx, "training"); err != nil {
			t.Fatal(err)
		}
		hist, _ := s.History(ctx, "training")
		if len(hist) != 2 || hist[0].Number != 2 || hist[0].Author != "Priya Patel" || hist[1].Number != 1 {
			t.Errorf("history: %+v", hist)
		}
	})
}

// Two editors start from the same draft; the second save is refused and
// says who saved, when, and how to see it.
func TestStaleSaveIsRefusedWithWhoAndWhen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := newService(t, db)
		first, err := s.SaveDraft(ctx, mike, "training", training(), room.Base{})
		if err != nil {
			t.Fatal(err)
		}
		mine, theirs := first.Room, first.Room
		mine.Title, theirs.Title = "Mine", "Theirs"
		if _, err := s.SaveDraft(ctx, mike, "training", mine, first.Base()); err != nil {
			t.Fatal(err)
		}
		_, err = s.SaveDraft(ctx, priya, "training", theirs, first.Base())
		var se *room.StaleError
		if !errors.As(err, &se) || fail.CodeOf(err) != fail.Conflict {
			t.Fatalf("stale save: %v, want a conflict", err)
		}
		msg := err.Error()
		for _, want := range []string{"Mike Chen saved draft version 2 at ", "GET /api/v1/rooms/training/draft"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
		if d, _ := s.Draft(ctx, "training"); d.Room.Title != "Mine" {
			t.Errorf("the stale save overwrote the draft: %q", d.Room.Title)
		}
		// Publishing from a stale version is refused the same way.
		if _, err := s.Publish(ctx, priya, "training", "", first.Base()); !errors.As(err, &se) {
			t.Errorf("stale publish: %v", err)
		}
		// A room published from the command line while a draft is open:
		// the draft's publish is refused, naming the CLI's revision.
		d, _ := s.Draft(ctx, "training")
		cli := training()
		cli.Position = 7
		if _, err := s.Apply(ctx, []room.Room{cli}, room.ApplyOptions{Actor: room.CLI}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Publish(ctx, mike, "training", "", d.Base())
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "CLI published revision 1") {
			t.Errorf("publish over a CLI change: %v", err)
		}
	})
}

// An invalid draft is refused with the path of every problem, and nothing is
// saved.
func TestInvalidDraftIsRefusedWithPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := newService(t, db)
		if _, err := s.Apply(ctx, []room.Room{training()}, room.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
		bad := room.Room{Slug: "training", Title: "Clash", PartnerTypes: []string{"reseller"},
			Blocks: []room.Block{text("a", ""), {ID: "b", Type: "quiz"}}}
		_, err := s.SaveDraft(ctx, mike, "other", bad, room.Base{})
		var ve *room.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v, want a ValidationError", err)
		}
		var got []string
		for _, p := range ve.Problems {
			got = append(got, p.Path+": "+p.Message)
		}
		for _, want := range []string{"blocks[0].config.markdown: ", `blocks[1].type: unknown block type "quiz"`, `slug: room "training" already uses slug "training"`} {
			if !containsPrefix(got, want) {
				t.Errorf("problems %q lack %q", got, want)
			}
		}
		if _, err := s.Draft(ctx, "other"); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("an invalid draft was saved: %v", err)
		}
	})
}

// Applying records a revision by the CLI; the same files again record
// nothing; a stale base is refused unless forced.
func TestApplyRecordsRevisionsAndChecksBase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := newService(t, db)
		res, err := s.Apply(ctx, []room.Room{training()}, room.ApplyOptions{Actor: room.CLI, Message: "from files"})
		if err != nil || res.Revisions["training"] != 1 {
			t.Fatalf("apply: %+v, %v", res, err)
		}
		if res, err = s.Apply(ctx, []room.Room{training()}, room.ApplyOptions{Actor: room.CLI}); err != nil || len(res.Revisions) != 0 {
			t.Fatalf("second apply: %+v, %v", res, err)
		}
		hist, _ := s.History(ctx, "training")
		if len(hist) != 1 || hist[0].Author != "CLI" || hist[0].Message != "from files" {
			t.Fatalf("history after two applies: %+v", hist)
		}

		// Someone publishes revision 2 in the builder.
		d, _ := s.Draft(ctx, "training")
		d.Room.Title = "Builder"
		d, _ = s.SaveDraft(ctx, mike, "training", d.Room, d.Base())
		if _, err := s.Publish(ctx, mike, "training", "", d.Base()); err != nil {
			t.Fatal(err)
		}
		// A file exported at revision 1 and changed is refused...
		file := training()
		file.Position = 1
		_, err = s.Apply(ctx, []room.Room{file}, room.ApplyOptions{Bases: map[string]int64{"training": 1}})
		if fail.CodeOf(err) != fail.Conflict || !strings.Contains(err.Error(), "Mike Chen published revision 2") ||
			!strings.Contains(err.Error(), "diff?from=1&to=2") {
			t.Fatalf("stale apply: %v", err)
		}
		if got, _ := s.Get(ctx, "training"); got.Title != "Builder" {
			t.Errorf("a refused apply changed the room")
		}
		// ...from the current base it goes through, and with force too.
		if _, err := s.Apply(ctx, []room.Room{file}, room.ApplyOptions{Bases: map[string]int64{"training": 2}}); err != nil {
			t.Fatal(err)
		}
		file.Position = 2
		if _, err := s.Apply(ctx, []room.Room{file}, room.ApplyOptions{Bases: map[string]int64{"training": 1}, Force: true}); err != nil {
			t.Fatal(err)
		}
		// An open draft stops a based apply as well.
		d, _ = s.Draft(ctx, "training")
		s.SaveDraft(ctx, priya, "training", d.Room, d.Base())
		file.Position = 3
		_, err = s.Apply(ctx, []room.Room{file}, room.ApplyOptions{Bases: map[string]int64{"training": 4}})
		if fail.CodeOf(err) != fail.Conflict || !strings.Contains(err.Error(), "Priya Patel saved draft version 1") {
			t.Errorf("apply over an open draft: %v", err)
		}
	})
}

// Rolling back publishes an old revision as a new one; restoring makes it
// a draft. The diff of two revisions is a unified diff of their text.
func TestRollbackRestoreAndDiff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := room.NewService(db, newService(t, db).Types(), room.WithText(func(r room.Room) ([]byte, error) {
			return []byte("title: " + r.Title + "\nslug: " + r.Slug + "\n"), nil
		}))
		s.Apply(ctx, []room.Room{training()}, room.ApplyOptions{})
		changed := training()
		changed.Title = "Training v2"
		s.Apply(ctx, []room.Room{changed}, room.ApplyOptions{Actor: mike})

		diff, err := s.Diff(ctx, "training", "1", "2")
		want := "--- training@1\n+++ training@2\n@@ -1,2 +1,2 @@\n-title: Training Portal\n+title: Training v2\n slug: training\n"
		if err != nil || diff != want {
			t.Fatalf("diff:\n%s\nwant:\n%s(%v)", diff, want, err)
		}
		if d, _ := s.Diff(ctx, "training", "2", "published"); d != "" {
			t.Errorf("the published room differs from its latest revision:\n%s", d)
		}

		rev, err := s.Rollback(ctx, priya, "training", 1, "", room.Base{Revision: 2})
		if err != nil {
			t.Fatal(err)
		}
		if rev.Number != 3 || rev.Message != "Roll back to revision 1" || rev.Author != "Priya Patel" {
			t.Errorf("rollback revision: %+v", rev)
		}
		if got, _ := s.Get(ctx, "training"); got.Title != "Training Portal" {
			t.Errorf("after rollback: %q", got.Title)
		}
		if _, err := s.Rollback(ctx, priya, "training", 2, "", room.Base{Revision: 2}); fail.CodeOf(err) != fail.Conflict {
			t.Errorf("rollback from a stale base: %v", err)
		}

		d, err := s.Restore(ctx, mike, "training", 2, room.Base{Revision: 3})
		if err != nil || d.Room.Title != "Training v2" || d.Version != 1 {
			t.Fatalf("restore: %+v, %v", d, err)
		}
		if got, _ := s.Get(ctx, "training"); got.Title != "Training Portal" {
			t.Errorf("restore as a draft changed the published room")
		}
		if err := s.Discard(ctx, mike, "training", 1); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Draft(ctx, "training"); d.Version != 0 {
			t.Errorf("discarded draft still there: %+v", d)
		}
	})
}

// Deleting removes the room and its draft and keeps its history.
func TestDeleteKeepsHistory(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	s := newService(t, db)
	s.Apply(ctx, []room.Room{training()}, room.ApplyOptions{})
	d, _ := s.Draft(ctx, "training")
	s.SaveDraft(ctx, mike, "training", d.Room, d.Base())
	want := "Deletes the published room training (partners lose it within seconds) and draft version 1 by Mike Chen. Its revision stays, and a rollback can bring it back."
	if d, err := s.Deletion(ctx, "training"); err != nil || d.String() != want {
		t.Errorf("deletion: %q, %v\nwant %q", d, err, want)
	}
	if d, err := s.Delete(ctx, "training"); err != nil || !d.Published || d.DraftVersion != 1 {
		t.Fatalf("delete: %+v, %v", d, err)
	}
	if _, err := s.Draft(ctx, "training"); fail.CodeOf(err) != fail.NotFound {
		t.Errorf("draft after delete: %v", err)
	}
	if h, err := s.History(ctx, "training"); err != nil || len(h) != 1 {
		t.Errorf("history after delete: %+v, %v", h, err)
	}
	if _, err := s.Rollback(ctx, mike, "training", 1, "", room.Base{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "training"); err != nil {
		t.Errorf("rollback did not bring the room back: %v", err)
	}
}

// Asking for a review tells the reviewers.
func TestRequestReview(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	var got []room.ReviewRequest
	s := newService(t, db)
	s.SetReviewers(reviewFunc(func(r room.ReviewRequest) { got = append(got, r) }))
	if err := s.RequestReview(ctx, mike, "training", ""); fail.CodeOf(err) != fail.NotFound {
		t.Errorf("review of nothing: %v", err)
	}
	s.SaveDraft(ctx, mike, "training", training(), room.Base{})
	if err := s.RequestReview(ctx, mike, "training", "new intro"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Room != "training" || got[0].By.Name != "Mike Chen" || got[0].Note != "new intro" {
		t.Errorf("reviewers heard %+v", got)
	}
	if d, _ := s.Draft(ctx, "training"); d.ReviewRequestedAt == nil {
		t.Error("the draft is not marked as waiting for review")
	}
}

type reviewFunc func(room.ReviewRequest)

func (f reviewFunc) ReviewRequested(_ context.Context, r room.ReviewRequest) error { f(r); return nil }

// Editors saving a new room at the same moment: one wins, the others are
// told the room changed (never an internal error, never two drafts).
func TestConcurrentFirstSaves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := newService(t, db)
		const n = 16
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				_, err := s.SaveDraft(ctx, mike, "training", training(), room.Base{})
				errs <- err
			}()
		}
		ok := 0
		for i := 0; i < n; i++ {
			switch err := <-errs; {
			case err == nil:
				ok++
			case fail.CodeOf(err) != fail.Conflict:
				t.Errorf("a losing save failed with %v, want a conflict", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d saves won, want 1", ok)
		}
	})
}
