-- Deals won and commissions per partner, by the UTC month and by the UTC
-- day a deal closed won or a commission was earned, per currency: beside
-- the leads per partner (migrations/20261212000010), what a network's
-- dashboard shows per sub-partner. Before these, a range read every deal
-- won and every commission of the network's thousand partners from the
-- rows, twice over and sorted; now a partner's year is a dozen month rows
-- per currency, and the days at the range's edges.
CREATE TABLE revenue_partner_money_months (
	partner_id BIGINT NOT NULL,
	month INTEGER NOT NULL,
	currency TEXT NOT NULL,
	won_n BIGINT NOT NULL,
	won_v BIGINT NOT NULL,
	commission_n BIGINT NOT NULL,
	commission_v BIGINT NOT NULL,
	PRIMARY KEY (partner_id, month, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
CREATE TABLE revenue_partner_money_days (
	partner_id BIGINT NOT NULL,
	day INTEGER NOT NULL,
	currency TEXT NOT NULL,
	won_n BIGINT NOT NULL,
	won_v BIGINT NOT NULL,
	commission_n BIGINT NOT NULL,
	commission_v BIGINT NOT NULL,
	PRIMARY KEY (day, partner_id, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
{{- if not .Postgres}}
--bun:split
INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
SELECT partner_id, k, currency, sum(won_n), sum(won_v), sum(commission_n), sum(commission_v) FROM (
	SELECT d.partner_id AS partner_id, ((CAST(substr(d.closed_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(d.closed_at, 6, 2) AS INTEGER) - 1) AS k, d.currency AS currency, 1 AS won_n, d.value AS won_v, 0 AS commission_n, 0 AS commission_v
	FROM pipeline_deals d WHERE d.stage = 'closed_won' AND d.closed_at IS NOT NULL
	UNION ALL
	SELECT c.partner_id, ((CAST(substr(c.created_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(c.created_at, 6, 2) AS INTEGER) - 1), c.currency, 0, 0, 1, c.amount FROM pipeline_commissions c
) x GROUP BY 1, 2, 3;
--bun:split
INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
SELECT partner_id, k, currency, sum(won_n), sum(won_v), sum(commission_n), sum(commission_v) FROM (
	SELECT d.partner_id AS partner_id, CAST(julianday(substr(d.closed_at, 1, 10)) - 2440587.5 AS INTEGER) AS k, d.currency AS currency, 1 AS won_n, d.value AS won_v, 0 AS commission_n, 0 AS commission_v
	FROM pipeline_deals d WHERE d.stage = 'closed_won' AND d.closed_at IS NOT NULL
	UNION ALL
	SELECT c.partner_id, CAST(julianday(substr(c.created_at, 1, 10)) - 2440587.5 AS INTEGER), c.currency, 0, 0, 1, c.amount FROM pipeline_commissions c
) x GROUP BY 1, 2, 3;
--bun:split
CREATE TRIGGER revenue_partner_money_deals_insert AFTER INSERT ON pipeline_deals
WHEN NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	SELECT NEW.partner_id, ((CAST(substr(NEW.closed_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(NEW.closed_at, 6, 2) AS INTEGER) - 1), NEW.currency, 1, NEW.value, 0, 0
	WHERE NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	SELECT NEW.partner_id, CAST(julianday(substr(NEW.closed_at, 1, 10)) - 2440587.5 AS INTEGER), NEW.currency, 1, NEW.value, 0, 0
	WHERE NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
END;
--bun:split
CREATE TRIGGER revenue_partner_money_deals_update AFTER UPDATE OF stage, closed_at, value, currency, partner_id ON pipeline_deals
WHEN (OLD.stage = 'closed_won' OR NEW.stage = 'closed_won') AND (OLD.stage IS NOT NEW.stage OR OLD.closed_at IS NOT NEW.closed_at
	OR OLD.value IS NOT NEW.value OR OLD.currency IS NOT NEW.currency OR OLD.partner_id IS NOT NEW.partner_id) BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	SELECT OLD.partner_id, ((CAST(substr(OLD.closed_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(OLD.closed_at, 6, 2) AS INTEGER) - 1), OLD.currency, -1, -OLD.value, 0, 0
	WHERE OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	SELECT OLD.partner_id, CAST(julianday(substr(OLD.closed_at, 1, 10)) - 2440587.5 AS INTEGER), OLD.currency, -1, -OLD.value, 0, 0
	WHERE OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	SELECT NEW.partner_id, ((CAST(substr(NEW.closed_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(NEW.closed_at, 6, 2) AS INTEGER) - 1), NEW.currency, 1, NEW.value, 0, 0
	WHERE NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	SELECT NEW.partner_id, CAST(julianday(substr(NEW.closed_at, 1, 10)) - 2440587.5 AS INTEGER), NEW.currency, 1, NEW.value, 0, 0
	WHERE NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
END;
--bun:split
CREATE TRIGGER revenue_partner_money_deals_delete AFTER DELETE ON pipeline_deals
WHEN OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	SELECT OLD.partner_id, ((CAST(substr(OLD.closed_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(OLD.closed_at, 6, 2) AS INTEGER) - 1), OLD.currency, -1, -OLD.value, 0, 0
	WHERE OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	SELECT OLD.partner_id, CAST(julianday(substr(OLD.closed_at, 1, 10)) - 2440587.5 AS INTEGER), OLD.currency, -1, -OLD.value, 0, 0
	WHERE OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
END;
--bun:split
CREATE TRIGGER revenue_partner_money_commissions_insert AFTER INSERT ON pipeline_commissions BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	VALUES (NEW.partner_id, ((CAST(substr(NEW.created_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(NEW.created_at, 6, 2) AS INTEGER) - 1), NEW.currency, 0, 0, 1, NEW.amount)
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	VALUES (NEW.partner_id, CAST(julianday(substr(NEW.created_at, 1, 10)) - 2440587.5 AS INTEGER), NEW.currency, 0, 0, 1, NEW.amount)
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
END;
--bun:split
CREATE TRIGGER revenue_partner_money_commissions_update AFTER UPDATE OF amount, currency, created_at, partner_id ON pipeline_commissions
WHEN OLD.amount IS NOT NEW.amount OR OLD.currency IS NOT NEW.currency OR OLD.created_at IS NOT NEW.created_at
	OR OLD.partner_id IS NOT NEW.partner_id BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	VALUES (OLD.partner_id, ((CAST(substr(OLD.created_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(OLD.created_at, 6, 2) AS INTEGER) - 1), OLD.currency, 0, 0, -1, -OLD.amount)
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	VALUES (OLD.partner_id, CAST(julianday(substr(OLD.created_at, 1, 10)) - 2440587.5 AS INTEGER), OLD.currency, 0, 0, -1, -OLD.amount)
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	VALUES (NEW.partner_id, ((CAST(substr(NEW.created_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(NEW.created_at, 6, 2) AS INTEGER) - 1), NEW.currency, 0, 0, 1, NEW.amount)
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	VALUES (NEW.partner_id, CAST(julianday(substr(NEW.created_at, 1, 10)) - 2440587.5 AS INTEGER), NEW.currency, 0, 0, 1, NEW.amount)
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
END;
--bun:split
CREATE TRIGGER revenue_partner_money_commissions_delete AFTER DELETE ON pipeline_commissions BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	VALUES (OLD.partner_id, ((CAST(substr(OLD.created_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(OLD.created_at, 6, 2) AS INTEGER) - 1), OLD.currency, 0, 0, -1, -OLD.amount)
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	VALUES (OLD.partner_id, CAST(julianday(substr(OLD.created_at, 1, 10)) - 2440587.5 AS INTEGER), OLD.currency, 0, 0, -1, -OLD.amount)
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
END;
{{- end}}
{{- if .Postgres}}
--bun:split
INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
SELECT partner_id, k, currency, sum(won_n), sum(won_v), sum(commission_n), sum(commission_v) FROM (
	SELECT d.partner_id AS partner_id, ((EXTRACT(YEAR FROM d.closed_at AT TIME ZONE 'UTC')::int - 1970) * 12 + EXTRACT(MONTH FROM d.closed_at AT TIME ZONE 'UTC')::int - 1) AS k, d.currency AS currency, 1 AS won_n, d.value AS won_v, 0 AS commission_n, 0 AS commission_v
	FROM pipeline_deals d WHERE d.stage = 'closed_won' AND d.closed_at IS NOT NULL
	UNION ALL
	SELECT c.partner_id, ((EXTRACT(YEAR FROM c.created_at AT TIME ZONE 'UTC')::int - 1970) * 12 + EXTRACT(MONTH FROM c.created_at AT TIME ZONE 'UTC')::int - 1), c.currency, 0, 0, 1, c.amount FROM pipeline_commissions c
) x GROUP BY 1, 2, 3;
--bun:split
INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
SELECT partner_id, k, currency, sum(won_n), sum(won_v), sum(commission_n), sum(commission_v) FROM (
	SELECT d.partner_id AS partner_id, ((d.closed_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01') AS k, d.currency AS currency, 1 AS won_n, d.value AS won_v, 0 AS commission_n, 0 AS commission_v
	FROM pipeline_deals d WHERE d.stage = 'closed_won' AND d.closed_at IS NOT NULL
	UNION ALL
	SELECT c.partner_id, ((c.created_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01'), c.currency, 0, 0, 1, c.amount FROM pipeline_commissions c
) x GROUP BY 1, 2, 3;
--bun:split
-- As in migrations/20261212000010, each function moves a row's sums in
-- one statement per table, the old row's out and the new row's in, summed
-- per key and applied in key order, so that two transactions cannot
-- deadlock on the rows they share.
CREATE FUNCTION revenue_partner_money_deals_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	SELECT partner_id, k, currency, sum(won_n), sum(won_v), 0, 0 FROM (
		SELECT OLD.partner_id AS partner_id, ((EXTRACT(YEAR FROM OLD.closed_at AT TIME ZONE 'UTC')::int - 1970) * 12 + EXTRACT(MONTH FROM OLD.closed_at AT TIME ZONE 'UTC')::int - 1) AS k, OLD.currency AS currency, -1 AS won_n, -OLD.value AS won_v
		WHERE TG_OP <> 'INSERT' AND OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
		UNION ALL
		SELECT NEW.partner_id, ((EXTRACT(YEAR FROM NEW.closed_at AT TIME ZONE 'UTC')::int - 1970) * 12 + EXTRACT(MONTH FROM NEW.closed_at AT TIME ZONE 'UTC')::int - 1), NEW.currency, 1, NEW.value
		WHERE TG_OP <> 'DELETE' AND NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	SELECT partner_id, k, currency, sum(won_n), sum(won_v), 0, 0 FROM (
		SELECT OLD.partner_id AS partner_id, ((OLD.closed_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01') AS k, OLD.currency AS currency, -1 AS won_n, -OLD.value AS won_v
		WHERE TG_OP <> 'INSERT' AND OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
		UNION ALL
		SELECT NEW.partner_id, ((NEW.closed_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01'), NEW.currency, 1, NEW.value
		WHERE TG_OP <> 'DELETE' AND NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	) x GROUP BY 1, 2, 3 ORDER BY 2, 1, 3
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_partner_money_deals_roll AFTER INSERT ON pipeline_deals FOR EACH ROW
WHEN (NEW.stage = 'closed_won') EXECUTE FUNCTION revenue_partner_money_deals_roll();
--bun:split
CREATE TRIGGER revenue_partner_money_deals_unroll AFTER DELETE ON pipeline_deals FOR EACH ROW
WHEN (OLD.stage = 'closed_won') EXECUTE FUNCTION revenue_partner_money_deals_roll();
--bun:split
CREATE TRIGGER revenue_partner_money_deals_reroll AFTER UPDATE OF stage, closed_at, value, currency, partner_id ON pipeline_deals FOR EACH ROW
WHEN ((OLD.stage = 'closed_won' OR NEW.stage = 'closed_won') AND (OLD.stage IS DISTINCT FROM NEW.stage
	OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.value IS DISTINCT FROM NEW.value
	OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.partner_id IS DISTINCT FROM NEW.partner_id))
EXECUTE FUNCTION revenue_partner_money_deals_roll();
--bun:split
CREATE FUNCTION revenue_partner_money_commissions_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO revenue_partner_money_months (partner_id, month, currency, won_n, won_v, commission_n, commission_v)
	SELECT partner_id, k, currency, 0, 0, sum(commission_n), sum(commission_v) FROM (
		SELECT OLD.partner_id AS partner_id, ((EXTRACT(YEAR FROM OLD.created_at AT TIME ZONE 'UTC')::int - 1970) * 12 + EXTRACT(MONTH FROM OLD.created_at AT TIME ZONE 'UTC')::int - 1) AS k, OLD.currency AS currency, -1 AS commission_n, -OLD.amount AS commission_v
		WHERE TG_OP <> 'INSERT'
		UNION ALL
		SELECT NEW.partner_id, ((EXTRACT(YEAR FROM NEW.created_at AT TIME ZONE 'UTC')::int - 1970) * 12 + EXTRACT(MONTH FROM NEW.created_at AT TIME ZONE 'UTC')::int - 1), NEW.currency, 1, NEW.amount
		WHERE TG_OP <> 'DELETE'
	) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (partner_id, month, currency) DO UPDATE SET won_n = revenue_partner_money_months.won_n + excluded.won_n, won_v = revenue_partner_money_months.won_v + excluded.won_v, commission_n = revenue_partner_money_months.commission_n + excluded.commission_n, commission_v = revenue_partner_money_months.commission_v + excluded.commission_v;
	INSERT INTO revenue_partner_money_days (partner_id, day, currency, won_n, won_v, commission_n, commission_v)
	SELECT partner_id, k, currency, 0, 0, sum(commission_n), sum(commission_v) FROM (
		SELECT OLD.partner_id AS partner_id, ((OLD.created_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01') AS k, OLD.currency AS currency, -1 AS commission_n, -OLD.amount AS commission_v
		WHERE TG_OP <> 'INSERT'
		UNION ALL
		SELECT NEW.partner_id, ((NEW.created_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01'), NEW.currency, 1, NEW.amount
		WHERE TG_OP <> 'DELETE'
	) x GROUP BY 1, 2, 3 ORDER BY 2, 1, 3
	ON CONFLICT (day, partner_id, currency) DO UPDATE SET won_n = revenue_partner_money_days.won_n + excluded.won_n, won_v = revenue_partner_money_days.won_v + excluded.won_v, commission_n = revenue_partner_money_days.commission_n + excluded.commission_n, commission_v = revenue_partner_money_days.commission_v + excluded.commission_v;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_partner_money_commissions_roll AFTER INSERT OR DELETE ON pipeline_commissions FOR EACH ROW
EXECUTE FUNCTION revenue_partner_money_commissions_roll();
--bun:split
CREATE TRIGGER revenue_partner_money_commissions_reroll AFTER UPDATE OF amount, currency, created_at, partner_id ON pipeline_commissions FOR EACH ROW
WHEN (OLD.amount IS DISTINCT FROM NEW.amount OR OLD.currency IS DISTINCT FROM NEW.currency
	OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
EXECUTE FUNCTION revenue_partner_money_commissions_roll();
{{- end}}
