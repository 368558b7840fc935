package engagement

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/atriumhq/atrium/core/store"
	"github.com/uptrace/bun"
)

// JobOptions tune the [Job]. The zero value is sensible.
type JobOptions struct {
	// Location is the reporting time zone: the rollups' days are its days.
	// Reports must use the same one. Default UTC.
	Location *time.Location
	// Lateness is how long the job waits before it folds an event, so
	// events that arrive out of order by up to this much still land in the
	// right session (default 5m). It must exceed the recorder's MaxDelay
	// plus the time a write takes.
	Lateness time.Duration
	// Interval is how often Run looks for new events (default 15s).
	Interval time.Duration
	// ChunkSize is how many events one transaction folds (default 50000).
	ChunkSize int
	// Retention deletes raw events (and sessions) older than this; rollups
	// are kept. Zero keeps raw events forever.
	Retention time.Duration
	// LeaseTTL is how long the lease outlives a holder that stopped
	// renewing it, e.g. a crashed process (default 2m).
	LeaseTTL time.Duration
	Logger   *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// StepResult says what one Step did.
type StepResult struct {
	// Leader is false when another process holds the lease; nothing was done.
	Leader bool
	// Events is how many events were folded into sessions and rollups.
	Events int
	// Pruned is how many raw events retention deleted.
	Pruned int
}

// RebuildOptions tune [Job.Rebuild].
type RebuildOptions struct {
	// Force rebuilds even though retention has deleted old raw events, whose
	// history the rebuild then loses.
	Force bool
	// Progress, when set, is called after every chunk with the events
	// folded so far and the total to fold.
	Progress func(done, total int)
}

// ErrBusy is returned by Rebuild when another process holds the job.
var ErrBusy = errors.New("engagement: another portal process is running the rollup job; try again when it stops")

// ErrZoneChanged means the rollups were built in another reporting zone.
var ErrZoneChanged = errors.New("engagement: the reporting time zone changed")

const jobName = "rollup"

// Job folds new events into sessions and rollups, and applies retention. Run
// it in every portal process: a lease row in the database lets one process
// at a time do the work, and another takes over within LeaseTTL when that
// one stops.
type Job struct {
	db     *bun.DB
	opts   JobOptions
	pg     bool
	holder string

	mu sync.Mutex // one Step or Rebuild at a time
	st *state     // nil until loaded, and whenever it may differ from the database
}

// NewJob returns the rollup job for db.
func NewJob(db *bun.DB, opts JobOptions) *Job {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Lateness <= 0 {
		opts.Lateness = 5 * time.Minute
	}
	if opts.Interval <= 0 {
		opts.Interval = 15 * time.Second
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 50000
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = 2 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	b := make([]byte, 8)
	rand.Read(b)
	return &Job{db: db, opts: opts, pg: store.IsPostgres(db), holder: hex.EncodeToString(b)}
}

// Run steps every Interval until ctx ends, then hands the lease back so
// another process can take over at once.
func (j *Job) Run(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			j.release()
			return
		case <-t.C:
		}
		if _, err := j.Step(ctx); err != nil && ctx.Err() == nil {
			j.opts.Logger.Error("engagement rollup job", "err", err)
		}
		t.Reset(j.opts.Interval)
	}
}

// Step takes or renews the lease and, when it holds it, folds every event
// older than the lateness window, then applies retention.
func (j *Job) Step(ctx context.Context) (StepResult, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.opts.Now()
	ok, err := j.acquire(ctx, now)
	if err != nil || !ok {
		j.st = nil
		return StepResult{}, err
	}
	res := StepResult{Leader: true}
	row, err := j.loadRow(ctx)
	if err != nil {
		return res, err
	}
	zone := j.opts.Location.String()
	switch row.zone {
	case zone:
	case "":
		if _, err := j.db.DB.ExecContext(ctx, j.q(`UPDATE engagement_jobs SET zone = ? WHERE name = ? AND holder = ?`), zone, jobName, j.holder); err != nil {
			return res, fmt.Errorf("engagement: record reporting zone: %w", err)
		}
	default:
		return res, fmt.Errorf("%w: rollups are in %s, the portal now reports in %s; rebuild them (Job.Rebuild)", ErrZoneChanged, row.zone, zone)
	}
	if err := j.syncTypes(ctx, row); err != nil {
		return res, err
	}
	res.Events, err = j.catchUp(ctx, row, now, nil, 0)
	if err != nil {
		return res, err
	}
	res.Pruned, err = j.prune(ctx, now)
	return res, err
}

// Rebuild deletes every session and rollup and folds all raw events again,
// in the configured reporting zone. Use it after writing history behind the
// job's cursor (the generator does) or after changing the zone.
func (j *Job) Rebuild(ctx context.Context, opts RebuildOptions) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.opts.Now()
	ok, err := j.acquire(ctx, now)
	if err != nil {
		return err
	}
	if !ok {
		return ErrBusy
	}
	row, err := j.loadRow(ctx)
	if err != nil {
		return err
	}
	if row.prunedBefore > 0 && !opts.Force {
		return fmt.Errorf("engagement: retention deleted raw events before %s; a rebuild would lose their history (force it to rebuild anyway)",
			time.UnixMilli(row.prunedBefore).UTC().Format(time.DateOnly))
	}
	j.st = nil
	tx, err := j.db.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	for _, t := range []string{"engagement_sessions", "engagement_members", "engagement_partner_stats", "engagement_group_stats",
		"engagement_partner_types", "engagement_user_stats", "engagement_content_stats", "engagement_content_group_stats",
		"engagement_bitmaps", "engagement_labels", "engagement_partner_totals"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return fmt.Errorf("engagement: rebuild: clear %s: %w", t, err)
		}
	}
	r, err := tx.ExecContext(ctx, j.q(`UPDATE engagement_jobs SET cursor_ms = 0, cursor_id = 0, generation = generation + 1, zone = ?
		WHERE name = ? AND holder = ?`), j.opts.Location.String(), jobName, j.holder)
	if err != nil {
		return fmt.Errorf("engagement: rebuild: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return ErrBusy
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("engagement: rebuild: %w", err)
	}
	row, err = j.loadRow(ctx)
	if err != nil {
		return err
	}
	if err := j.syncTypes(ctx, row); err != nil {
		return err
	}
	total := 0
	if opts.Progress != nil {
		if err := j.db.DB.QueryRowContext(ctx, j.q(`SELECT count(*) FROM engagement_events WHERE at_ms < ?`),
			now.Add(-j.opts.Lateness).UnixMilli()).Scan(&total); err != nil {
			return fmt.Errorf("engagement: rebuild: %w", err)
		}
		opts.Progress(0, total)
	}
	if _, err := j.catchUp(ctx, row, now, opts.Progress, total); err != nil {
		return err
	}
	if j.pg {
		// Fresh statistics for the planner, and a visibility map so the
		// dashboards' reads are index-only scans from the start rather than
		// after autovacuum comes by.
		for _, t := range []string{"engagement_partner_stats", "engagement_group_stats", "engagement_content_stats",
			"engagement_content_group_stats", "engagement_bitmaps", "engagement_members", "engagement_partner_totals"} {
			if _, err := j.db.DB.ExecContext(ctx, "VACUUM ANALYZE "+t); err != nil {
				return fmt.Errorf("engagement: rebuild: vacuum %s: %w", t, err)
			}
		}
	}
	return nil
}

// q turns ? placeholders into PostgreSQL's $n. The job's statements hold
// no literal question marks.
func (j *Job) q(query string) string { return placeholders(query, j.pg) }

func placeholders(query string, pg bool) string {
	if !pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (j *Job) acquire(ctx context.Context, now time.Time) (bool, error) {
	r, err := j.db.DB.ExecContext(ctx, j.q(`UPDATE engagement_jobs SET holder = ?, lease_until_ms = ?
		WHERE name = ? AND (holder = ? OR lease_until_ms < ?)`),
		j.holder, now.Add(j.opts.LeaseTTL).UnixMilli(), jobName, j.holder, now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("engagement: take the job lease: %w", err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

func (j *Job) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	j.db.DB.ExecContext(ctx, j.q(`UPDATE engagement_jobs SET lease_until_ms = 0 WHERE name = ? AND holder = ?`), jobName, j.holder) //nolint:errcheck // the lease expires anyway
}

type jobRow struct {
	cursorMS, cursorID, generation, prunedBefore int64
	zone                                         string
}

func (j *Job) loadRow(ctx context.Context) (jobRow, error) {
	var r jobRow
	err := j.db.DB.QueryRowContext(ctx, j.q(`SELECT cursor_ms, cursor_id, generation, pruned_before_ms, zone FROM engagement_jobs WHERE name = ?`), jobName).
		Scan(&r.cursorMS, &r.cursorID, &r.generation, &r.prunedBefore, &r.zone)
	if err != nil {
		return r, fmt.Errorf("engagement: read job state: %w", err)
	}
	return r, nil
}

// ensureState loads the fold's state unless what is in memory is still the
// database's: nobody moved the cursor or rebuilt since.
func (j *Job) ensureState(ctx context.Context, row jobRow) error {
	if j.st != nil && j.st.cursorMS == row.cursorMS && j.st.cursorID == row.cursorID && j.st.generation == row.generation {
		return nil
	}
	st, err := j.loadState(ctx, row)
	j.st = st
	return err
}

// loadState reads what the fold needs to continue from the cursor: member
// ids, and each user's last session if later events may still extend it.
func (j *Job) loadState(ctx context.Context, row jobRow) (*state, error) {
	st := &state{cursorMS: row.cursorMS, cursorID: row.cursorID, generation: row.generation,
		open: map[int64]*session{}, members: map[memberKey]uint32{}, nextMember: 1, types: map[int64]string{}}
	types, err := j.db.DB.QueryContext(ctx, `SELECT partner_id, type FROM engagement_partner_types`)
	if err != nil {
		return nil, fmt.Errorf("engagement: load partner types: %w", err)
	}
	for types.Next() {
		var id int64
		var t string
		if err := types.Scan(&id, &t); err != nil {
			types.Close()
			return nil, err
		}
		st.types[id] = t
	}
	types.Close()
	rows, err := j.db.DB.QueryContext(ctx, `SELECT id, partner_id, user_id FROM engagement_members`)
	if err != nil {
		return nil, fmt.Errorf("engagement: load members: %w", err)
	}
	for rows.Next() {
		var id uint32
		var k memberKey
		if err := rows.Scan(&id, &k.partner, &k.user); err != nil {
			rows.Close()
			return nil, err
		}
		st.members[k] = id
		st.nextMember = max(st.nextMember, id+1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if st.totals, err = j.loadTotals(ctx); err != nil {
		return nil, err
	}
	clock := newDayClock(j.opts.Location)
	rows, err = j.db.DB.QueryContext(ctx, j.q(`SELECT user_id, start_ms, end_ms, partner_id, page_views, actions
		FROM engagement_sessions WHERE end_ms > ? AND start_ms > ?`), row.cursorMS-idleMS, row.cursorMS-maxMS)
	if err != nil {
		return nil, fmt.Errorf("engagement: load open sessions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s := &session{}
		if err := rows.Scan(&s.user, &s.start, &s.end, &s.partner, &s.pageViews, &s.actions); err != nil {
			return nil, err
		}
		if cur := st.open[s.user]; cur == nil || cur.start < s.start {
			s.startDay = clock.day(s.start)
			st.open[s.user] = s
		}
	}
	return st, rows.Err()
}

// catchUp folds events up to the watermark, chunk by chunk, each chunk in
// one transaction that also moves the cursor.
func (j *Job) catchUp(ctx context.Context, row jobRow, now time.Time, progress func(done, total int), total int) (int, error) {
	if err := j.ensureState(ctx, row); err != nil {
		return 0, err
	}
	watermark := now.Add(-j.opts.Lateness).UnixMilli()
	done := 0
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		evs, err := j.readChunk(ctx, j.st.cursorMS, j.st.cursorID, watermark)
		if err != nil {
			j.st = nil
			return done, err
		}
		if len(evs) == 0 {
			return done, nil
		}
		prevMS, prevID := j.st.cursorMS, j.st.cursorID
		f := newFold(j.st, j.opts.Location)
		for i := range evs {
			f.add(&evs[i])
		}
		j.st.closeIdle()
		if err := j.commit(ctx, f, prevMS, prevID); err != nil {
			j.st = nil
			return done, err
		}
		done += len(evs)
		if progress != nil {
			progress(done, max(total, done))
		}
		if len(evs) < j.opts.ChunkSize {
			return done, nil
		}
	}
}

func (j *Job) readChunk(ctx context.Context, afterMS, afterID, before int64) ([]rawEvent, error) {
	rows, err := j.db.DB.QueryContext(ctx, j.q(`SELECT id, at_ms, user_id, partner_id, kind, name, room_id, room_slug, resource_id
		FROM engagement_events
		WHERE at_ms >= ? AND (at_ms > ? OR id > ?) AND at_ms < ?
		ORDER BY at_ms, id LIMIT ?`), afterMS, afterMS, afterID, before, j.opts.ChunkSize)
	if err != nil {
		return nil, fmt.Errorf("engagement: read events: %w", err)
	}
	defer rows.Close()
	out := make([]rawEvent, 0, min(j.opts.ChunkSize, 4096))
	var partner, room, resource sql.NullInt64
	var kind, name string
	for rows.Next() {
		var e rawEvent
		if err := rows.Scan(&e.id, &e.at, &e.user, &partner, &kind, &name, &room, &e.roomSlug, &resource); err != nil {
			return nil, fmt.Errorf("engagement: read events: %w", err)
		}
		e.partner, e.room, e.resource = partner.Int64, room.Int64, resource.Int64
		e.pageView = kind == string(PageView)
		e.roomPage = e.pageView && name == PageRoom
		out = append(out, e)
	}
	return out, rows.Err()
}

// commit writes one chunk's sessions, members and rollup deltas, and moves
// the cursor, in one transaction that fails unless this job still holds the
// lease and nobody moved the cursor since it was read.
func (j *Job) commit(ctx context.Context, f *fold, prevMS, prevID int64) error {
	bitmaps, err := j.mergeBitmaps(ctx, f.bitmapDeltas())
	if err != nil {
		return err
	}
	tx, err := j.db.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("engagement: fold events: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	fail := func(what string, err error) error { return fmt.Errorf("engagement: write %s: %w", what, err) }

	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_members (id, partner_id, user_id) VALUES `, 3, "",
		len(f.added), func(i int, a []any) []any {
			m := f.added[i]
			return append(a, int64(m.id), m.partner, m.user)
		}); err != nil {
		return fail("members", err)
	}
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_sessions (user_id, start_ms, end_ms, partner_id, page_views, actions) VALUES `, 6,
		` ON CONFLICT (user_id, start_ms) DO UPDATE SET end_ms = excluded.end_ms, page_views = excluded.page_views, actions = excluded.actions`,
		len(f.touched), func(i int, a []any) []any {
			s := f.touched[i]
			return append(a, s.user, s.start, s.end, s.partner, s.pageViews, s.actions)
		}); err != nil {
		return fail("sessions", err)
	}
	prows, grows := f.partnerRows()
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_partner_stats (period, partner_id, sessions, duration_ms, page_views, actions) VALUES `, 6,
		` ON CONFLICT (period, partner_id)`+addStats("engagement_partner_stats"),
		len(prows), func(i int, a []any) []any {
			r := &prows[i]
			return append(a, r.period, r.partner, r.sessions, r.durationMS, r.pageViews, r.actions)
		}); err != nil {
		return fail("partner rollups", err)
	}
	if err := j.writeTotals(ctx, tx, f.partner); err != nil {
		return fail("running totals", err)
	}
	if err := writeGroupStats(ctx, tx, j.pg, grows); err != nil {
		return fail("group rollups", err)
	}
	users := make([]userDay, 0, len(f.user))
	for k := range f.user {
		users = append(users, k)
	}
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_user_stats (user_id, day, partner_id, sessions, duration_ms, page_views, actions) VALUES `, 7,
		` ON CONFLICT (user_id, day, partner_id)`+addStats("engagement_user_stats"),
		len(users), func(i int, a []any) []any {
			k := users[i]
			s := f.user[k]
			return append(a, k.user, k.day, k.partner, s.sessions, s.durationMS, s.pageViews, s.actions)
		}); err != nil {
		return fail("user rollups", err)
	}
	crows, cgrows := f.contentRows()
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_content_stats (partner_id, kind, day, content_id, page_views, actions) VALUES `, 6,
		` ON CONFLICT (partner_id, kind, day, content_id) DO UPDATE SET
			page_views = engagement_content_stats.page_views + excluded.page_views, actions = engagement_content_stats.actions + excluded.actions`,
		len(crows), func(i int, a []any) []any {
			r := &crows[i]
			return append(a, r.partner, r.kind.String(), r.day, r.id, r.pageViews, r.actions)
		}); err != nil {
		return fail("content rollups", err)
	}
	if err := writeContentGroupStats(ctx, tx, j.pg, cgrows); err != nil {
		return fail("content group rollups", err)
	}
	keys := make([]bitmapKey, 0, len(bitmaps))
	for k := range bitmaps {
		keys = append(keys, k)
	}
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_bitmaps (kind, key, period, members) VALUES `, 4,
		` ON CONFLICT (kind, key, period) DO UPDATE SET members = excluded.members`,
		len(keys), func(i int, a []any) []any {
			k := keys[i]
			return append(a, k.kind.String(), k.key, k.period, bitmaps[k])
		}); err != nil {
		return fail("active users", err)
	}
	labels := make([]int64, 0, len(f.labels))
	for id := range f.labels {
		labels = append(labels, id)
	}
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_labels (kind, id, label) VALUES `, 3,
		` ON CONFLICT (kind, id) DO UPDATE SET label = excluded.label`,
		len(labels), func(i int, a []any) []any {
			return append(a, kindRoom.String(), labels[i], f.labels[labels[i]])
		}); err != nil {
		return fail("labels", err)
	}

	r, err := tx.ExecContext(ctx, j.q(`UPDATE engagement_jobs SET cursor_ms = ?, cursor_id = ?, lease_until_ms = ?
		WHERE name = ? AND holder = ? AND cursor_ms = ? AND cursor_id = ? AND generation = ?`),
		j.st.cursorMS, j.st.cursorID, j.opts.Now().Add(j.opts.LeaseTTL).UnixMilli(), jobName, j.holder, prevMS, prevID, j.st.generation)
	if err != nil {
		return fail("job state", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return errors.New("engagement: lost the job lease while folding events; another process continues")
	}
	if err := tx.Commit(); err != nil {
		return fail("chunk", err)
	}
	for _, s := range f.touched {
		s.touched = false
	}
	return nil
}

// mergeBitmaps reads the stored bitmaps the deltas touch and returns each
// union, serialized. Only the lease holder writes bitmaps, and commit
// checks it still is, so reading before the transaction is safe.
func (j *Job) mergeBitmaps(ctx context.Context, deltas map[bitmapKey]*roaring.Bitmap) (map[bitmapKey][]byte, error) {
	type want struct {
		keys    map[int64]bool
		periods map[int32]bool
	}
	byKind := map[contentKind]*want{}
	for k := range deltas {
		w := byKind[k.kind]
		if w == nil {
			w = &want{keys: map[int64]bool{}, periods: map[int32]bool{}}
			byKind[k.kind] = w
		}
		w.keys[k.key], w.periods[k.period] = true, true
	}
	for kind, w := range byKind {
		periods := make([]int32, 0, len(w.periods))
		for p := range w.periods {
			periods = append(periods, p)
		}
		keys := make([]int64, 0, len(w.keys))
		for k := range w.keys {
			keys = append(keys, k)
		}
		for len(keys) > 0 {
			part := keys[:min(len(keys), 500)]
			keys = keys[len(part):]
			rows, err := j.db.QueryContext(ctx, `SELECT key, period, members FROM engagement_bitmaps WHERE kind = ? AND key IN (?) AND period IN (?)`,
				kind.String(), bun.List(part), bun.List(periods))
			if err != nil {
				return nil, fmt.Errorf("engagement: read active users: %w", err)
			}
			for rows.Next() {
				k := bitmapKey{kind: kind}
				var data []byte
				if err := rows.Scan(&k.key, &k.period, &data); err != nil {
					rows.Close()
					return nil, err
				}
				d := deltas[k]
				if d == nil {
					continue
				}
				old := roaring.New()
				if err := old.UnmarshalBinary(data); err != nil {
					rows.Close()
					return nil, fmt.Errorf("engagement: active users %s/%d/%d: %w", kind, k.key, k.period, err)
				}
				d.Or(old)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	out := make(map[bitmapKey][]byte, len(deltas))
	for k, b := range deltas {
		b.RunOptimize()
		data, err := b.ToBytes()
		if err != nil {
			return nil, err
		}
		out[k] = data
	}
	return out, nil
}

// prune deletes raw events and sessions past retention, in slices so the
// write lock is never held for long. It only deletes what is folded and
// can no longer extend a session.
func (j *Job) prune(ctx context.Context, now time.Time) (int, error) {
	if j.opts.Retention <= 0 || j.st == nil {
		return 0, nil
	}
	cutoff := min(now.Add(-j.opts.Retention).UnixMilli(), j.st.cursorMS-maxMS-idleMS)
	total := 0
	for {
		r, err := j.db.DB.ExecContext(ctx, j.q(`DELETE FROM engagement_events WHERE id IN
			(SELECT id FROM engagement_events WHERE at_ms < ? ORDER BY at_ms LIMIT 20000)`), cutoff)
		if err != nil {
			return total, fmt.Errorf("engagement: retention: %w", err)
		}
		n, _ := r.RowsAffected()
		total += int(n)
		if n < 20000 || ctx.Err() != nil {
			break
		}
	}
	if _, err := j.db.DB.ExecContext(ctx, j.q(`DELETE FROM engagement_sessions WHERE end_ms < ?`), cutoff); err != nil {
		return total, fmt.Errorf("engagement: retention: %w", err)
	}
	if total > 0 {
		if _, err := j.db.DB.ExecContext(ctx, j.q(`UPDATE engagement_jobs SET pruned_before_ms = ? WHERE name = ? AND pruned_before_ms < ?`),
			cutoff, jobName, cutoff); err != nil {
			return total, fmt.Errorf("engagement: retention: %w", err)
		}
	}
	return total, nil
}

// upsert writes n rows with one multi-row statement per slice of rows.
func upsert(ctx context.Context, tx *sql.Tx, pg bool, head string, cols int, tail string, n int, row func(i int, args []any) []any) error {
	if n == 0 {
		return nil
	}
	b := newBatch(tx, pg, head, cols, tail)
	defer b.close()
	for i := range n {
		b.args = row(i, b.args)
		if err := b.rowDone(ctx); err != nil {
			return err
		}
	}
	return b.flush(ctx)
}

func addStats(t string) string {
	return ` DO UPDATE SET sessions = ` + t + `.sessions + excluded.sessions, duration_ms = ` + t + `.duration_ms + excluded.duration_ms,
		page_views = ` + t + `.page_views + excluded.page_views, actions = ` + t + `.actions + excluded.actions`
}

func writeGroupStats(ctx context.Context, tx *sql.Tx, pg bool, rows []groupRow) error {
	return upsert(ctx, tx, pg, `INSERT INTO engagement_group_stats (grp, period, sessions, duration_ms, page_views, actions) VALUES `, 6,
		` ON CONFLICT (grp, period)`+addStats("engagement_group_stats"),
		len(rows), func(i int, a []any) []any {
			r := &rows[i]
			return append(a, r.grp, r.period, r.sessions, r.durationMS, r.pageViews, r.actions)
		})
}

func writeContentGroupStats(ctx context.Context, tx *sql.Tx, pg bool, rows []contentGroupRow) error {
	return upsert(ctx, tx, pg, `INSERT INTO engagement_content_group_stats (kind, grp, period, content_id, page_views, actions) VALUES `, 6,
		` ON CONFLICT (kind, grp, period, content_id) DO UPDATE SET
			page_views = engagement_content_group_stats.page_views + excluded.page_views,
			actions = engagement_content_group_stats.actions + excluded.actions`,
		len(rows), func(i int, a []any) []any {
			r := &rows[i]
			return append(a, r.kind.String(), r.grp, r.period, r.id, r.pageViews, r.actions)
		})
}

// syncTypes regroups the rollups of partners whose type changed in the
// directory (or who appeared in it): their history moves from the old
// type's group rows to the new one's, so a filter on partner types counts
// each partner under its current type.
func (j *Job) syncTypes(ctx context.Context, row jobRow) error {
	if err := j.ensureState(ctx, row); err != nil {
		return err
	}
	rows, err := j.db.DB.QueryContext(ctx, `SELECT id, type FROM partners`)
	if err != nil {
		return fmt.Errorf("engagement: read partner types: %w", err)
	}
	current := map[int64]string{}
	var changed []int64
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			rows.Close()
			return err
		}
		if old, ok := j.st.types[id]; !ok || old != t {
			current[id] = t
			changed = append(changed, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(changed) == 0 {
		return err
	}
	if err := j.moveGroups(ctx, changed, current); err != nil {
		j.st = nil
		return err
	}
	for _, id := range changed {
		j.st.types[id] = current[id]
	}
	return nil
}

func (j *Job) moveGroups(ctx context.Context, ids []int64, to map[int64]string) error {
	tx, err := j.db.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("engagement: regroup partners: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	groups := map[groupKey]*stat{}
	content := map[contentGroupKey]*stat{}
	move := func(partner int64, apply func(grp string, sign int64)) {
		if old := j.st.types[partner]; old != to[partner] {
			apply(old, -1)
			apply(to[partner], 1)
		}
	}
	for lo := 0; lo < len(ids); lo += 500 {
		part := ids[lo:min(len(ids), lo+500)]
		in := inList(part)
		rows, err := tx.QueryContext(ctx, `SELECT partner_id, period, sessions, duration_ms, page_views, actions
			FROM engagement_partner_stats WHERE partner_id IN (`+in+`)`)
		if err != nil {
			return fmt.Errorf("engagement: regroup partners: %w", err)
		}
		for rows.Next() {
			var p int64
			var period int32
			var s stat
			if err := rows.Scan(&p, &period, &s.sessions, &s.durationMS, &s.pageViews, &s.actions); err != nil {
				rows.Close()
				return err
			}
			move(p, func(grp string, sign int64) {
				statOf(groups, groupKey{grp, period}).add(stat{sign * s.sessions, sign * s.durationMS, sign * s.pageViews, sign * s.actions})
			})
		}
		rows.Close()
		rows, err = tx.QueryContext(ctx, `SELECT partner_id, kind, day, content_id, page_views, actions
			FROM engagement_content_stats WHERE partner_id IN (`+in+`)`)
		if err != nil {
			return fmt.Errorf("engagement: regroup partners: %w", err)
		}
		for rows.Next() {
			var p, id int64
			var kind string
			var day int32
			var s stat
			if err := rows.Scan(&p, &kind, &day, &id, &s.pageViews, &s.actions); err != nil {
				rows.Close()
				return err
			}
			k := kindRoom
			if kind == kindResource.String() {
				k = kindResource
			}
			move(p, func(grp string, sign int64) {
				for _, period := range periodsOfDay(day) {
					statOf(content, contentGroupKey{k, grp, period, id}).add(stat{pageViews: sign * s.pageViews, actions: sign * s.actions})
				}
			})
		}
		rows.Close()
	}
	if err := writeGroupStats(ctx, tx, j.pg, groupRows(groups)); err != nil {
		return fmt.Errorf("engagement: regroup partners: %w", err)
	}
	if err := writeContentGroupStats(ctx, tx, j.pg, contentGroupRows(content)); err != nil {
		return fmt.Errorf("engagement: regroup partners: %w", err)
	}
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_partner_types (partner_id, type) VALUES `, 2,
		` ON CONFLICT (partner_id) DO UPDATE SET type = excluded.type`,
		len(ids), func(i int, a []any) []any { return append(a, ids[i], to[ids[i]]) }); err != nil {
		return fmt.Errorf("engagement: regroup partners: %w", err)
	}
	r, err := tx.ExecContext(ctx, j.q(`UPDATE engagement_jobs SET lease_until_ms = ? WHERE name = ? AND holder = ? AND generation = ?`),
		j.opts.Now().Add(j.opts.LeaseTTL).UnixMilli(), jobName, j.holder, j.st.generation)
	if err != nil {
		return fmt.Errorf("engagement: regroup partners: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return errors.New("engagement: lost the job lease while regrouping partners")
	}
	return tx.Commit()
}

// inList formats ids for an IN clause.
func inList(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}
