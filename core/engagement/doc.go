// Package engagement records what people do in the portal — page views and
// actions — and answers the engagement dashboard from rollups, so a panel
// over years of history reads a few hundred rows, never the raw events.
//
// # Recording
//
// An [Event] is a page view ("room" or "item") or an action ("video_play",
// "download", "link_click", "image_view", "pdf_open", "card_view",
// "goal_complete", "search", or a block type's own). The web layer records
// what the server sees with [Recorder.Record], and a browser's beacon with
// [Recorder.RecordBatch] after checking that the viewer may see the room and
// block named ([Validate] gives a precise error for a bad one). Record never
// blocks: events wait in a bounded buffer and one goroutine writes them in
// batches (COPY on PostgreSQL, multi-row INSERTs in one transaction on
// SQLite) when a batch is full or a second has passed. A full buffer drops
// and counts ([Recorder.Stats]); [Recorder.Close] writes what is left.
//
//	rec := engagement.NewRecorder(db, engagement.RecorderOptions{})
//	defer rec.Close(shutdownCtx)
//	rec.Record(engagement.Event{UserID: v.UserID, PartnerID: partnerID, Kind: engagement.PageView,
//		Name: engagement.PageRoom, RoomID: room.ID, RoomSlug: room.Slug, Path: r.URL.Path})
//
// # Sessions
//
// A [Job] turns events into sessions and rollups. Run it in every portal
// process (go job.Run(ctx)): a lease row lets one process at a time work,
// and another takes over within a lease's life when that one stops. It folds
// only events older than a lateness window (5 minutes), in time order,
// continuing each user's last session from the database, so events that
// arrive out of order within the window land in the right session.
//
// A session ends after 30 minutes without an event or after 4 hours,
// whichever comes first. Exactly: an event 30:00 or more after the user's
// previous event starts a new session (29:59.999 continues it), and so does
// an event 4:00:00 or more after the session's first event; a session's
// length is therefore always under 4 hours. A user whose partner changes
// starts a new session. A session counts on the day of its first event, and
// its duration runs from its first to its last event (0 for one event).
//
// # Rollups and days
//
// Rollups are kept per day, month and year of the reporting zone
// ([JobOptions.Location], which [ReportOptions.Location] must match; change
// it with [Job.Rebuild]): per partner, per group of partners (all, and each
// partner type — the job regroups a partner's history when its type
// changes), per user and day, and per room and resource (per partner by day,
// per group by day, month and year). Sessions and durations count on the
// session's first day, page views and actions on their own. The users
// active in each period are roaring bitmaps of (partner, user) member ids,
// so unique users over any range is exact: the union of at most a few dozen
// sets. A range is read from the fewest whole days, months and years that
// cover it. The leaderboard and the at-risk panel, which need every
// partner's sums, read running totals instead (per partner and day, the
// sums up to that day): two rows per partner whatever the range. [JobOptions.Retention] deletes raw events (and sessions) older
// than it; rollups are kept.
//
// # What the dashboard counts
//
// Every query takes a [Filter]: a range of whole days [From, To), the
// viewer's [Scope] ([AllPartners] for an admin, [OnlyPartners] with their
// partners for a partner manager; the zero Scope sees nothing), and
// optionally picked partners and partner types, which only narrow the
// scope. Staff activity (no partner) is recorded but never counted.
//
//   - Unique users: distinct users with any event in the range.
//   - Sessions: sessions that started in the range.
//   - Page views, actions: events in the range.
//   - Average session duration: the total duration of the sessions counted
//     over their number.
//   - The previous period: the same number of days just before From.
//
// [Reports] answers the panels: [Reports.KPIs], [Reports.Timeline] (a point
// per day under 14 days, per week from 14 to 60, per month from 61 — see
// [BucketForDays]), [Reports.TopContent], [Reports.Leaderboard] and
// [Reports.AtRisk]; [QuickRange] and [Period] give the filter's dates, and
// the Write*CSV functions export each table.
//
// # Engagement score
//
// The leaderboard ranks the partners it shows — every partner in the filter
// with activity in the range, on every page, not only the current one — by
//
//	score = 100 × (0.4·S/Smax + 0.3·U/Umax + 0.2·P/Pmax + 0.1·D/Dmax)
//
// where S is the partner's sessions, U its unique users, P its page views and
// D its average session duration, and Xmax the largest value of that measure
// among the partners shown; a term whose largest value is 0 counts 0. The
// score is rounded to two decimals. Partners with the same score share a
// rank (1, 2, 2, 4) and are listed by name, then id. A single partner
// scores 100, less 10 for each measure it has none of in the weights above
// (no duration: 90). The totals row sums users, sessions, page views and
// actions over the rows (a user who moved partner counts in each), and its
// average duration is over all their sessions.
//
// # At risk
//
// [Reports.AtRisk] looks at the 30 days before the filter's end and the 30
// days before those ([AtRiskRules] changes the numbers):
//
//   - no sessions: no session in the window (with the last active day, or
//     "no sessions yet");
//   - falling session durations: at least 3 sessions in each window, and
//     the window's average session shorter than half the previous one's;
//   - visits without actions: at least 2 sessions in the window and not a
//     single action.
//
// # History
//
// [Generate] writes realistic history (business hours in each partner's
// time zone, quiet weekends, seasons, partners that go quiet, never act or
// visit ever more briefly) for existing partners and users or a synthetic
// population, through the recorder's writer; call [Job.Rebuild] afterwards
// when the job had already passed its start.
package engagement
