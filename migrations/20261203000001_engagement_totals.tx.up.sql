-- Running totals per partner, for the leaderboard and the at-risk panel:
-- for every partner and every day from its first activity to the last day
-- the rollup job has folded, the partner's sessions, session time, page
-- views and actions from the beginning up to and including that day. A
-- partner's sums over any range are then one row minus another, so those
-- panels read two rows per partner whatever the range, where the period
-- rollups need one row per partner for each day and month of the cover.
-- Staff (partner 0) are left out. Clustered by day, so a day's rows for
-- every partner are one range; the second index serves the job's updates.
CREATE TABLE engagement_partner_totals (
	day INTEGER NOT NULL,
	partner_id BIGINT NOT NULL,
	sessions BIGINT NOT NULL,
	duration_ms BIGINT NOT NULL,
	page_views BIGINT NOT NULL,
	actions BIGINT NOT NULL,
	PRIMARY KEY (day, partner_id){{if .Postgres}} INCLUDE (sessions, duration_ms, page_views, actions){{end}}
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
CREATE INDEX engagement_partner_totals_partner ON engagement_partner_totals (partner_id, day);
--bun:split
-- Existing rollups: fill the totals from the day rows (periods below
-- 1000000 are days). Autovacuum then sets the visibility map PostgreSQL's
-- index-only scans need (a rebuild vacuums at once).
WITH RECURSIVE
	firsts AS (SELECT partner_id, MIN(period) AS lo FROM engagement_partner_stats
		WHERE period < 1000000 AND partner_id > 0 GROUP BY partner_id),
	bounds AS (SELECT MAX(period) AS hi FROM engagement_partner_stats WHERE period < 1000000 AND partner_id > 0),
	days(d) AS (SELECT MIN(lo) FROM firsts UNION ALL SELECT days.d + 1 FROM days, bounds WHERE days.d < bounds.hi)
INSERT INTO engagement_partner_totals (day, partner_id, sessions, duration_ms, page_views, actions)
SELECT days.d, f.partner_id,
	SUM(COALESCE(s.sessions, 0)) OVER w, SUM(COALESCE(s.duration_ms, 0)) OVER w,
	SUM(COALESCE(s.page_views, 0)) OVER w, SUM(COALESCE(s.actions, 0)) OVER w
FROM firsts f
JOIN days ON days.d >= f.lo
LEFT JOIN engagement_partner_stats s ON s.period = days.d AND s.partner_id = f.partner_id
WINDOW w AS (PARTITION BY f.partner_id ORDER BY days.d)
-- Day by day, as the job writes them: on PostgreSQL a day's rows then share
-- a few heap pages.
ORDER BY days.d, f.partner_id;
