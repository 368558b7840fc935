package room

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// Actor is who changed a room, as its history records them.
type Actor struct {
	UserID int64  // 0 for the command line
	Name   string // the person's display name; "CLI" for the command line
}

// CLI is the actor of changes made with the atrium command.
var CLI = Actor{Name: "CLI"}

// label is the name history shows: a change without a person came from the
// command line, the only writer that has none.
func (a Actor) label() string {
	if a.Name == "" {
		return CLI.Name
	}
	return a.Name
}

func (a Actor) id() *int64 {
	if a.UserID == 0 {
		return nil
	}
	return &a.UserID
}

// Revision is one published state of a room: every publish, apply or
// rollback that changes what partners see records one, numbered per room
// from 1.
type Revision struct {
	Room     string    `json:"room"`
	Number   int64     `json:"number"`
	Message  string    `json:"message,omitempty"`
	AuthorID int64     `json:"authorId,omitempty"`
	Author   string    `json:"author"`
	At       time.Time `json:"at"`
	// Document is the room as published; lists leave it out.
	Document *Room `json:"document,omitempty"`
}

type revisionRow struct {
	bun.BaseModel `bun:"table:room_revisions"`
	ID            int64     `bun:"id,pk,autoincrement"`
	RoomName      string    `bun:"room_name"`
	Number        int64     `bun:"number"`
	Document      string    `bun:"document"`
	Message       string    `bun:"message"`
	AuthorID      *int64    `bun:"author_id"`
	AuthorName    string    `bun:"author_name"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (r revisionRow) revision(withDocument bool) (Revision, error) {
	out := Revision{Room: r.RoomName, Number: r.Number, Message: r.Message, Author: r.AuthorName, At: r.CreatedAt}
	if r.AuthorID != nil {
		out.AuthorID = *r.AuthorID
	}
	if withDocument {
		var doc Room
		if err := json.Unmarshal([]byte(r.Document), &doc); err != nil {
			return Revision{}, fmt.Errorf("room %q revision %d: corrupt document: %w", r.RoomName, r.Number, err)
		}
		out.Document = &doc
	}
	return out, nil
}

// MaxMessage bounds a revision's message.
const MaxMessage = 500

// record stores r as the room's next revision and returns its number.
func record(ctx context.Context, tx bun.IDB, r Room, actor Actor, message string, now time.Time) (int64, error) {
	last, _, err := latest(ctx, tx, r.Name)
	if err != nil {
		return 0, err
	}
	if len(message) > MaxMessage {
		message = strings.ToValidUTF8(message[:MaxMessage], "") // never half a character
	}
	row := revisionRow{RoomName: r.Name, Number: last.Number + 1, Document: string(mustJSON(normal(r))), Message: message,
		AuthorID: actor.id(), AuthorName: actor.label(), CreatedAt: now}
	res, err := tx.NewInsert().Model(&row).On("CONFLICT (room_name, number) DO NOTHING").Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("record revision %d of room %q: %w", row.Number, r.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Someone published the same room at the same moment; nothing of
		// this change is kept, and trying again shows theirs.
		return 0, fail.New(fail.Conflict, "Room %q was published by someone else at the same moment; nothing was changed. Look at its history and try again.", r.Name)
	}
	return row.Number, nil
}

// latest returns the newest revision of a room (without its document), and
// whether there is one.
func latest(ctx context.Context, db bun.IDB, name string) (revisionRow, bool, error) {
	var row revisionRow
	err := db.NewSelect().Model(&row).ExcludeColumn("document").Where("room_name = ?", name).
		OrderExpr("number DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return revisionRow{}, false, nil
	}
	if err != nil {
		return revisionRow{}, false, fmt.Errorf("latest revision of room %q: %w", name, err)
	}
	return row, true, nil
}

// History lists a room's revisions, newest first, without their documents.
// A room that exists (published or as a draft) but was never changed since
// history began has none.
func (s *Service) History(ctx context.Context, name string) ([]Revision, error) {
	var rows []revisionRow
	if err := s.db.NewSelect().Model(&rows).ExcludeColumn("document").Where("room_name = ?", name).
		OrderExpr("number DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("history of room %q: %w", name, err)
	}
	if len(rows) == 0 {
		st, err := state(ctx, s.db, name)
		if err != nil {
			return nil, err
		}
		if st.published == nil && st.draft == nil {
			return nil, fail.NotFoundf("Room %q not found.", name)
		}
	}
	out := make([]Revision, len(rows))
	for i, r := range rows {
		out[i], _ = r.revision(false)
	}
	return out, nil
}

// Revision returns one revision of a room with its document.
func (s *Service) Revision(ctx context.Context, name string, number int64) (Revision, error) {
	return revisionOf(ctx, s.db, name, number)
}

func revisionOf(ctx context.Context, db bun.IDB, name string, number int64) (Revision, error) {
	var row revisionRow
	err := db.NewSelect().Model(&row).Where("room_name = ? AND number = ?", name, number).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, fail.NotFoundf("Room %q has no revision %d.", name, number)
	}
	if err != nil {
		return Revision{}, fmt.Errorf("room %q revision %d: %w", name, number, err)
	}
	return row.revision(true)
}

// StaleError refuses a change made from an older state of a room than the
// one stored: someone else saved or published in between. It says who and
// when, and how to see their change, so nobody's work is overwritten
// silently. It unwraps to a fail.Conflict.
type StaleError struct {
	Room string
	// What changed: "draft" (someone saved the draft) or "published" (the
	// published room moved on).
	What string
	By   string
	At   time.Time
	// Now is the draft version or revision number the room is at now.
	Now int64
	// See is how to look at the change.
	See string
}

func (e *StaleError) Error() string {
	var who string
	switch {
	case e.What == "draft" && e.Now == 0:
		who = "its draft was published or discarded"
	case e.What == "draft":
		who = fmt.Sprintf("%s saved draft version %d at %s", e.By, e.Now, e.At.UTC().Format("2006-01-02 15:04 MST"))
	case e.Now == 0:
		who = "it is no longer published"
	default:
		who = fmt.Sprintf("%s published revision %d at %s", e.By, e.Now, e.At.UTC().Format("2006-01-02 15:04 MST"))
	}
	msg := fmt.Sprintf("Room %q changed since you started: %s.", e.Room, who)
	if e.See != "" {
		msg += " " + e.See
	}
	return msg
}

// Unwrap makes the error a fail.Conflict for the edge.
func (e *StaleError) Unwrap() error { return &fail.Error{Code: fail.Conflict, Message: e.Error()} }

// stalePublished is the error for a base revision older than the room's.
func stalePublished(name string, base int64, cur revisionRow, published bool) *StaleError {
	e := &StaleError{Room: name, What: "published"}
	if published {
		e.By, e.At, e.Now = cur.AuthorName, cur.CreatedAt, cur.Number
	}
	switch {
	case e.Now > 0 && base > 0:
		e.See = fmt.Sprintf("See the change with `atrium rooms history %s` or GET /api/v1/rooms/%s/diff?from=%d&to=%d, then start again from revision %d.",
			name, name, base, e.Now, e.Now)
	case e.Now > 0:
		e.See = fmt.Sprintf("See it with GET /api/v1/rooms/%s/revisions/%d, then start again from revision %d.", name, e.Now, e.Now)
	}
	return e
}

func staleDraft(name string, d *draftRow) *StaleError {
	e := &StaleError{Room: name, What: "draft"}
	if d != nil {
		e.By, e.At, e.Now = d.UpdatedByName, d.UpdatedAt, d.Version
		e.See = fmt.Sprintf("See their draft with GET /api/v1/rooms/%s/draft (or the diff of draft and published), then save again from version %d.", name, d.Version)
	}
	return e
}

// parseRef reads a revision reference: a number, "draft" or "published".
func parseRef(ref string) (int64, error) {
	switch ref {
	case "draft", "published":
		return 0, nil
	}
	n, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || n < 1 {
		return 0, fail.Field("ref", "invalid.staff.room.revision-ref", "Ref", strconv.Quote(ref))
	}
	return n, nil
}
