// Package pluginstore implements the host API's plugin storage
// (sdk/storage): key/value entries and records that belong to one plugin and,
// when asked, to the viewer's partner. The plugin id comes from the caller,
// never from the request, so a plugin cannot read another's data, and the
// partner is always the viewer's own.
package pluginstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/atriumhq/atrium/core/reach"
	"regexp"
	"time"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/storage"
	"github.com/uptrace/bun"
)

type kvRow struct {
	bun.BaseModel `bun:"table:plugin_kv"`
	Plugin        string    `bun:"plugin,pk"`
	PartnerID     int64     `bun:"partner_id,pk"`
	Key           string    `bun:"key,pk"`
	Value         string    `bun:"value"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type recordRow struct {
	bun.BaseModel `bun:"table:plugin_records"`
	ID            int64     `bun:"id,pk,autoincrement"`
	Plugin        string    `bun:"plugin"`
	Collection    string    `bun:"collection"`
	PartnerID     int64     `bun:"partner_id"`
	UserID        int64     `bun:"user_id"`
	Data          string    `bun:"data"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func (r recordRow) sdk() storage.Record {
	return storage.Record{ID: r.ID, Collection: r.Collection, PartnerID: r.PartnerID, UserID: r.UserID,
		Data: json.RawMessage(r.Data), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

var collectionRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// Register adds the storage calls to f.
func Register(f *host.Factory, db bun.IDB) {
	s := &store{db: db, reach: reach.New(db)}
	host.Handle(f, storage.Get, s.get)
	host.Handle(f, storage.Put, s.put)
	host.Handle(f, storage.Delete, s.delete)
	host.Handle(f, storage.Add, s.add)
	host.Handle(f, storage.Update, s.update)
	host.Handle(f, storage.List, s.list)
}

type store struct {
	db    bun.IDB
	reach *reach.Resolver
}

// partner returns the partner a scoped call uses: the viewer's own, when
// the reach lets them read it (write: change it). A preview of a partner
// uses the reach of the staff member behind it; a preview with no staff
// behind it, a deactivated or a stale viewer reaches nobody.
func (s *store) partner(ctx context.Context, c host.Caller, scoped, write bool) (int64, error) {
	if !scoped {
		return 0, nil
	}
	id := c.Viewer.PartnerID()
	if id == 0 {
		return 0, sdk.InvalidInput("partner-scoped storage needs a viewer who belongs to a partner", map[string]string{"partner": "the viewer has no partner"})
	}
	rc, err := s.reachOf(ctx, c)
	if err != nil {
		return 0, err
	}
	if !rc.CanRead(id) || (write && !rc.CanWrite(id)) {
		return 0, sdk.ErrNotFound
	}
	return id, nil
}

func checkKey(k string) error {
	if k == "" || len(k) > 200 {
		return sdk.InvalidInput("bad key", map[string]string{"key": "must be 1 to 200 characters"})
	}
	return nil
}

func checkJSON(field string, v json.RawMessage) error {
	switch {
	case len(v) > storage.MaxValueBytes:
		return sdk.InvalidInput("value too large", map[string]string{field: fmt.Sprintf("must be at most %d KiB", storage.MaxValueBytes>>10)})
	case !json.Valid(v):
		return sdk.InvalidInput("value is not JSON", map[string]string{field: "must be valid JSON"})
	}
	return nil
}

func (s *store) get(ctx context.Context, c host.Caller, r storage.GetRequest) (storage.Entry, error) {
	if err := checkKey(r.Key); err != nil {
		return storage.Entry{}, err
	}
	pid, err := s.partner(ctx, c, r.Partner, false)
	if err != nil {
		return storage.Entry{}, err
	}
	var row kvRow
	err = s.db.NewSelect().Model(&row).Where("plugin = ? AND partner_id = ? AND key = ?", c.Plugin, pid, r.Key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Entry{Key: r.Key}, nil
	}
	if err != nil {
		return storage.Entry{}, fmt.Errorf("plugin storage: get %s: %w", r.Key, err)
	}
	return storage.Entry{Key: r.Key, Value: json.RawMessage(row.Value), Found: true, UpdatedAt: row.UpdatedAt}, nil
}

func (s *store) put(ctx context.Context, c host.Caller, r storage.PutRequest) (storage.Entry, error) {
	if err := checkKey(r.Key); err != nil {
		return storage.Entry{}, err
	}
	if err := checkJSON("value", r.Value); err != nil {
		return storage.Entry{}, err
	}
	pid, err := s.partner(ctx, c, r.Partner, true)
	if err != nil {
		return storage.Entry{}, err
	}
	row := kvRow{Plugin: c.Plugin, PartnerID: pid, Key: r.Key, Value: string(r.Value), UpdatedAt: time.Now().UTC()}
	_, err = s.db.NewInsert().Model(&row).
		On("CONFLICT (plugin, partner_id, key) DO UPDATE").
		Set("value = EXCLUDED.value, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return storage.Entry{}, fmt.Errorf("plugin storage: put %s: %w", r.Key, err)
	}
	return storage.Entry{Key: r.Key, Value: r.Value, Found: true, UpdatedAt: row.UpdatedAt}, nil
}

func (s *store) delete(ctx context.Context, c host.Caller, r storage.GetRequest) (storage.Entry, error) {
	if err := checkKey(r.Key); err != nil {
		return storage.Entry{}, err
	}
	pid, err := s.partner(ctx, c, r.Partner, true)
	if err != nil {
		return storage.Entry{}, err
	}
	_, err = s.db.NewDelete().Model((*kvRow)(nil)).Where("plugin = ? AND partner_id = ? AND key = ?", c.Plugin, pid, r.Key).Exec(ctx)
	if err != nil {
		return storage.Entry{}, fmt.Errorf("plugin storage: delete %s: %w", r.Key, err)
	}
	return storage.Entry{Key: r.Key}, nil
}

func checkCollection(name string) error {
	if !collectionRE.MatchString(name) {
		return sdk.InvalidInput("bad collection", map[string]string{"collection": "must be a lowercase word (answers)"})
	}
	return nil
}

func (s *store) add(ctx context.Context, c host.Caller, r storage.AddRequest) (storage.Record, error) {
	if err := checkCollection(r.Collection); err != nil {
		return storage.Record{}, err
	}
	if err := checkJSON("data", r.Data); err != nil {
		return storage.Record{}, err
	}
	pid, err := s.partner(ctx, c, r.Partner, true)
	if err != nil {
		return storage.Record{}, err
	}
	now := time.Now().UTC()
	row := recordRow{Plugin: c.Plugin, Collection: r.Collection, PartnerID: pid, UserID: c.Viewer.UserID,
		Data: string(r.Data), CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return storage.Record{}, fmt.Errorf("plugin storage: add to %s: %w", r.Collection, err)
	}
	return row.sdk(), nil
}

// reachOf is whose records the viewer reaches through a plugin, from the
// one rule in core/reach. A preview's viewer wears the audience's role; the
// person behind it is the staff user, whose own reach applies — and a
// preview with anyone else behind it reaches nobody.
func (s *store) reachOf(ctx context.Context, c host.Caller) (reach.Reach, error) {
	if !c.Viewer.Preview {
		rc, err := s.reach.For(ctx, c.Viewer)
		if err != nil {
			return reach.Reach{}, fmt.Errorf("plugin storage: %w", err)
		}
		return rc, nil
	}
	rc, err := s.reach.ForUser(ctx, c.Viewer.UserID)
	if err != nil {
		return reach.Reach{}, fmt.Errorf("plugin storage: %w", err)
	}
	if !rc.IsStaff() {
		return reach.Reach{}, nil
	}
	return rc, nil
}

// within narrows q to plugin-wide records and those of ids; a viewer who
// reaches nobody, and is not staff, gets nothing at all.
func within(q *bun.SelectQuery, rc reach.Reach, ids []int64) *bun.SelectQuery {
	switch {
	case rc.Everyone():
		return q
	case rc.None() && !rc.IsStaff():
		return q.Where("1 = 0")
	}
	return q.Where("partner_id IN (?)", bun.List(append([]int64{0}, ids...)))
}

// changeable limits records to those the viewer may change through the
// plugin: plugin-wide ones, and those of the partners the reach lets them
// change. A preview changes what the partner it shows could.
func (s *store) changeable(ctx context.Context, q *bun.SelectQuery, c host.Caller) (*bun.SelectQuery, error) {
	rc, err := s.reachOf(ctx, c)
	if err != nil {
		return nil, err
	}
	if c.Viewer.Preview {
		if id := c.Viewer.PartnerID(); rc.CanWrite(id) {
			return q.Where("partner_id IN (0, ?)", id), nil
		}
		return within(q, reach.Reach{}, nil), nil
	}
	return within(q, rc, rc.WriteIDs()), nil
}

func (s *store) update(ctx context.Context, c host.Caller, r storage.UpdateRequest) (storage.Record, error) {
	if err := checkCollection(r.Collection); err != nil {
		return storage.Record{}, err
	}
	if err := checkJSON("data", r.Data); err != nil {
		return storage.Record{}, err
	}
	var row recordRow
	q := s.db.NewSelect().Model(&row).Where("plugin = ? AND collection = ? AND id = ?", c.Plugin, r.Collection, r.ID)
	q, err := s.changeable(ctx, q, c)
	if err != nil {
		return storage.Record{}, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return storage.Record{}, sdk.ErrNotFound
		}
		return storage.Record{}, fmt.Errorf("plugin storage: update %s/%d: %w", r.Collection, r.ID, err)
	}
	row.Data, row.UpdatedAt = string(r.Data), time.Now().UTC()
	if _, err := s.db.NewUpdate().Model(&row).Column("data", "updated_at").WherePK().Exec(ctx); err != nil {
		return storage.Record{}, fmt.Errorf("plugin storage: update %s/%d: %w", r.Collection, r.ID, err)
	}
	return row.sdk(), nil
}

func (s *store) list(ctx context.Context, c host.Caller, r storage.ListRequest) (storage.RecordPage, error) {
	if err := checkCollection(r.Collection); err != nil {
		return storage.RecordPage{}, err
	}
	// AllPartners lists every partner's records the viewer reaches: staff
	// theirs (a preview is staff looking at a room as a partner would, so
	// it reads across the staff member's partners: a survey block shows
	// staff its score in the preview), a partner's users their own
	// partner's and a distributor's its sub-partners'.
	var rc reach.Reach
	if r.AllPartners {
		var err error
		if rc, err = s.reachOf(ctx, c); err != nil {
			return storage.RecordPage{}, err
		}
	}
	limit := r.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	var rows []recordRow
	q := s.db.NewSelect().Model(&rows).Where("plugin = ? AND collection = ?", c.Plugin, r.Collection)
	switch {
	case r.AllPartners:
		q = within(q, rc, rc.IDs())
	case r.Partner:
		pid, err := s.partner(ctx, c, true, false)
		if err != nil {
			return storage.RecordPage{}, err
		}
		q = q.Where("partner_id = ?", pid)
	default:
		q = q.Where("partner_id = 0")
	}
	if r.Before > 0 {
		q = q.Where("id < ?", r.Before)
	}
	// One more than the page tells whether another page follows.
	if err := q.OrderExpr("id DESC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return storage.RecordPage{}, fmt.Errorf("plugin storage: list %s: %w", r.Collection, err)
	}
	var out storage.RecordPage
	if len(rows) > limit {
		rows = rows[:limit]
		out.Next = rows[limit-1].ID
	}
	out.Records = make([]storage.Record, len(rows))
	for i, row := range rows {
		out.Records[i] = row.sdk()
	}
	return out, nil
}
