-- When each person last looked at the Overview, for "since your last
-- visit": seen_at is the latest look and previous_at when the visit before
-- ended, so reloading the page within a visit keeps showing the same news.
CREATE TABLE overview_visits (
	user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	seen_at {{.Time}} NOT NULL,
	previous_at {{.Time}}
);
--bun:split
-- Goals a partner reached, once per goal and period: the first viewer to see
-- a goal reached claims it, and only that claim is recorded as the
-- partner's goal_complete engagement event.
CREATE TABLE goals_reached (
	partner_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	room TEXT NOT NULL,
	block TEXT NOT NULL,
	goal TEXT NOT NULL,
	period_start {{.Time}} NOT NULL,
	user_id BIGINT NOT NULL,
	reached_at {{.Time}} NOT NULL,
	PRIMARY KEY (partner_id, room, block, goal, period_start)
);
