// Package catalog keeps the current program and rooms in memory for the web
// layer, so serving a room costs no database query for its definition. It
// polls the revision counters (one tiny query) and reloads when a writer —
// this process, the CLI on the same data folder, or another portal process
// on the same PostgreSQL — changed something.
package catalog

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/revision"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Snapshot is an immutable view of the program and rooms at one revision.
type Snapshot struct {
	Program  program.Program
	Rooms    []*room.Room // navigation order: position, then title
	Revision map[string]int64
	bySlug   map[string]map[string]*room.Room // partner type -> slug -> room
	byName   map[string]*room.Room
}

func newSnapshot(p program.Program, rooms []room.Room, rev map[string]int64) *Snapshot {
	s := &Snapshot{Program: p, Revision: rev, bySlug: map[string]map[string]*room.Room{}, byName: map[string]*room.Room{}}
	for i := range rooms {
		r := &rooms[i]
		s.Rooms = append(s.Rooms, r)
		s.byName[r.Name] = r
		for _, pt := range r.PartnerTypes {
			if s.bySlug[pt] == nil {
				s.bySlug[pt] = map[string]*room.Room{}
			}
			s.bySlug[pt][r.Slug] = r
		}
	}
	slices.SortStableFunc(s.Rooms, func(a, b *room.Room) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.Title, b.Title))
	})
	return s
}

// Room returns the room a partner of the given type finds at slug.
func (s *Snapshot) Room(partnerType, slug string) (*room.Room, bool) {
	r, ok := s.bySlug[partnerType][slug]
	return r, ok
}

// ByName returns a room by its name.
func (s *Snapshot) ByName(name string) (*room.Room, bool) {
	r, ok := s.byName[name]
	return r, ok
}

// Visible returns the room at slug if the viewer may see it: it serves their
// partner type and its audience admits them.
func (s *Snapshot) Visible(v sdk.Viewer, slug string) (*room.Room, bool) {
	if v.Partner == nil {
		return nil, false
	}
	r, ok := s.Room(v.Partner.Type, slug)
	if !ok || !audience.Admits(r.Audience, v, s.Program) {
		return nil, false
	}
	return r, true
}

// Nav lists the rooms the viewer may see, in navigation order.
func (s *Snapshot) Nav(v sdk.Viewer) []*room.Room {
	if v.Partner == nil {
		return nil
	}
	var out []*room.Room
	for _, r := range s.Rooms {
		if r.Serves(v.Partner.Type) && audience.Admits(r.Audience, v, s.Program) {
			out = append(out, r)
		}
	}
	return out
}

// Catalog hands out the current snapshot and keeps it fresh.
type Catalog struct {
	db     bun.IDB
	log    *slog.Logger
	snap   atomic.Pointer[Snapshot]
	reload sync.Mutex
	// onChange is called after a reload with the new snapshot.
	onChange func(*Snapshot)
}

// New loads the first snapshot.
func New(ctx context.Context, db bun.IDB, log *slog.Logger) (*Catalog, error) {
	c := &Catalog{db: db, log: log}
	if _, err := c.Refresh(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// OnChange registers a function called after every reload (to drop caches
// that depend on rooms).
func (c *Catalog) OnChange(fn func(*Snapshot)) { c.onChange = fn }

// Current returns the latest snapshot. It never blocks on the database.
func (c *Catalog) Current() *Snapshot { return c.snap.Load() }

// Refresh reloads the snapshot if a revision counter moved, and reports
// whether it did.
func (c *Catalog) Refresh(ctx context.Context) (bool, error) {
	c.reload.Lock()
	defer c.reload.Unlock()
	rev, err := revision.All(ctx, c.db)
	if err != nil {
		return false, err
	}
	if cur := c.snap.Load(); cur != nil && maps.Equal(cur.Revision, rev) {
		return false, nil
	}
	p, err := program.Load(ctx, c.db)
	if err != nil {
		return false, err
	}
	rooms, err := room.List(ctx, c.db)
	if err != nil {
		return false, fmt.Errorf("load rooms: %w", err)
	}
	s := newSnapshot(p, rooms, rev)
	c.snap.Store(s)
	if c.onChange != nil {
		c.onChange(s)
	}
	return true, nil
}

// Watch refreshes every interval until ctx ends. A failed poll is logged and
// retried; the last good snapshot keeps serving.
func (c *Catalog) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			changed, err := c.Refresh(ctx)
			if err != nil && ctx.Err() == nil {
				c.log.Warn("catalog refresh failed", "err", err)
			}
			if changed {
				c.log.Info("rooms or program changed; reloaded", "revisions", c.Current().Revision)
			}
		}
	}
}
