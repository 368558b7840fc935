package room

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// Drafts are the room builder's working copies. Saving a draft changes
// nothing partners see: the published room (the rooms table, which the
// catalog serves) stays as it is until someone publishes, and a room that
// was never published exists only here, out of navigation and the
// renderer. Every save and publish names the state it started from (a
// Base), so two editors never overwrite each other silently.

type draftRow struct {
	bun.BaseModel     `bun:"table:room_drafts"`
	Name              string     `bun:"name,pk"`
	Document          string     `bun:"document"`
	Version           int64      `bun:"version"`
	BaseRevision      int64      `bun:"base_revision"`
	UpdatedBy         *int64     `bun:"updated_by"`
	UpdatedByName     string     `bun:"updated_by_name"`
	UpdatedAt         time.Time  `bun:"updated_at"`
	ReviewRequestedAt *time.Time `bun:"review_requested_at"`
}

// Base is the state an editor started from: the draft version they loaded
// (0 when there was no draft) and the published revision (0 when the room
// was not published, or was published before history began).
type Base struct {
	DraftVersion int64 `json:"draftVersion"`
	Revision     int64 `json:"revision"`
}

// Draft is a room as the builder edits it.
type Draft struct {
	Room Room `json:"room"`
	// Version counts the saves of the draft; 0 means no draft is saved and
	// Room is the published room, ready to edit.
	Version int64 `json:"version"`
	// BaseRevision is the published revision the draft started from.
	BaseRevision int64 `json:"baseRevision"`
	// Published reports whether partners see a published version of the
	// room; a room that is only a draft is not shown anywhere.
	Published         bool       `json:"published"`
	UpdatedByID       int64      `json:"updatedById,omitempty"`
	UpdatedBy         string     `json:"updatedBy,omitempty"`
	UpdatedAt         time.Time  `json:"updatedAt,omitzero"`
	ReviewRequestedAt *time.Time `json:"reviewRequestedAt,omitempty"`
}

// Base is the base to send with the next save or publish of this draft.
func (d Draft) Base() Base { return Base{DraftVersion: d.Version, Revision: d.BaseRevision} }

// roomState is everything stored about one room name.
type roomState struct {
	published *Room
	revision  revisionRow // newest revision; Number 0 when none
	draft     *draftRow
}

// current is the published revision number the stale checks compare: the
// newest revision while the room is published, 0 when it is not.
func (st roomState) current() int64 {
	if st.published == nil {
		return 0
	}
	return st.revision.Number
}

func (st roomState) draftVersion() int64 {
	if st.draft == nil {
		return 0
	}
	return st.draft.Version
}

func state(ctx context.Context, db bun.IDB, name string) (roomState, error) {
	var st roomState
	rooms, err := load(ctx, db, name, true)
	if err != nil {
		return st, err
	}
	for i := range rooms {
		if rooms[i].Name == name {
			st.published = &rooms[i]
		}
	}
	if st.revision, _, err = latest(ctx, db, name); err != nil {
		return st, err
	}
	var d draftRow
	err = db.NewSelect().Model(&d).Where("name = ?", name).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return st, fmt.Errorf("load draft of room %q: %w", name, err)
	default:
		st.draft = &d
	}
	return st, nil
}

func (d *draftRow) draft(published bool) (Draft, error) {
	out := Draft{Version: d.Version, BaseRevision: d.BaseRevision, Published: published, UpdatedBy: d.UpdatedByName,
		UpdatedAt: d.UpdatedAt, ReviewRequestedAt: d.ReviewRequestedAt}
	if d.UpdatedBy != nil {
		out.UpdatedByID = *d.UpdatedBy
	}
	if err := json.Unmarshal([]byte(d.Document), &out.Room); err != nil {
		return Draft{}, fmt.Errorf("draft of room %q: corrupt document: %w", d.Name, err)
	}
	return out, nil
}

// Draft returns the room's draft or, when none is saved, the published room
// as the start of one (Version 0).
func (s *Service) Draft(ctx context.Context, name string) (Draft, error) {
	st, err := state(ctx, s.db, name)
	if err != nil {
		return Draft{}, err
	}
	switch {
	case st.draft != nil:
		return st.draft.draft(st.published != nil)
	case st.published != nil:
		return Draft{Room: normal(*st.published), BaseRevision: st.current(), Published: true}, nil
	}
	return Draft{}, fail.NotFoundf("Room %q not found.", name)
}

// checkBase refuses base when the room moved on since: the draft was saved
// again (or published, or discarded), or the published room changed.
func checkBase(name string, st roomState, base Base) error {
	if st.draftVersion() != base.DraftVersion {
		if st.draft == nil && st.current() != base.Revision {
			return stalePublished(name, base.Revision, st.revision, st.published != nil)
		}
		return staleDraft(name, st.draft)
	}
	if st.draft == nil && st.current() != base.Revision {
		return stalePublished(name, base.Revision, st.revision, st.published != nil)
	}
	return nil
}

// SaveDraft validates doc as the room's whole new state and keeps it as the
// draft, without changing what partners see. It is refused with every
// problem (a *ValidationError, paths as in room files) when the document is
// invalid or its slug clashes with a published room, and with a
// *StaleError when base is not the state stored now. A room that does not
// exist yet starts as a draft only.
func (s *Service) SaveDraft(ctx context.Context, actor Actor, name string, doc Room, base Base) (Draft, error) {
	var out Draft
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := state(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := checkBase(name, st, base); err != nil {
			return err
		}
		r, err := s.validateOne(ctx, tx, name, doc)
		if err != nil {
			return err
		}
		row := draftRow{Name: name, Document: string(mustJSON(normal(r))), Version: st.draftVersion() + 1, BaseRevision: st.current(),
			UpdatedBy: actor.id(), UpdatedByName: actor.label(), UpdatedAt: time.Now().UTC()}
		if st.draft != nil {
			row.BaseRevision, row.ReviewRequestedAt = st.draft.BaseRevision, st.draft.ReviewRequestedAt
			res, err := tx.NewUpdate().Model(&row).WherePK().Where("version = ?", st.draft.Version).Exec(ctx)
			if err != nil {
				return fmt.Errorf("save draft of room %q: %w", name, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return staleDraft(name, st.draft)
			}
		} else {
			// Two first saves at once: the second finds the row the first
			// inserted, and is stale like any other late save.
			res, err := tx.NewInsert().Model(&row).On("CONFLICT (name) DO NOTHING").Exec(ctx)
			if err != nil {
				return fmt.Errorf("save draft of room %q: %w", name, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return staleDraft(name, nil)
			}
		}
		out, err = row.draft(st.published != nil)
		return err
	})
	return out, err
}

// validateOne checks one room document for the room name with the same
// validator as Apply, against the published rooms it would join.
func (s *Service) validateOne(ctx context.Context, tx bun.IDB, name string, doc Room) (Room, error) {
	doc.Blocks = slices.Clone(doc.Blocks)
	if doc.Name == "" {
		doc.Name = name
	}
	v, err := newValidator(ctx, tx, s.types)
	if err != nil {
		return Room{}, err
	}
	var problems []Problem
	if doc.Key() != name {
		problems = append(problems, Problem{Index: 0, Path: "name", Message: fmt.Sprintf("must be %q, the room being edited", name)})
	}
	r := v.room(ctx, 0, doc, &problems)
	others, err := load(ctx, tx, "", false) // slugs and types, for clashes
	if err != nil {
		return Room{}, err
	}
	// The published rooms first, so a clash names the room that holds the
	// slug already.
	var final []Room
	for _, o := range others {
		if o.Name != name {
			final = append(final, o)
		}
	}
	final = append(final, r)
	v.set(final, func(n string) int {
		if n == name {
			return 0
		}
		return -1
	}, &problems)
	if len(problems) > 0 {
		return Room{}, &ValidationError{Problems: problems}
	}
	return r, nil
}

// Publish makes the room's draft what partners see, records it as a new
// revision with message, and removes the draft; running portals reload it
// within their poll interval. base must be the draft version the publisher
// saw and the revision their draft started from: a draft saved since, or a
// room published since the draft began (by the CLI, say), is refused with a
// *StaleError. A draft equal to the published room is removed without a
// revision; the returned revision is then the current one.
func (s *Service) Publish(ctx context.Context, actor Actor, name, message string, base Base) (Revision, error) {
	var out Revision
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := state(ctx, tx, name)
		if err != nil {
			return err
		}
		if st.draft == nil {
			if st.published == nil {
				return fail.NotFoundf("Room %q not found.", name)
			}
			return fail.New(fail.Conflict, "Room %q has no draft to publish.", name)
		}
		if err := checkBase(name, st, base); err != nil {
			return err
		}
		if st.draft.BaseRevision != st.current() || base.Revision != st.current() {
			return stalePublished(name, st.draft.BaseRevision, st.revision, st.published != nil)
		}
		d, err := st.draft.draft(st.published != nil)
		if err != nil {
			return err
		}
		if out, err = s.publish(ctx, tx, d.Room, actor, message); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*draftRow)(nil)).Where("name = ? AND version = ?", name, st.draft.Version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove published draft of room %q: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return staleDraft(name, st.draft)
		}
		return nil
	})
	return out, err
}

// publish applies one room document in tx and returns the revision that
// now stands for it.
func (s *Service) publish(ctx context.Context, tx bun.Tx, r Room, actor Actor, message string) (Revision, error) {
	res, err := apply(ctx, tx, s.types, []Room{r}, ApplyOptions{Actor: actor, Message: message})
	if err != nil {
		return Revision{}, err
	}
	if n, ok := res.Revisions[r.Key()]; ok {
		return revisionOf(ctx, tx, r.Key(), n)
	}
	last, ok, err := latest(ctx, tx, r.Key())
	if err != nil || !ok {
		return Revision{Room: r.Key()}, err
	}
	return last.revision(false)
}

// Discard removes the room's draft; the published room stays. version must
// be the draft version the caller saw. Discarding the draft of a room that
// was never published removes the room.
func (s *Service) Discard(ctx context.Context, actor Actor, name string, version int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := state(ctx, tx, name)
		if err != nil {
			return err
		}
		if st.draft == nil {
			if st.published == nil {
				return fail.NotFoundf("Room %q not found.", name)
			}
			return fail.NotFoundf("Room %q has no draft.", name)
		}
		if st.draft.Version != version {
			return staleDraft(name, st.draft)
		}
		res, err := tx.NewDelete().Model((*draftRow)(nil)).Where("name = ? AND version = ?", name, version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("discard draft of room %q: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return staleDraft(name, st.draft)
		}
		return nil
	})
}

// Restore saves revision number's document as the room's draft, from base
// like any other save; publishing it then rolls the room back.
func (s *Service) Restore(ctx context.Context, actor Actor, name string, number int64, base Base) (Draft, error) {
	rev, err := revisionOf(ctx, s.db, name, number)
	if err != nil {
		return Draft{}, err
	}
	return s.SaveDraft(ctx, actor, name, *rev.Document, base)
}

// Rollback publishes revision number's document at once, as a new revision
// (history only grows). base.Revision must be the revision published now
// and base.DraftVersion the draft the caller knows of; a pending draft is
// kept, and publishing it later is refused as stale until its editor has
// looked at the rollback.
func (s *Service) Rollback(ctx context.Context, actor Actor, name string, number int64, message string, base Base) (Revision, error) {
	var out Revision
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := state(ctx, tx, name)
		if err != nil {
			return err
		}
		if st.draftVersion() != base.DraftVersion {
			return staleDraft(name, st.draft)
		}
		if st.current() != base.Revision {
			return stalePublished(name, base.Revision, st.revision, st.published != nil)
		}
		rev, err := revisionOf(ctx, tx, name, number)
		if err != nil {
			return err
		}
		if message == "" {
			message = "Roll back to revision " + strconv.FormatInt(number, 10)
		}
		out, err = s.publish(ctx, tx, *rev.Document, actor, message)
		return err
	})
	return out, err
}

// Diff compares two states of a room as a unified diff of their room-file
// text, so it reads like a change to the file `rooms export` writes. from
// and to are revision numbers, "published" or "draft". Equal states give
// "".
func (s *Service) Diff(ctx context.Context, name, from, to string) (string, error) {
	a, err := s.document(ctx, name, from)
	if err != nil {
		return "", err
	}
	b, err := s.document(ctx, name, to)
	if err != nil {
		return "", err
	}
	return diffText(name+"@"+from, name+"@"+to, a, b), nil
}

// document returns the room-file text of one state of a room ("" when the
// room is not published, for "published").
func (s *Service) document(ctx context.Context, name, ref string) (string, error) {
	n, err := parseRef(ref)
	if err != nil {
		return "", err
	}
	var r *Room
	switch ref {
	case "draft":
		d, err := s.Draft(ctx, name)
		if err != nil {
			return "", err
		}
		r = &d.Room
	case "published":
		st, err := state(ctx, s.db, name)
		if err != nil {
			return "", err
		}
		if st.published == nil && st.draft == nil {
			return "", fail.NotFoundf("Room %q not found.", name)
		}
		if st.published != nil {
			pr := normal(*st.published)
			r = &pr
		}
	default:
		rev, err := revisionOf(ctx, s.db, name, n)
		if err != nil {
			return "", err
		}
		r = rev.Document
	}
	if r == nil {
		return "", nil
	}
	b, err := s.text(*r)
	if err != nil {
		return "", fmt.Errorf("room %q %s as text: %w", name, ref, err)
	}
	return string(b), nil
}

// Reviewers is told when someone asks for a draft to be reviewed; the
// portal's wiring notifies everyone who may publish.
type Reviewers interface {
	ReviewRequested(ctx context.Context, req ReviewRequest) error
}

// ReviewRequest is a request to review and publish a draft.
type ReviewRequest struct {
	Room    string
	Title   string
	Version int64
	By      Actor
	Note    string
}

// RequestReview asks the people who may publish to review the room's
// draft, and marks the draft as waiting for review.
func (s *Service) RequestReview(ctx context.Context, actor Actor, name, note string) error {
	st, err := state(ctx, s.db, name)
	if err != nil {
		return err
	}
	if st.draft == nil {
		if st.published == nil {
			return fail.NotFoundf("Room %q not found.", name)
		}
		return fail.New(fail.Conflict, "Room %q has no draft to review; save one first.", name)
	}
	d, err := st.draft.draft(st.published != nil)
	if err != nil {
		return err
	}
	if len(note) > MaxMessage {
		return fail.Field("note", "invalid.staff.use-at-most-chars", "Max", MaxMessage)
	}
	if _, err := s.db.NewUpdate().Model((*draftRow)(nil)).Set("review_requested_at = ?", time.Now().UTC()).
		Where("name = ?", name).Exec(ctx); err != nil {
		return fmt.Errorf("mark draft of room %q for review: %w", name, err)
	}
	if s.reviewers == nil {
		return nil
	}
	return s.reviewers.ReviewRequested(ctx, ReviewRequest{Room: name, Title: d.Room.Title, Version: d.Version, By: actor, Note: note})
}
