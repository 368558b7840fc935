package notify

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// A person who sets a kind to [EmailDigest] gets one email per period that
// lists those notifications, grouped by room, instead of one email each.
// The period is a day or a week, per person; a digest goes out at
// DigestHour in the digest zone (the program's reporting zone, see
// [WithDigestLocation]), or as soon after as a portal process looks: daily
// every day, weekly on DigestWeekday only. A digest that could not go out
// within twelve hours (the portal down, the mail server refusing) is left
// to the next one, which lists what it would have.
const (
	DigestDaily   = "daily"
	DigestWeekly  = "weekly"
	DefaultDigest = DigestDaily

	DigestHour    = 7
	DigestWeekday = time.Monday
)

const (
	// defaultDigestEvery is how often Run looks for digests that are due.
	defaultDigestEvery = 5 * time.Minute
	// maxDigestItems is how many notifications a digest lists; the rest are
	// counted, and the notifications page has them all.
	maxDigestItems = 100
	// digestBody is how much of a notification's body a digest quotes.
	digestBody = 300
	// digestWindow is how long after the digest hour a digest may still go
	// out: a portal that is down, or a mail server that refuses, for all
	// of it leaves that digest to the next one.
	digestWindow = 12 * time.Hour
	// keepClaims is how long digest claims are kept: longer than any period
	// a digest looks back over.
	keepClaims = 60 * 24 * time.Hour
)

// DigestChannel is a channel that can also send a digest: one message that
// lists many notifications. Channels without it send no digests.
type DigestChannel interface {
	Name() string
	// SendDigest delivers one digest to one recipient.
	SendDigest(ctx context.Context, to Recipient, d Digest) error
}

// Digest is what one digest email says.
type Digest struct {
	// Frequency is DigestDaily or DigestWeekly.
	Frequency string
	// Since is the start of the time it covers, in the digest zone.
	Since time.Time
	// Rooms are the listed notifications by room, in title order, the
	// notifications without a room last.
	Rooms []DigestRoom
	// Total counts every notification the digest covers; More of them are
	// not listed (a digest lists at most a hundred).
	Total, More int
}

// DigestRoom is one room's part of a digest.
type DigestRoom struct {
	Slug  string // "" for notifications outside any room
	Title string // "Other" for those
	Items []Item
}

// DigestSetting is how often a person's digest goes out.
type DigestSetting struct {
	bun.BaseModel `bun:"table:notification_digest_settings"`

	UserID    int64  `bun:"user_id,pk"`
	Frequency string `bun:"frequency"`
}

// digestClaim is one digest claimed for a person and a period.
type digestClaim struct {
	bun.BaseModel `bun:"table:notification_digests"`

	UserID      int64     `bun:"user_id,pk"`
	PeriodStart time.Time `bun:"period_start,pk"`
	ClaimedAt   time.Time `bun:"claimed_at"`
	Items       int       `bun:"items"`
}

// WithDigestLocation sets the zone whose clock the digest hour is read on:
// the program's reporting zone, so "daily at 07:00" is the program's
// morning. Default UTC.
func WithDigestLocation(loc *time.Location) Option {
	return func(s *Service) {
		if loc != nil {
			s.digestLoc = loc
		}
	}
}

// WithRoomTitles names rooms in digests: title maps a room's slug (from a
// notification's link, "/rooms/<slug>/...") to its title. Without it, or
// where it answers "", the slug is the title.
func WithRoomTitles(title func(slug string) string) Option {
	return func(s *Service) { s.roomTitle = title }
}

// WithDigestEvery sets how often Run looks for digests that are due
// (default five minutes); it is also how soon a failed digest is retried.
func WithDigestEvery(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.digestEvery = d
		}
	}
}

// Schedule is when a person's digest goes out.
type Schedule struct {
	Frequency string `json:"frequency" enum:"daily,weekly" doc:"How often the digest goes out."`
	// Hour and Weekday are read on the clock of TimeZone; Weekday is for
	// weekly digests.
	Hour     int       `json:"hour" doc:"The hour of the day the digest goes out, in timeZone."`
	Weekday  string    `json:"weekday" doc:"The day a weekly digest goes out."`
	TimeZone string    `json:"timeZone" doc:"The zone of hour (IANA name)."`
	Next     time.Time `json:"next" doc:"When the next digest is due."`
}

// Describe says when the digest goes out, for people: "every day at 07:00
// (UTC)".
func (sc Schedule) Describe() string {
	if sc.Frequency == DigestWeekly {
		return fmt.Sprintf("every %s at %02d:00 (%s)", sc.Weekday, sc.Hour, sc.TimeZone)
	}
	return fmt.Sprintf("every day at %02d:00 (%s)", sc.Hour, sc.TimeZone)
}

// DigestSchedule returns when the user's digest goes out.
func (s *Service) DigestSchedule(ctx context.Context, userID int64) (Schedule, error) {
	freq, err := s.digestFrequency(ctx, userID)
	if err != nil {
		return Schedule{}, err
	}
	start := periodStart(freq, s.now(), s.digestLoc)
	return Schedule{Frequency: freq, Hour: DigestHour, Weekday: DigestWeekday.String(), TimeZone: s.digestLoc.String(),
		Next: nextStart(freq, start)}, nil
}

// SetDigestFrequency stores how often the user's digest goes out: daily or
// weekly.
func (s *Service) SetDigestFrequency(ctx context.Context, userID int64, freq string) error {
	if freq != DigestDaily && freq != DigestWeekly {
		return fail.Field("frequency", "invalid.notify.frequency")
	}
	st := DigestSetting{UserID: userID, Frequency: freq}
	if _, err := s.db.NewInsert().Model(&st).On("CONFLICT (user_id) DO UPDATE").Set("frequency = EXCLUDED.frequency").Exec(ctx); err != nil {
		return fmt.Errorf("store digest frequency: %w", err)
	}
	return nil
}

func (s *Service) digestFrequency(ctx context.Context, userID int64) (string, error) {
	var st DigestSetting
	err := s.db.NewSelect().Model(&st).Where("user_id = ?", userID).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultDigest, nil
	}
	if err != nil {
		return "", fmt.Errorf("load digest frequency: %w", err)
	}
	return st.Frequency, nil
}

// periodStart is the start of the period now falls in: the latest digest
// hour at or before now, on DigestWeekday for weekly digests.
func periodStart(freq string, now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	start := time.Date(t.Year(), t.Month(), t.Day(), DigestHour, 0, 0, 0, loc)
	if start.After(t) {
		start = start.AddDate(0, 0, -1)
	}
	if freq == DigestWeekly {
		for start.Weekday() != DigestWeekday {
			start = start.AddDate(0, 0, -1)
		}
	}
	return start
}

// periodDays is the length of a period in days.
func periodDays(freq string) int {
	if freq == DigestWeekly {
		return 7
	}
	return 1
}

// nextStart is the start of the period after the one starting at start.
func nextStart(freq string, start time.Time) time.Time {
	return start.AddDate(0, 0, periodDays(freq))
}

// digestDue reports whether a digest of the period starting at start may go
// out at now: within digestWindow of the digest hour, so a digest arrives in
// the morning of its day, never mid-week or in the night.
func digestDue(start, now time.Time) bool {
	return now.Before(start.Add(digestWindow))
}

// digestChannels are the channels that send digests.
func (s *Service) digestChannels() []DigestChannel {
	var out []DigestChannel
	for _, c := range s.channels {
		if d, ok := c.(DigestChannel); ok {
			out = append(out, d)
		}
	}
	return out
}

// SendDigests sends the digests due at now and says how many were mailed.
// For each active person with at least one kind set to digest whose period
// has begun, it claims (person, period start) with a unique row, marks the
// notifications the digest lists as emailed in the same transaction, and
// mails them through every channel that sends digests. Several portal
// processes may run it at once: the claim lets one of them send each digest.
// A person with nothing new gets no mail, and the claim stays so that later
// runs in the period do not look again. A failed mail releases its claim
// and its notifications, and the next run tries again; the first failure is
// returned after every other person was served.
func (s *Service) SendDigests(ctx context.Context, now time.Time) (sent int, err error) {
	chans := s.digestChannels()
	if len(chans) == 0 {
		return 0, nil
	}
	var people []struct {
		ID    int64  `bun:"id"`
		Name  string `bun:"name"`
		Email string `bun:"email"`
		Lang  string `bun:"language"`
	}
	if err := s.db.NewSelect().Table("users").Column("id", "name", "email", "language").
		Where("active = ?", true).
		Where("id IN (SELECT user_id FROM notification_prefs WHERE email = ?)", EmailDigest).
		OrderExpr("id").Scan(ctx, &people); err != nil {
		return 0, fmt.Errorf("digests: load people: %w", err)
	}
	if len(people) == 0 {
		return 0, nil
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	var settings []DigestSetting
	if err := s.db.NewSelect().Model(&settings).Where("user_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return 0, fmt.Errorf("digests: load frequencies: %w", err)
	}
	freq := map[int64]string{}
	for _, st := range settings {
		freq[st.UserID] = st.Frequency
	}
	var prefs []Pref
	if err := s.db.NewSelect().Model(&prefs).Where("user_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return 0, fmt.Errorf("digests: load preferences: %w", err)
	}
	byUser := map[int64][]Pref{}
	for _, p := range prefs {
		byUser[p.UserID] = append(byUser[p.UserID], p)
	}
	// The latest claim of each person: who is done for this period, and
	// where the next digest starts.
	var claims []struct {
		UserID int64     `bun:"user_id"`
		Last   time.Time `bun:"last"`
	}
	if err := s.db.NewSelect().Model((*digestClaim)(nil)).Column("user_id").ColumnExpr("MAX(period_start) AS last").
		Where("user_id IN (?)", bun.List(ids)).Where("period_start >= ?", now.Add(-keepClaims).UTC()).
		Group("user_id").Scan(ctx, &claims); err != nil {
		return 0, fmt.Errorf("digests: load claims: %w", err)
	}
	last := map[int64]time.Time{}
	for _, c := range claims {
		last[c.UserID] = c.Last
	}
	for _, p := range people {
		if cerr := ctx.Err(); cerr != nil {
			return sent, cmp.Or(err, cerr)
		}
		f := cmp.Or(freq[p.ID], DefaultDigest)
		start := periodStart(f, now, s.digestLoc)
		if !digestDue(start, now) {
			continue
		}
		prev, had := last[p.ID]
		if had && !prev.Before(start) {
			continue // done for this period
		}
		// A digest covers the time since the last one, and at most the two
		// periods before this one began (one missed digest is made up for).
		since := start.AddDate(0, 0, -2*periodDays(f))
		if had && prev.After(since) {
			since = prev
		}
		to := Recipient{UserID: p.ID, Name: p.Name, Email: p.Email, Language: p.Lang}
		ok, serr := s.sendDigest(ctx, chans, to, f, byUser[p.ID], start, since, now)
		if serr != nil {
			err = cmp.Or(err, fmt.Errorf("digest for user %d: %w", p.ID, serr))
			continue
		}
		if ok {
			sent++
		}
	}
	// Old claims only tell when digests went out long ago.
	if _, perr := s.db.NewDelete().Model((*digestClaim)(nil)).Where("period_start < ?", now.Add(-keepClaims).UTC()).Exec(ctx); perr != nil {
		err = cmp.Or(err, fmt.Errorf("digests: prune claims: %w", perr))
	}
	return sent, err
}

// sendDigest claims and sends one person's digest of the period starting at
// start, listing their digest notifications created since since. It reports
// whether a mail went out.
func (s *Service) sendDigest(ctx context.Context, chans []DigestChannel, to Recipient, freq string, prefs []Pref, start, since, now time.Time) (bool, error) {
	var items []Item
	claimed := false
	// The claim is not cancelled half-way: a cancelled statement may still
	// have committed, leaving a digest claimed that never went out.
	txCtx := context.WithoutCancel(ctx)
	err := s.db.RunInTx(txCtx, nil, func(ctx context.Context, tx bun.Tx) error {
		c := digestClaim{UserID: to.UserID, PeriodStart: start.UTC(), ClaimedAt: now.UTC()}
		res, err := tx.NewInsert().Model(&c).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("claim: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return err // another process has it
		}
		claimed = true
		var rows []Item
		if err := tx.NewSelect().Model(&rows).Where("user_id = ?", to.UserID).Where("emailed_at IS NULL").
			Where("created_at >= ?", since.UTC()).Where("created_at <= ?", now.UTC()).OrderExpr("id").Scan(ctx); err != nil {
			return fmt.Errorf("load notifications: %w", err)
		}
		for _, r := range rows {
			if emailPref(prefs, r.Kind) == EmailDigest {
				items = append(items, r)
			}
		}
		if len(items) == 0 {
			return nil // nothing to say; the claim stays so no later run looks again
		}
		if _, err := tx.NewUpdate().Model((*Item)(nil)).Set("emailed_at = ?", now.UTC()).
			Where("id IN (?)", bun.List(itemIDs(items))).Exec(ctx); err != nil {
			return fmt.Errorf("mark notifications: %w", err)
		}
		_, err = tx.NewUpdate().Model(&c).Set("items = ?", len(items)).WherePK().Exec(ctx)
		return err
	})
	if err != nil || !claimed || len(items) == 0 {
		return false, err
	}
	// The digest lists the notifications worded in the recipient's
	// language, like the words the mail adds around them.
	words := to.words()
	worded := make([]Item, len(items))
	for i, it := range items {
		worded[i] = it.In(words)
	}
	d := s.buildDigest(freq, since.In(s.digestLoc), worded)
	for i := range d.Rooms {
		if d.Rooms[i].Slug == "" {
			d.Rooms[i].Title = words.T("notify.digest-other")
		}
	}
	var sendErr error
	for _, ch := range chans {
		if sendErr = ch.SendDigest(ctx, to, d); sendErr != nil {
			sendErr = fmt.Errorf("%s: %w", ch.Name(), sendErr)
			break
		}
	}
	if sendErr == nil {
		return true, nil
	}
	// Release the claim and the notifications for the next run.
	if err := s.db.RunInTx(txCtx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*digestClaim)(nil)).Where("user_id = ?", to.UserID).Where("period_start = ?", start.UTC()).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model((*Item)(nil)).Set("emailed_at = NULL").Where("id IN (?)", bun.List(itemIDs(items))).Exec(ctx)
		return err
	}); err != nil {
		return false, errors.Join(sendErr, fmt.Errorf("release digest: %w", err))
	}
	return false, sendErr
}

func itemIDs(items []Item) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// buildDigest groups items by the room their links point into.
func (s *Service) buildDigest(freq string, since time.Time, items []Item) Digest {
	d := Digest{Frequency: freq, Since: since, Total: len(items)}
	if len(items) > maxDigestItems {
		d.More = len(items) - maxDigestItems
		items = items[len(items)-maxDigestItems:] // the newest
	}
	rooms := map[string]*DigestRoom{}
	for _, it := range items {
		it.Body = shorten(it.Body, digestBody)
		slug := RoomOf(it.Link)
		r, ok := rooms[slug]
		if !ok {
			r = &DigestRoom{Slug: slug, Title: s.titleOf(slug)}
			rooms[slug] = r
		}
		r.Items = append(r.Items, it)
	}
	for _, r := range rooms {
		d.Rooms = append(d.Rooms, *r)
	}
	slices.SortFunc(d.Rooms, func(a, b DigestRoom) int {
		if (a.Slug == "") != (b.Slug == "") {
			if a.Slug == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.Slug, b.Slug))
	})
	return d
}

func (s *Service) titleOf(slug string) string {
	if slug == "" {
		return "Other"
	}
	if s.roomTitle != nil {
		if t := s.roomTitle(slug); t != "" {
			return t
		}
	}
	return slug
}

// RoomOf is the slug of the room a notification's link points into
// ("/rooms/leads/items/7" is in "leads"), or "" for links outside rooms.
func RoomOf(link string) string {
	rest, ok := strings.CutPrefix(link, "/rooms/")
	if !ok {
		return ""
	}
	slug, _, _ := strings.Cut(rest, "/")
	slug, _, _ = strings.Cut(slug, "?")
	slug, _, _ = strings.Cut(slug, "#")
	return slug
}

// shorten keeps a body to one line of at most n bytes.
func shorten(s string, n int) string {
	return clip(strings.Join(strings.Fields(s), " "), n)
}
