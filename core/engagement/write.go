package engagement

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
)

var eventColumns = []string{"at_ms", "user_id", "partner_id", "kind", "name", "room_id", "room_slug", "block_id", "resource_id", "path", "meta"}

// writeEvents appends events to the log in one transaction: COPY on
// PostgreSQL, prepared multi-row INSERTs on SQLite. It is the one write path
// for the recorder and the generator. Events must already be valid.
func writeEvents(ctx context.Context, db *bun.DB, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	if store.IsPostgres(db) {
		return copyEvents(ctx, db, evs)
	}
	return insertEvents(ctx, db.DB, evs)
}

func eventRow(ev *Event, dst []any) []any {
	return append(dst, ev.At.UnixMilli(), ev.UserID, nullID(ev.PartnerID), string(ev.Kind), ev.Name,
		nullID(ev.RoomID), ev.RoomSlug, ev.BlockID, nullID(ev.ResourceID), ev.Path, nullMeta(ev.Meta))
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullMeta(m []byte) any {
	if len(m) == 0 {
		return nil
	}
	return string(m)
}

func copyEvents(ctx context.Context, db *bun.DB, evs []Event) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		row := make([]any, 0, len(eventColumns))
		_, err := pc.CopyFrom(ctx, pgx.Identifier{"engagement_events"}, eventColumns,
			pgx.CopyFromSlice(len(evs), func(i int) ([]any, error) {
				row = eventRow(&evs[i], row[:0])
				return row, nil
			}))
		return err
	})
	if err != nil {
		return fmt.Errorf("write %d events: %w", len(evs), err)
	}
	return nil
}

// insertEvents writes with one prepared statement of many rows, reused for
// every full slice of the batch: SQLite parses it once per transaction.
func insertEvents(ctx context.Context, db *sql.DB, evs []Event) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	b := newBatch(tx, false, "INSERT INTO engagement_events ("+strings.Join(eventColumns, ", ")+") VALUES ", len(eventColumns), "")
	defer b.close()
	for i := range evs {
		b.args = eventRow(&evs[i], b.args)
		if err := b.rowDone(ctx); err != nil {
			return fmt.Errorf("write events: %w", err)
		}
	}
	if err := b.flush(ctx); err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	return nil
}

// batch accumulates rows for one multi-row statement (an INSERT, perhaps
// with ON CONFLICT) and executes it in slices of perStmt rows with a
// prepared statement, so the database parses it once.
type batch struct {
	tx        *sql.Tx
	pg        bool
	head, end string
	cols      int
	perStmt   int
	rows      int
	args      []any
	full      *sql.Stmt
}

func newBatch(tx *sql.Tx, pg bool, head string, cols int, end string) *batch {
	per := min(500, 30000/cols)
	return &batch{tx: tx, pg: pg, head: head, end: end, cols: cols, perStmt: per, args: make([]any, 0, per*cols)}
}

// rowDone is called after appending one row's values to args.
func (b *batch) rowDone(ctx context.Context) error {
	b.rows++
	if b.rows < b.perStmt {
		return nil
	}
	if b.full == nil {
		st, err := b.tx.PrepareContext(ctx, b.sql(b.perStmt))
		if err != nil {
			return err
		}
		b.full = st
	}
	if _, err := b.full.ExecContext(ctx, b.args...); err != nil {
		return err
	}
	b.rows, b.args = 0, b.args[:0]
	return nil
}

// flush writes the rows left over.
func (b *batch) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.sql(b.rows), b.args...)
	b.rows, b.args = 0, b.args[:0]
	return err
}

func (b *batch) close() {
	if b.full != nil {
		b.full.Close()
	}
}

func (b *batch) sql(rows int) string {
	var s strings.Builder
	s.Grow(len(b.head) + len(b.end) + rows*b.cols*5)
	s.WriteString(b.head)
	n := 1
	for r := range rows {
		if r > 0 {
			s.WriteByte(',')
		}
		s.WriteByte('(')
		for c := range b.cols {
			if c > 0 {
				s.WriteByte(',')
			}
			if b.pg {
				s.WriteByte('$')
				s.WriteString(strconv.Itoa(n))
				n++
			} else {
				s.WriteByte('?')
			}
		}
		s.WriteByte(')')
	}
	s.WriteString(b.end)
	return s.String()
}
