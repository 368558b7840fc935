package room

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/revision"
	"github.com/uptrace/bun"
)

type roomRow struct {
	bun.BaseModel `bun:"table:rooms"`
	ID            int64     `bun:"id,pk,autoincrement"`
	Name          string    `bun:"name"`
	Slug          string    `bun:"slug"`
	Title         string    `bun:"title"`
	Titles        string    `bun:"titles"` // JSON, "" for none
	Icon          string    `bun:"icon"`
	Type          string    `bun:"type"`
	Position      int       `bun:"position"`
	Audience      string    `bun:"audience"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type partnerTypeRow struct {
	bun.BaseModel `bun:"table:room_partner_types"`
	RoomID        int64  `bun:"room_id"`
	PartnerType   string `bun:"partner_type"`
	Slug          string `bun:"slug"`
	RoomType      string `bun:"room_type"`
}

type blockRow struct {
	bun.BaseModel `bun:"table:blocks"`
	ID            int64  `bun:"id,pk,autoincrement"`
	RoomID        int64  `bun:"room_id"`
	Key           string `bun:"key"`
	Position      int    `bun:"position"`
	Type          string `bun:"type"`
	Config        string `bun:"config"`
	SchemaVersion int    `bun:"schema_version"`
	Audience      string `bun:"audience"`
}

// Service reads rooms and applies changes to them: whole sets at once
// (Apply, for room files and the REST API) or one room at a time through a
// draft (the room builder). Every change partners can see is recorded as a
// revision.
type Service struct {
	db        *bun.DB
	types     Types
	text      func(Room) ([]byte, error)
	reviewers Reviewers
}

// Option configures a Service.
type Option func(*Service)

// WithText sets how a room is written as text for diffs: the portal passes
// the room-file writer, so a diff reads like a change to an exported file.
// Without it, rooms are compared as indented JSON.
func WithText(f func(Room) ([]byte, error)) Option { return func(s *Service) { s.text = f } }

// SetReviewers sets who is told about review requests. The portal's
// wiring calls it once notifications exist, before serving.
func (s *Service) SetReviewers(r Reviewers) { s.reviewers = r }

// NewService returns a Service over db that validates block configs and room
// types with types.
func NewService(db *bun.DB, types Types, opts ...Option) *Service {
	s := &Service{db: db, types: types, text: func(r Room) ([]byte, error) { return json.MarshalIndent(r, "", "  ") }}
	for _, o := range opts {
		o(s)
	}
	return s
}

// List returns every room with its blocks, in navigation order.
func (s *Service) List(ctx context.Context) ([]Room, error) { return list(ctx, s.db) }

// List returns every room read through db (a database or a transaction).
func List(ctx context.Context, db bun.IDB) ([]Room, error) { return list(ctx, db) }

// Get returns one room by name.
func (s *Service) Get(ctx context.Context, name string) (Room, error) {
	rooms, err := list(ctx, s.db)
	if err != nil {
		return Room{}, err
	}
	for _, r := range rooms {
		if r.Name == name {
			return r, nil
		}
	}
	return Room{}, fail.NotFoundf("Room %q not found.", name)
}

func list(ctx context.Context, db bun.IDB) ([]Room, error) { return load(ctx, db, "", true) }

// load reads rooms: every room, or the one named; with their blocks, or
// only what validation needs of the others (name, slug, type, partner
// types), which spares an editor's save from decoding every room's blocks.
func load(ctx context.Context, db bun.IDB, name string, withBlocks bool) ([]Room, error) {
	var rows []roomRow
	q := db.NewSelect().Model(&rows).Order("position", "name")
	if name != "" {
		q = q.Where("name = ?", name)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var types []partnerTypeRow
	tq := db.NewSelect().Model(&types)
	if name != "" {
		tq = tq.Where("room_id IN (?)", bun.List(ids))
	}
	if err := tq.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list room partner types: %w", err)
	}
	var blocks []blockRow
	if withBlocks {
		bq := db.NewSelect().Model(&blocks).Order("room_id", "position")
		if name != "" {
			bq = bq.Where("room_id IN (?)", bun.List(ids))
		}
		if err := bq.Scan(ctx); err != nil {
			return nil, fmt.Errorf("list blocks: %w", err)
		}
	}
	byID := make(map[int64]*Room, len(rows))
	out := make([]Room, len(rows))
	for i, row := range rows {
		out[i] = Room{ID: row.ID, Name: row.Name, Slug: row.Slug, Title: row.Title, Icon: row.Icon, Type: row.Type,
			Position: row.Position, UpdatedAt: row.UpdatedAt}
		if row.Titles != "" {
			if err := json.Unmarshal([]byte(row.Titles), &out[i].Titles); err != nil {
				return nil, fmt.Errorf("room %q: corrupt titles: %w", row.Name, err)
			}
		}
		if err := json.Unmarshal([]byte(row.Audience), &out[i].Audience); err != nil {
			return nil, fmt.Errorf("room %q: corrupt audience: %w", row.Name, err)
		}
		byID[row.ID] = &out[i]
	}
	for _, t := range types {
		if r := byID[t.RoomID]; r != nil {
			r.PartnerTypes = append(r.PartnerTypes, t.PartnerType)
		}
	}
	for _, b := range blocks {
		r := byID[b.RoomID]
		if r == nil {
			continue
		}
		blk := Block{ID: b.Key, Type: b.Type, SchemaVersion: b.SchemaVersion, Config: json.RawMessage(b.Config)}
		if err := json.Unmarshal([]byte(b.Audience), &blk.Audience); err != nil {
			return nil, fmt.Errorf("room %q block %q: corrupt audience: %w", r.Name, b.Key, err)
		}
		r.Blocks = append(r.Blocks, blk)
	}
	// Partner types come back in table order; keep the program's order
	// stable for export by sorting alphabetically only when nothing else
	// says otherwise (the join table has no order column).
	for i := range out {
		slices.Sort(out[i].PartnerTypes)
	}
	return out, nil
}

// ApplyOptions change what Apply does.
type ApplyOptions struct {
	// Prune deletes rooms that exist but are not in the applied set.
	Prune bool
	// DryRun validates and reports without changing anything.
	DryRun bool
	// Program, when set, is saved in the same transaction before the rooms
	// are checked, so rooms may use tiers the program file introduces.
	Program *program.Program
	// Actor is who applies, for the revisions recorded; the zero Actor is
	// the command line.
	Actor Actor
	// Message is recorded with every revision the apply makes.
	Message string
	// Bases are the published revisions the caller's rooms were exported
	// from, by room name. A room that would change although its published
	// revision moved on since, or that has a draft in the builder, is
	// refused with a *StaleError unless Force is set. Rooms without a base
	// are not checked.
	Bases map[string]int64
	Force bool
}

// Result says what an apply did (or, for a dry run, would do), by room name.
type Result struct {
	Created        []string `json:"created"`
	Changed        []string `json:"changed"`
	Unchanged      []string `json:"unchanged"`
	Deleted        []string `json:"deleted"`
	ProgramChanged bool     `json:"programChanged"`
	// Revisions are the revisions recorded for created and changed rooms,
	// by room name.
	Revisions map[string]int64 `json:"revisions,omitempty"`
}

// Changes counts what changed.
func (r Result) Changes() int {
	n := len(r.Created) + len(r.Changed) + len(r.Deleted)
	if r.ProgramChanged {
		n++
	}
	return n
}

// Apply makes the given rooms exist as given, in one transaction: every
// room is validated first, and on any problem nothing changes and a
// *ValidationError lists them all. Applying the same rooms twice changes
// nothing the second time.
func (s *Service) Apply(ctx context.Context, rooms []Room, opts ApplyOptions) (Result, error) {
	var res Result
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		res, err = apply(ctx, tx, s.types, rooms, opts)
		if err != nil {
			return err
		}
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if err == errDryRun {
		err = nil
	}
	return res, err
}

var errDryRun = fmt.Errorf("dry run")

func apply(ctx context.Context, tx bun.Tx, types Types, rooms []Room, opts ApplyOptions) (Result, error) {
	var res Result
	if opts.Program != nil {
		current, err := program.Load(ctx, tx)
		if err != nil {
			return res, err
		}
		if !slices.Equal(mustJSON(current), mustJSON(*opts.Program)) {
			if err := program.Save(ctx, tx, *opts.Program); err != nil {
				return res, &ValidationError{[]Problem{{Index: -1, Path: "program", Message: err.Error()}}}
			}
			res.ProgramChanged = true
		}
	}
	v, err := newValidator(ctx, tx, types)
	if err != nil {
		return res, err
	}
	var problems []Problem
	incoming := make([]Room, len(rooms))
	index := map[string]int{}
	for i, r := range rooms {
		incoming[i] = v.room(ctx, i, r, &problems)
		index[incoming[i].Name] = i
	}
	existing, err := list(ctx, tx)
	if err != nil {
		return res, err
	}
	current := map[string]Room{}
	for _, r := range existing {
		current[r.Name] = r
	}
	// The state after the apply: incoming rooms replace their namesakes;
	// the rest stay unless pruned. When the program changed, the rooms that
	// stay are checked again, so a tier or stage still in use cannot vanish.
	final := slices.Clone(incoming)
	for _, r := range existing {
		if _, ok := index[r.Name]; !ok && !opts.Prune {
			if res.ProgramChanged {
				var ps []Problem
				v.room(ctx, -1, r, &ps)
				for _, p := range ps {
					p.Path = strings.TrimSuffix(fmt.Sprintf("existing room %q: %s", r.Name, p.Path), ": ")
					problems = append(problems, p)
				}
			}
			final = append(final, r)
		}
	}
	v.set(final, func(name string) int {
		if i, ok := index[name]; ok {
			return i
		}
		return -1
	}, &problems)
	if len(problems) > 0 {
		return res, &ValidationError{Problems: problems}
	}
	// Plan first, then free every slug and room type that moves (pruned
	// rooms, and the partner-type rows of changed rooms) before writing, so
	// two rooms may swap slugs in one apply without tripping the unique
	// indexes halfway.
	var writes []Room
	for _, r := range incoming {
		old, exists := current[r.Name]
		switch {
		case !exists:
			res.Created = append(res.Created, r.Name)
		case equal(old, r):
			res.Unchanged = append(res.Unchanged, r.Name)
			continue
		default:
			res.Changed = append(res.Changed, r.Name)
			r.ID = old.ID
			if _, err := tx.NewDelete().Model((*partnerTypeRow)(nil)).Where("room_id = ?", r.ID).Exec(ctx); err != nil {
				return res, fmt.Errorf("update room %q: %w", r.Name, err)
			}
		}
		writes = append(writes, r)
	}
	if !opts.Force {
		for _, r := range writes {
			base, ok := opts.Bases[r.Name]
			if !ok {
				continue
			}
			st, err := state(ctx, tx, r.Name)
			if err != nil {
				return res, err
			}
			if st.current() != base {
				return res, stalePublished(r.Name, base, st.revision, st.published != nil)
			}
			if st.draft != nil {
				e := staleDraft(r.Name, st.draft)
				e.See = "Publish or discard the draft in the room builder first, or apply with --force (force: true) and leave the draft to be looked at again."
				return res, e
			}
		}
	}
	if opts.Prune {
		for _, r := range existing {
			if _, ok := index[r.Name]; ok {
				continue
			}
			if err := remove(ctx, tx, r.Name); err != nil {
				return res, err
			}
			res.Deleted = append(res.Deleted, r.Name)
		}
	}
	now := time.Now().UTC()
	for _, r := range writes {
		if err := save(ctx, tx, r, now); err != nil {
			return res, err
		}
		n, err := record(ctx, tx, r, opts.Actor, opts.Message, now)
		if err != nil {
			return res, err
		}
		if res.Revisions == nil {
			res.Revisions = map[string]int64{}
		}
		res.Revisions[r.Name] = n
	}
	if len(res.Created)+len(res.Changed)+len(res.Deleted) > 0 {
		if err := revision.Bump(ctx, tx, revision.Rooms); err != nil {
			return res, err
		}
	}
	return res, nil
}

// save inserts a new room (ID 0) or rewrites an existing one in place, so a
// room keeps its id (engagement and other records refer to it) while its
// partner types and blocks are replaced.
func save(ctx context.Context, tx bun.Tx, r Room, now time.Time) error {
	row := roomRow{ID: r.ID, Name: r.Name, Slug: r.Slug, Title: r.Title, Icon: r.Icon, Type: r.Type, Position: r.Position,
		Audience: string(mustJSON(r.Audience)), CreatedAt: now, UpdatedAt: now}
	if len(r.Titles) > 0 {
		row.Titles = string(mustJSON(r.Titles))
	}
	if row.ID == 0 {
		if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store room %q: %w", r.Name, err)
		}
	} else {
		if _, err := tx.NewUpdate().Model(&row).WherePK().ExcludeColumn("created_at").Exec(ctx); err != nil {
			return fmt.Errorf("update room %q: %w", r.Name, err)
		}
		for _, m := range []any{(*partnerTypeRow)(nil), (*blockRow)(nil)} {
			if _, err := tx.NewDelete().Model(m).Where("room_id = ?", row.ID).Exec(ctx); err != nil {
				return fmt.Errorf("update room %q: %w", r.Name, err)
			}
		}
	}
	pts := make([]partnerTypeRow, len(r.PartnerTypes))
	for i, pt := range r.PartnerTypes {
		pts[i] = partnerTypeRow{RoomID: row.ID, PartnerType: pt, Slug: r.Slug, RoomType: r.Type}
	}
	if len(pts) > 0 {
		if _, err := tx.NewInsert().Model(&pts).Exec(ctx); err != nil {
			return fmt.Errorf("store room %q partner types: %w", r.Name, err)
		}
	}
	if len(r.Blocks) == 0 {
		return nil
	}
	blocks := make([]blockRow, len(r.Blocks))
	for i, b := range r.Blocks {
		cfg := string(b.Config)
		if cfg == "" {
			cfg = "{}"
		}
		blocks[i] = blockRow{RoomID: row.ID, Key: b.ID, Position: i, Type: b.Type, Config: cfg,
			SchemaVersion: b.SchemaVersion, Audience: string(mustJSON(b.Audience))}
	}
	if _, err := tx.NewInsert().Model(&blocks).Exec(ctx); err != nil {
		return fmt.Errorf("store room %q blocks: %w", r.Name, err)
	}
	return nil
}

// Deletion says what deleting a room removes, so a person can confirm it
// knowingly: the published room (partners lose it at the next reload), the
// draft (someone's unpublished work), and the revisions that stay.
type Deletion struct {
	Room          string `json:"room"`
	Published     bool   `json:"published"`
	DraftVersion  int64  `json:"draftVersion,omitempty"`
	DraftBy       string `json:"draftBy,omitempty"`
	RevisionsKept int64  `json:"revisionsKept"`
}

// String is the deletion in a sentence.
func (d Deletion) String() string {
	var parts []string
	if d.Published {
		parts = append(parts, fmt.Sprintf("the published room %s (partners lose it within seconds)", d.Room))
	}
	if d.DraftVersion > 0 {
		parts = append(parts, fmt.Sprintf("draft version %d by %s", d.DraftVersion, d.DraftBy))
	}
	out := "Deletes " + strings.Join(parts, " and ") + "."
	switch {
	case d.RevisionsKept == 1:
		out += " Its revision stays, and a rollback can bring it back."
	case d.RevisionsKept > 1:
		out += fmt.Sprintf(" Its %d revisions stay, and a rollback can bring it back.", d.RevisionsKept)
	}
	return out
}

// Deletion describes what Delete would remove now.
func (s *Service) Deletion(ctx context.Context, name string) (Deletion, error) {
	return deletion(ctx, s.db, name)
}

func deletion(ctx context.Context, db bun.IDB, name string) (Deletion, error) {
	st, err := state(ctx, db, name)
	if err != nil {
		return Deletion{}, err
	}
	if st.published == nil && st.draft == nil {
		return Deletion{}, fail.NotFoundf("Room %q not found.", name)
	}
	d := Deletion{Room: name, Published: st.published != nil, RevisionsKept: st.revision.Number}
	if st.draft != nil {
		d.DraftVersion, d.DraftBy = st.draft.Version, st.draft.UpdatedByName
	}
	return d, nil
}

// Delete removes a room: the published room (partners stop seeing it at
// the next reload) and its draft, and returns what it removed (see
// Deletion). A room that exists only as a draft loses the draft. Its
// revisions stay, so the room's history can still be read and a rollback
// can bring it back.
func (s *Service) Delete(ctx context.Context, name string) (Deletion, error) {
	var out Deletion
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if out, err = deletion(ctx, tx, name); err != nil {
			return err
		}
		if err := remove(ctx, tx, name); err != nil {
			return err
		}
		if !out.Published {
			return nil
		}
		return revision.Bump(ctx, tx, revision.Rooms)
	})
	return out, err
}

// remove deletes a room and its draft (its blocks and partner types go
// with it); the caller bumps the rooms revision.
func remove(ctx context.Context, tx bun.Tx, name string) error {
	if _, err := tx.NewDelete().Model((*roomRow)(nil)).Where("name = ?", name).Exec(ctx); err != nil {
		return fmt.Errorf("delete room %q: %w", name, err)
	}
	if _, err := tx.NewDelete().Model((*draftRow)(nil)).Where("name = ?", name).Exec(ctx); err != nil {
		return fmt.Errorf("delete draft of room %q: %w", name, err)
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only plain data types reach here
	}
	return b
}

// Types returns the block and room types the service validates with.
func (s *Service) Types() Types { return s.types }
