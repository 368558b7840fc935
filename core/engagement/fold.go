package engagement

import (
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// The session rules. A session ends after SessionIdle without an event or
// once it has lasted SessionMax, whichever comes first:
//
//   - an event whose gap to the previous event of the user is SessionIdle or
//     more (30:00 exactly included) starts a new session;
//   - an event SessionMax or more after the session's first event starts a
//     new session, so a session's length (first to last event) is always
//     under four hours;
//   - an event for a different partner than the session's (the user moved)
//     starts a new session, so every session belongs to one partner.
//
// A session counts on the day of its first event; its duration is the time
// from its first to its last event (0 for a single event).
const (
	SessionIdle = 30 * time.Minute
	SessionMax  = 4 * time.Hour
)

const (
	idleMS = int64(SessionIdle / time.Millisecond)
	maxMS  = int64(SessionMax / time.Millisecond)
)

// Content kinds as stored, and the bitmap kinds.
type contentKind uint8

const (
	kindAll contentKind = iota
	kindRoom
	kindResource
)

func (k contentKind) String() string {
	switch k {
	case kindRoom:
		return "room"
	case kindResource:
		return "resource"
	}
	return "all"
}

// rawEvent is what the rollup job reads of an event.
type rawEvent struct {
	id, at         int64
	user, partner  int64
	pageView       bool
	roomPage       bool // a page view of a room page
	room, resource int64
	roomSlug       string
}

type session struct {
	user, partner      int64
	start, end         int64
	startDay           int32
	pageViews, actions int64
	touched            bool
}

type stat struct{ sessions, durationMS, pageViews, actions int64 }

func (s *stat) add(o stat) {
	s.sessions += o.sessions
	s.durationMS += o.durationMS
	s.pageViews += o.pageViews
	s.actions += o.actions
}

type partnerDay struct {
	day     int32
	partner int64
}

type userDay struct {
	user    int64
	day     int32
	partner int64
}

type contentDay struct {
	kind    contentKind
	id      int64
	day     int32
	partner int64
}

type bitmapKey struct {
	kind   contentKind
	key    int64
	period int32
}

type memberKey struct{ partner, user int64 }

type member struct {
	id            uint32
	partner, user int64
}

// state is what the rollup job keeps between chunks while it holds the
// lease: the sessions that later events may still extend, and the member
// ids. It mirrors the database and is reloaded whenever it may not.
type state struct {
	cursorMS, cursorID int64
	generation         int64
	open               map[int64]*session // by user
	members            map[memberKey]uint32
	nextMember         uint32
	// types is the partner type each partner's rollups are grouped under
	// (engagement_partner_types); a partner missing from it has type "".
	types map[int64]string
	// totals is where the running totals stand.
	totals totalsState
}

// allGroup is the group of every partner.
const allGroup = "*"

// groups returns the rollup groups a partner's activity counts in: every
// partner, and its type. Staff (partner 0) count in none.
func (st *state) groups(partner int64) []string {
	if partner <= 0 {
		return nil
	}
	return []string{allGroup, st.types[partner]}
}

// fold turns one chunk of events, in time order, into sessions and day-level
// rollup deltas.
type fold struct {
	st      *state
	clock   *dayClock
	touched []*session
	added   []member
	partner map[partnerDay]*stat
	user    map[userDay]*stat
	content map[contentDay]*stat
	bitmaps map[bitmapKey]*roaring.Bitmap
	labels  map[int64]string // room id -> slug
}

func newFold(st *state, loc *time.Location) *fold {
	return &fold{st: st, clock: newDayClock(loc),
		partner: map[partnerDay]*stat{}, user: map[userDay]*stat{}, content: map[contentDay]*stat{},
		bitmaps: map[bitmapKey]*roaring.Bitmap{}, labels: map[int64]string{}}
}

func statOf[K comparable](m map[K]*stat, k K) *stat {
	s := m[k]
	if s == nil {
		s = &stat{}
		m[k] = s
	}
	return s
}

func (f *fold) member(partner, user int64) uint32 {
	k := memberKey{partner, user}
	if id, ok := f.st.members[k]; ok {
		return id
	}
	id := f.st.nextMember
	f.st.nextMember++
	f.st.members[k] = id
	f.added = append(f.added, member{id, partner, user})
	return id
}

func (f *fold) mark(key bitmapKey, m uint32) {
	b := f.bitmaps[key]
	if b == nil {
		b = roaring.New()
		f.bitmaps[key] = b
	}
	b.Add(m)
}

// add folds one event. Events must come in (time, id) order.
func (f *fold) add(e *rawEvent) {
	day := f.clock.day(e.at)
	m := f.member(e.partner, e.user)

	s := f.st.open[e.user]
	if s != nil && s.partner == e.partner && e.at-s.end < idleMS && e.at-s.start < maxMS {
		if d := e.at - s.end; d > 0 {
			s.end = e.at
			statOf(f.partner, partnerDay{s.startDay, s.partner}).durationMS += d
			statOf(f.user, userDay{s.user, s.startDay, s.partner}).durationMS += d
		}
	} else {
		s = &session{user: e.user, partner: e.partner, start: e.at, end: e.at, startDay: day}
		f.st.open[e.user] = s
		statOf(f.partner, partnerDay{day, e.partner}).sessions++
		statOf(f.user, userDay{e.user, day, e.partner}).sessions++
	}
	if !s.touched {
		s.touched = true
		f.touched = append(f.touched, s)
	}

	ps := statOf(f.partner, partnerDay{day, e.partner})
	us := statOf(f.user, userDay{e.user, day, e.partner})
	if e.pageView {
		s.pageViews++
		ps.pageViews++
		us.pageViews++
	} else {
		s.actions++
		ps.actions++
		us.actions++
	}
	f.mark(bitmapKey{kindAll, 0, day}, m)

	if e.room > 0 {
		// A room counts its own page views and the actions taken in it; an
		// item page inside a room counts for the item.
		switch {
		case e.roomPage:
			statOf(f.content, contentDay{kindRoom, e.room, day, e.partner}).pageViews++
			f.mark(bitmapKey{kindRoom, e.room, day}, m)
		case !e.pageView:
			statOf(f.content, contentDay{kindRoom, e.room, day, e.partner}).actions++
		}
		if e.roomSlug != "" {
			f.labels[e.room] = e.roomSlug
		}
	}
	if e.resource > 0 {
		cs := statOf(f.content, contentDay{kindResource, e.resource, day, e.partner})
		if e.pageView {
			cs.pageViews++
		} else {
			cs.actions++
		}
		f.mark(bitmapKey{kindResource, e.resource, day}, m)
	}
	f.st.cursorMS, f.st.cursorID = e.at, e.id
}

// closeIdle forgets the sessions no later event can extend: every later
// event is at or after the cursor.
func (st *state) closeIdle() {
	for u, s := range st.open {
		if st.cursorMS-s.end >= idleMS || st.cursorMS-s.start >= maxMS {
			delete(st.open, u)
		}
	}
}

// Rows to write: day-level deltas spread to months and years, per partner
// and per group.

type partnerRow struct {
	period  int32
	partner int64
	stat
}

type groupRow struct {
	grp    string
	period int32
	stat
}

type contentRow struct {
	partner int64
	kind    contentKind
	day     int32
	id      int64
	stat
}

type contentGroupRow struct {
	kind   contentKind
	grp    string
	period int32
	id     int64
	stat
}

type groupKey struct {
	grp    string
	period int32
}

type contentGroupKey struct {
	kind   contentKind
	grp    string
	period int32
	id     int64
}

func (f *fold) partnerRows() ([]partnerRow, []groupRow) {
	type key struct {
		period  int32
		partner int64
	}
	acc := map[key]*stat{}
	groups := map[groupKey]*stat{}
	for k, s := range f.partner {
		gs := f.st.groups(k.partner)
		for _, p := range periodsOfDay(k.day) {
			statOf(acc, key{p, k.partner}).add(*s)
			for _, g := range gs {
				statOf(groups, groupKey{g, p}).add(*s)
			}
		}
	}
	out := make([]partnerRow, 0, len(acc))
	for k, s := range acc {
		out = append(out, partnerRow{k.period, k.partner, *s})
	}
	return out, groupRows(groups)
}

func groupRows(m map[groupKey]*stat) []groupRow {
	out := make([]groupRow, 0, len(m))
	for k, s := range m {
		out = append(out, groupRow{k.grp, k.period, *s})
	}
	return out
}

func (f *fold) contentRows() ([]contentRow, []contentGroupRow) {
	out := make([]contentRow, 0, len(f.content))
	groups := map[contentGroupKey]*stat{}
	for k, s := range f.content {
		out = append(out, contentRow{k.partner, k.kind, k.day, k.id, *s})
		for _, g := range f.st.groups(k.partner) {
			for _, p := range periodsOfDay(k.day) {
				statOf(groups, contentGroupKey{k.kind, g, p, k.id}).add(*s)
			}
		}
	}
	return out, contentGroupRows(groups)
}

func contentGroupRows(m map[contentGroupKey]*stat) []contentGroupRow {
	out := make([]contentGroupRow, 0, len(m))
	for k, s := range m {
		out = append(out, contentGroupRow{k.kind, k.grp, k.period, k.id, *s})
	}
	return out
}

// bitmapDeltas spreads the day bitmaps to their months and years.
func (f *fold) bitmapDeltas() map[bitmapKey]*roaring.Bitmap {
	out := make(map[bitmapKey]*roaring.Bitmap, len(f.bitmaps)*2)
	for k, b := range f.bitmaps {
		for _, p := range periodsOfDay(k.period) {
			pk := bitmapKey{k.kind, k.key, p}
			if cur := out[pk]; cur != nil {
				cur.Or(b)
			} else {
				out[pk] = b.Clone()
			}
		}
	}
	return out
}
