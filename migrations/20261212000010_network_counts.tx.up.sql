{{- /* $day turns a timestamp column into its UTC day (days since 1970-01-01),
$month into its UTC month (months since January 1970). */ -}}
{{- $day := "CAST(julianday(substr(%s, 1, 10)) - 2440587.5 AS INTEGER)" -}}
{{- $month := "((CAST(substr(%[1]s, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(%[1]s, 6, 2) AS INTEGER) - 1)" -}}
{{- if .Postgres}}
{{- $day = "((%s AT TIME ZONE 'UTC')::date - DATE '1970-01-01')" -}}
{{- $month = "((EXTRACT(YEAR FROM %[1]s AT TIME ZONE 'UTC')::int - 1970) * 12 + EXTRACT(MONTH FROM %[1]s AT TIME ZONE 'UTC')::int - 1)" -}}
{{- end -}}
-- Counts per partner and per distributor's network, beside the daily counts
-- per partner type (migrations/20261204000001). A network of a thousand
-- sub-partners is a set of partners, which counts per type cannot answer:
-- before these, its dashboard read every lead of its range, and its
-- directory every deal of its sub-partners.
--
-- Leads per partner by the UTC month and by the UTC day they were
-- submitted, with a column per status (the statuses are the SDK's fixed
-- list; n counts every lead whatever its status): a partner's leads over a
-- year are at most twelve month rows and the days at the range's edges.
-- A range of a network reads the months or days of its partners; the
-- directory reads a few partners' months all time.
CREATE TABLE revenue_partner_lead_months (
	partner_id BIGINT NOT NULL,
	month INTEGER NOT NULL,
	n BIGINT NOT NULL,
	n_new BIGINT NOT NULL,
	n_qualified BIGINT NOT NULL,
	n_demo BIGINT NOT NULL,
	n_proposal BIGINT NOT NULL,
	n_won BIGINT NOT NULL,
	n_lost BIGINT NOT NULL,
	PRIMARY KEY (partner_id, month)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
CREATE INDEX revenue_partner_lead_months_month ON revenue_partner_lead_months (month, partner_id);
--bun:split
CREATE TABLE revenue_partner_lead_days (
	partner_id BIGINT NOT NULL,
	day INTEGER NOT NULL,
	n BIGINT NOT NULL,
	n_new BIGINT NOT NULL,
	n_qualified BIGINT NOT NULL,
	n_demo BIGINT NOT NULL,
	n_proposal BIGINT NOT NULL,
	n_won BIGINT NOT NULL,
	n_lost BIGINT NOT NULL,
	PRIMARY KEY (day, partner_id)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- A partner's deals in the pipeline (not a registration awaiting approval
-- or rejected), all time, by their stage now: the directory's open
-- pipeline and revenue won.
CREATE TABLE revenue_partner_deals (
	partner_id BIGINT NOT NULL,
	stage TEXT NOT NULL,
	currency TEXT NOT NULL,
	n BIGINT NOT NULL,
	v BIGINT NOT NULL,
	PRIMARY KEY (partner_id, stage, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- A network's deals in the pipeline by the UTC day they were created and
-- their stage now, and its commission ledger by the UTC day of the entry
-- and its status now, per parent partner (the distributor). A partner that
-- joins or leaves a network takes its counts along.
CREATE TABLE revenue_network_deal_days (
	parent_id BIGINT NOT NULL,
	day INTEGER NOT NULL,
	stage TEXT NOT NULL,
	currency TEXT NOT NULL,
	n BIGINT NOT NULL,
	v BIGINT NOT NULL,
	PRIMARY KEY (parent_id, day, stage, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
CREATE TABLE revenue_network_commission_days (
	parent_id BIGINT NOT NULL,
	day INTEGER NOT NULL,
	status TEXT NOT NULL,
	currency TEXT NOT NULL,
	n BIGINT NOT NULL,
	v BIGINT NOT NULL,
	PRIMARY KEY (parent_id, day, status, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
INSERT INTO revenue_partner_lead_months (partner_id, month, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
SELECT l.partner_id, {{printf $month "l.created_at"}}, count(*), {{template "sums" "l"}}
FROM pipeline_leads l GROUP BY 1, 2;
--bun:split
INSERT INTO revenue_partner_lead_days (partner_id, day, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
SELECT l.partner_id, {{printf $day "l.created_at"}}, count(*), {{template "sums" "l"}}
FROM pipeline_leads l GROUP BY 1, 2;
--bun:split
INSERT INTO revenue_partner_deals (partner_id, stage, currency, n, v)
SELECT d.partner_id, d.stage, d.currency, count(*), sum(d.value) FROM pipeline_deals d
WHERE d.registration NOT IN ('pending', 'rejected') GROUP BY 1, 2, 3;
--bun:split
INSERT INTO revenue_network_deal_days (parent_id, day, stage, currency, n, v)
SELECT p.parent_id, {{printf $day "d.created_at"}}, d.stage, d.currency, count(*), sum(d.value)
FROM pipeline_deals d JOIN partners p ON p.id = d.partner_id
WHERE p.parent_id IS NOT NULL AND d.registration NOT IN ('pending', 'rejected') GROUP BY 1, 2, 3, 4;
--bun:split
INSERT INTO revenue_network_commission_days (parent_id, day, status, currency, n, v)
SELECT p.parent_id, {{printf $day "c.created_at"}}, c.status, c.currency, count(*), sum(c.amount)
FROM pipeline_commissions c JOIN partners p ON p.id = c.partner_id
WHERE p.parent_id IS NOT NULL GROUP BY 1, 2, 3, 4;
--bun:split
{{- if not .Postgres}}
CREATE TRIGGER revenue_partner_leads_insert AFTER INSERT ON pipeline_leads BEGIN
{{- template "leadIn"}}
END;
--bun:split
CREATE TRIGGER revenue_partner_leads_update AFTER UPDATE OF status, created_at, partner_id ON pipeline_leads
WHEN OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at OR OLD.partner_id IS NOT NEW.partner_id BEGIN
{{- template "leadOut"}}
{{- template "leadIn"}}
END;
--bun:split
CREATE TRIGGER revenue_partner_leads_delete AFTER DELETE ON pipeline_leads BEGIN
{{- template "leadOut"}}
END;
--bun:split
CREATE TRIGGER revenue_partner_deals_insert AFTER INSERT ON pipeline_deals BEGIN
	INSERT INTO revenue_partner_deals (partner_id, stage, currency, n, v)
	SELECT NEW.partner_id, NEW.stage, NEW.currency, 1, NEW.value WHERE NEW.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (partner_id, stage, currency) DO UPDATE SET n = revenue_partner_deals.n + excluded.n, v = revenue_partner_deals.v + excluded.v;
	INSERT INTO revenue_network_deal_days (parent_id, day, stage, currency, n, v)
	SELECT p.parent_id, {{printf $day "NEW.created_at"}}, NEW.stage, NEW.currency, 1, NEW.value FROM partners p
	WHERE p.id = NEW.partner_id AND p.parent_id IS NOT NULL AND NEW.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (parent_id, day, stage, currency) DO UPDATE SET n = revenue_network_deal_days.n + excluded.n, v = revenue_network_deal_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_partner_deals_update AFTER UPDATE OF stage, registration, value, currency, created_at, partner_id ON pipeline_deals
WHEN OLD.stage IS NOT NEW.stage OR OLD.registration IS NOT NEW.registration OR OLD.value IS NOT NEW.value
	OR OLD.currency IS NOT NEW.currency OR OLD.created_at IS NOT NEW.created_at OR OLD.partner_id IS NOT NEW.partner_id BEGIN
	INSERT INTO revenue_partner_deals (partner_id, stage, currency, n, v)
	SELECT OLD.partner_id, OLD.stage, OLD.currency, -1, -OLD.value WHERE OLD.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (partner_id, stage, currency) DO UPDATE SET n = revenue_partner_deals.n + excluded.n, v = revenue_partner_deals.v + excluded.v;
	INSERT INTO revenue_network_deal_days (parent_id, day, stage, currency, n, v)
	SELECT p.parent_id, {{printf $day "OLD.created_at"}}, OLD.stage, OLD.currency, -1, -OLD.value FROM partners p
	WHERE p.id = OLD.partner_id AND p.parent_id IS NOT NULL AND OLD.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (parent_id, day, stage, currency) DO UPDATE SET n = revenue_network_deal_days.n + excluded.n, v = revenue_network_deal_days.v + excluded.v;
	INSERT INTO revenue_partner_deals (partner_id, stage, currency, n, v)
	SELECT NEW.partner_id, NEW.stage, NEW.currency, 1, NEW.value WHERE NEW.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (partner_id, stage, currency) DO UPDATE SET n = revenue_partner_deals.n + excluded.n, v = revenue_partner_deals.v + excluded.v;
	INSERT INTO revenue_network_deal_days (parent_id, day, stage, currency, n, v)
	SELECT p.parent_id, {{printf $day "NEW.created_at"}}, NEW.stage, NEW.currency, 1, NEW.value FROM partners p
	WHERE p.id = NEW.partner_id AND p.parent_id IS NOT NULL AND NEW.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (parent_id, day, stage, currency) DO UPDATE SET n = revenue_network_deal_days.n + excluded.n, v = revenue_network_deal_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_partner_deals_delete AFTER DELETE ON pipeline_deals BEGIN
	INSERT INTO revenue_partner_deals (partner_id, stage, currency, n, v)
	SELECT OLD.partner_id, OLD.stage, OLD.currency, -1, -OLD.value WHERE OLD.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (partner_id, stage, currency) DO UPDATE SET n = revenue_partner_deals.n + excluded.n, v = revenue_partner_deals.v + excluded.v;
	INSERT INTO revenue_network_deal_days (parent_id, day, stage, currency, n, v)
	SELECT p.parent_id, {{printf $day "OLD.created_at"}}, OLD.stage, OLD.currency, -1, -OLD.value FROM partners p
	WHERE p.id = OLD.partner_id AND p.parent_id IS NOT NULL AND OLD.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (parent_id, day, stage, currency) DO UPDATE SET n = revenue_network_deal_days.n + excluded.n, v = revenue_network_deal_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_network_commissions_insert AFTER INSERT ON pipeline_commissions BEGIN
	INSERT INTO revenue_network_commission_days (parent_id, day, status, currency, n, v)
	SELECT p.parent_id, {{printf $day "NEW.created_at"}}, NEW.status, NEW.currency, 1, NEW.amount FROM partners p
	WHERE p.id = NEW.partner_id AND p.parent_id IS NOT NULL
	ON CONFLICT (parent_id, day, status, currency) DO UPDATE SET n = revenue_network_commission_days.n + excluded.n, v = revenue_network_commission_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_network_commissions_update AFTER UPDATE OF status, currency, amount, created_at, partner_id ON pipeline_commissions
WHEN OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount
	OR OLD.created_at IS NOT NEW.created_at OR OLD.partner_id IS NOT NEW.partner_id BEGIN
	INSERT INTO revenue_network_commission_days (parent_id, day, status, currency, n, v)
	SELECT p.parent_id, {{printf $day "OLD.created_at"}}, OLD.status, OLD.currency, -1, -OLD.amount FROM partners p
	WHERE p.id = OLD.partner_id AND p.parent_id IS NOT NULL
	ON CONFLICT (parent_id, day, status, currency) DO UPDATE SET n = revenue_network_commission_days.n + excluded.n, v = revenue_network_commission_days.v + excluded.v;
	INSERT INTO revenue_network_commission_days (parent_id, day, status, currency, n, v)
	SELECT p.parent_id, {{printf $day "NEW.created_at"}}, NEW.status, NEW.currency, 1, NEW.amount FROM partners p
	WHERE p.id = NEW.partner_id AND p.parent_id IS NOT NULL
	ON CONFLICT (parent_id, day, status, currency) DO UPDATE SET n = revenue_network_commission_days.n + excluded.n, v = revenue_network_commission_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_network_commissions_delete AFTER DELETE ON pipeline_commissions BEGIN
	INSERT INTO revenue_network_commission_days (parent_id, day, status, currency, n, v)
	SELECT p.parent_id, {{printf $day "OLD.created_at"}}, OLD.status, OLD.currency, -1, -OLD.amount FROM partners p
	WHERE p.id = OLD.partner_id AND p.parent_id IS NOT NULL
	ON CONFLICT (parent_id, day, status, currency) DO UPDATE SET n = revenue_network_commission_days.n + excluded.n, v = revenue_network_commission_days.v + excluded.v;
END;
--bun:split
-- A partner that joins, leaves or changes network takes its counts along.
CREATE TRIGGER revenue_network_parent AFTER UPDATE OF parent_id ON partners WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN
{{- template "move" .}}
END;
{{- else}}
-- As in migrations/20261204000001, each function moves a row's counts in
-- one statement per table, the old row's out and the new row's in, summed
-- per key and applied in key order, so that two transactions cannot
-- deadlock on the count rows they share.
CREATE FUNCTION revenue_partner_leads_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN -- the common case, one row each
		INSERT INTO revenue_partner_lead_months (partner_id, month, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
		VALUES (NEW.partner_id, {{printf $month "NEW.created_at"}}, 1, {{template "oneIn"}})
		ON CONFLICT (partner_id, month) DO UPDATE SET {{template "add" "revenue_partner_lead_months"}};
		INSERT INTO revenue_partner_lead_days (partner_id, day, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
		VALUES (NEW.partner_id, {{printf $day "NEW.created_at"}}, 1, {{template "oneIn"}})
		ON CONFLICT (day, partner_id) DO UPDATE SET {{template "add" "revenue_partner_lead_days"}};
		RETURN NULL;
	END IF;
	INSERT INTO revenue_partner_lead_months (partner_id, month, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
	SELECT partner_id, k, sum(n), sum(n_new), sum(n_qualified), sum(n_demo), sum(n_proposal), sum(n_won), sum(n_lost) FROM (
		SELECT OLD.partner_id AS partner_id, {{printf $month "OLD.created_at"}} AS k, -1 AS n, {{template "oneOut"}}
		WHERE TG_OP <> 'INSERT'
		UNION ALL
		SELECT NEW.partner_id, {{printf $month "NEW.created_at"}}, 1, {{template "oneIn"}}
		WHERE TG_OP <> 'DELETE'
	) x GROUP BY 1, 2 ORDER BY 1, 2
	ON CONFLICT (partner_id, month) DO UPDATE SET {{template "add" "revenue_partner_lead_months"}};
	INSERT INTO revenue_partner_lead_days (partner_id, day, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
	SELECT partner_id, k, sum(n), sum(n_new), sum(n_qualified), sum(n_demo), sum(n_proposal), sum(n_won), sum(n_lost) FROM (
		SELECT OLD.partner_id AS partner_id, {{printf $day "OLD.created_at"}} AS k, -1 AS n, {{template "oneOut"}}
		WHERE TG_OP <> 'INSERT'
		UNION ALL
		SELECT NEW.partner_id, {{printf $day "NEW.created_at"}}, 1, {{template "oneIn"}}
		WHERE TG_OP <> 'DELETE'
	) x GROUP BY 1, 2 ORDER BY 2, 1
	ON CONFLICT (day, partner_id) DO UPDATE SET {{template "add" "revenue_partner_lead_days"}};
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_partner_leads_roll AFTER INSERT OR DELETE ON pipeline_leads
FOR EACH ROW EXECUTE FUNCTION revenue_partner_leads_roll();
--bun:split
CREATE TRIGGER revenue_partner_leads_reroll AFTER UPDATE OF status, created_at, partner_id ON pipeline_leads FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.created_at IS DISTINCT FROM NEW.created_at
	OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
EXECUTE FUNCTION revenue_partner_leads_roll();
--bun:split
CREATE FUNCTION revenue_partner_deals_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO revenue_partner_deals (partner_id, stage, currency, n, v)
	SELECT partner_id, stage, currency, sum(n), sum(v) FROM (
		SELECT OLD.partner_id AS partner_id, OLD.stage AS stage, OLD.currency AS currency, -1 AS n, -OLD.value AS v
		WHERE TG_OP <> 'INSERT' AND OLD.registration NOT IN ('pending', 'rejected')
		UNION ALL
		SELECT NEW.partner_id, NEW.stage, NEW.currency, 1, NEW.value
		WHERE TG_OP <> 'DELETE' AND NEW.registration NOT IN ('pending', 'rejected')
	) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (partner_id, stage, currency) DO UPDATE
	SET n = revenue_partner_deals.n + excluded.n, v = revenue_partner_deals.v + excluded.v;
	INSERT INTO revenue_network_deal_days (parent_id, day, stage, currency, n, v)
	SELECT parent_id, day, stage, currency, sum(n), sum(v) FROM (
		SELECT p.parent_id AS parent_id, {{printf $day "OLD.created_at"}} AS day, OLD.stage AS stage, OLD.currency AS currency,
			-1 AS n, -OLD.value AS v
		FROM partners p WHERE TG_OP <> 'INSERT' AND p.id = OLD.partner_id AND p.parent_id IS NOT NULL
			AND OLD.registration NOT IN ('pending', 'rejected')
		UNION ALL
		SELECT p.parent_id, {{printf $day "NEW.created_at"}}, NEW.stage, NEW.currency, 1, NEW.value
		FROM partners p WHERE TG_OP <> 'DELETE' AND p.id = NEW.partner_id AND p.parent_id IS NOT NULL
			AND NEW.registration NOT IN ('pending', 'rejected')
	) x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (parent_id, day, stage, currency) DO UPDATE
	SET n = revenue_network_deal_days.n + excluded.n, v = revenue_network_deal_days.v + excluded.v;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_partner_deals_roll AFTER INSERT OR DELETE ON pipeline_deals
FOR EACH ROW EXECUTE FUNCTION revenue_partner_deals_roll();
--bun:split
CREATE TRIGGER revenue_partner_deals_reroll AFTER UPDATE OF stage, registration, value, currency, created_at, partner_id
ON pipeline_deals FOR EACH ROW
WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.registration IS DISTINCT FROM NEW.registration
	OR OLD.value IS DISTINCT FROM NEW.value OR OLD.currency IS DISTINCT FROM NEW.currency
	OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
EXECUTE FUNCTION revenue_partner_deals_roll();
--bun:split
CREATE FUNCTION revenue_network_commissions_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO revenue_network_commission_days (parent_id, day, status, currency, n, v)
	SELECT parent_id, day, status, currency, sum(n), sum(v) FROM (
		SELECT p.parent_id AS parent_id, {{printf $day "OLD.created_at"}} AS day, OLD.status AS status, OLD.currency AS currency,
			-1 AS n, -OLD.amount AS v
		FROM partners p WHERE TG_OP <> 'INSERT' AND p.id = OLD.partner_id AND p.parent_id IS NOT NULL
		UNION ALL
		SELECT p.parent_id, {{printf $day "NEW.created_at"}}, NEW.status, NEW.currency, 1, NEW.amount
		FROM partners p WHERE TG_OP <> 'DELETE' AND p.id = NEW.partner_id AND p.parent_id IS NOT NULL
	) x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (parent_id, day, status, currency) DO UPDATE
	SET n = revenue_network_commission_days.n + excluded.n, v = revenue_network_commission_days.v + excluded.v;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_network_commissions_roll AFTER INSERT OR DELETE ON pipeline_commissions
FOR EACH ROW EXECUTE FUNCTION revenue_network_commissions_roll();
--bun:split
CREATE TRIGGER revenue_network_commissions_reroll AFTER UPDATE OF status, currency, amount, created_at, partner_id
ON pipeline_commissions FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.currency IS DISTINCT FROM NEW.currency
	OR OLD.amount IS DISTINCT FROM NEW.amount OR OLD.created_at IS DISTINCT FROM NEW.created_at
	OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
EXECUTE FUNCTION revenue_network_commissions_roll();
--bun:split
-- A partner that joins, leaves or changes network takes its counts along.
CREATE FUNCTION revenue_network_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{{- template "move" .}}
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_network_parent AFTER UPDATE OF parent_id ON partners FOR EACH ROW
WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION revenue_network_parent();
{{- end}}
{{- /* sums: the status columns of a GROUP BY over leads aliased "." */ -}}
{{- define "sums"}}sum(CASE WHEN {{.}}.status = 'new' THEN 1 ELSE 0 END), sum(CASE WHEN {{.}}.status = 'qualified' THEN 1 ELSE 0 END), sum(CASE WHEN {{.}}.status = 'demo' THEN 1 ELSE 0 END), sum(CASE WHEN {{.}}.status = 'proposal' THEN 1 ELSE 0 END), sum(CASE WHEN {{.}}.status = 'closed_won' THEN 1 ELSE 0 END), sum(CASE WHEN {{.}}.status = 'closed_lost' THEN 1 ELSE 0 END){{end}}
{{- /* oneIn and oneOut: a lead row's status columns, 1 (or -1) in its status's */ -}}
{{- define "oneIn"}}CASE WHEN NEW.status = 'new' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'qualified' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'demo' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'proposal' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'closed_won' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'closed_lost' THEN 1 ELSE 0 END{{end}}
{{- define "oneOut"}}CASE WHEN OLD.status = 'new' THEN -1 ELSE 0 END AS n_new, CASE WHEN OLD.status = 'qualified' THEN -1 ELSE 0 END AS n_qualified, CASE WHEN OLD.status = 'demo' THEN -1 ELSE 0 END AS n_demo, CASE WHEN OLD.status = 'proposal' THEN -1 ELSE 0 END AS n_proposal, CASE WHEN OLD.status = 'closed_won' THEN -1 ELSE 0 END AS n_won, CASE WHEN OLD.status = 'closed_lost' THEN -1 ELSE 0 END AS n_lost{{end}}
{{- /* add: the upsert of the lead tables' columns into table "." */ -}}
{{- define "add"}}n = {{.}}.n + excluded.n, n_new = {{.}}.n_new + excluded.n_new, n_qualified = {{.}}.n_qualified + excluded.n_qualified, n_demo = {{.}}.n_demo + excluded.n_demo, n_proposal = {{.}}.n_proposal + excluded.n_proposal, n_won = {{.}}.n_won + excluded.n_won, n_lost = {{.}}.n_lost + excluded.n_lost{{end}}
{{- /* leadIn and leadOut: SQLite counts a lead row in (NEW) or out (OLD) */ -}}
{{- define "leadIn"}}
	INSERT INTO revenue_partner_lead_months (partner_id, month, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
	VALUES (NEW.partner_id, ((CAST(substr(NEW.created_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(NEW.created_at, 6, 2) AS INTEGER) - 1), 1, CASE WHEN NEW.status = 'new' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'qualified' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'demo' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'proposal' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'closed_won' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'closed_lost' THEN 1 ELSE 0 END)
	ON CONFLICT (partner_id, month) DO UPDATE SET n = revenue_partner_lead_months.n + excluded.n, n_new = revenue_partner_lead_months.n_new + excluded.n_new, n_qualified = revenue_partner_lead_months.n_qualified + excluded.n_qualified, n_demo = revenue_partner_lead_months.n_demo + excluded.n_demo, n_proposal = revenue_partner_lead_months.n_proposal + excluded.n_proposal, n_won = revenue_partner_lead_months.n_won + excluded.n_won, n_lost = revenue_partner_lead_months.n_lost + excluded.n_lost;
	INSERT INTO revenue_partner_lead_days (partner_id, day, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
	VALUES (NEW.partner_id, CAST(julianday(substr(NEW.created_at, 1, 10)) - 2440587.5 AS INTEGER), 1, CASE WHEN NEW.status = 'new' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'qualified' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'demo' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'proposal' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'closed_won' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'closed_lost' THEN 1 ELSE 0 END)
	ON CONFLICT (day, partner_id) DO UPDATE SET n = revenue_partner_lead_days.n + excluded.n, n_new = revenue_partner_lead_days.n_new + excluded.n_new, n_qualified = revenue_partner_lead_days.n_qualified + excluded.n_qualified, n_demo = revenue_partner_lead_days.n_demo + excluded.n_demo, n_proposal = revenue_partner_lead_days.n_proposal + excluded.n_proposal, n_won = revenue_partner_lead_days.n_won + excluded.n_won, n_lost = revenue_partner_lead_days.n_lost + excluded.n_lost;{{end}}
{{- define "leadOut"}}
	INSERT INTO revenue_partner_lead_months (partner_id, month, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
	VALUES (OLD.partner_id, ((CAST(substr(OLD.created_at, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(OLD.created_at, 6, 2) AS INTEGER) - 1), -1, CASE WHEN OLD.status = 'new' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'qualified' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'demo' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'proposal' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'closed_won' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'closed_lost' THEN -1 ELSE 0 END)
	ON CONFLICT (partner_id, month) DO UPDATE SET n = revenue_partner_lead_months.n + excluded.n, n_new = revenue_partner_lead_months.n_new + excluded.n_new, n_qualified = revenue_partner_lead_months.n_qualified + excluded.n_qualified, n_demo = revenue_partner_lead_months.n_demo + excluded.n_demo, n_proposal = revenue_partner_lead_months.n_proposal + excluded.n_proposal, n_won = revenue_partner_lead_months.n_won + excluded.n_won, n_lost = revenue_partner_lead_months.n_lost + excluded.n_lost;
	INSERT INTO revenue_partner_lead_days (partner_id, day, n, n_new, n_qualified, n_demo, n_proposal, n_won, n_lost)
	VALUES (OLD.partner_id, CAST(julianday(substr(OLD.created_at, 1, 10)) - 2440587.5 AS INTEGER), -1, CASE WHEN OLD.status = 'new' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'qualified' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'demo' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'proposal' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'closed_won' THEN -1 ELSE 0 END, CASE WHEN OLD.status = 'closed_lost' THEN -1 ELSE 0 END)
	ON CONFLICT (day, partner_id) DO UPDATE SET n = revenue_partner_lead_days.n + excluded.n, n_new = revenue_partner_lead_days.n_new + excluded.n_new, n_qualified = revenue_partner_lead_days.n_qualified + excluded.n_qualified, n_demo = revenue_partner_lead_days.n_demo + excluded.n_demo, n_proposal = revenue_partner_lead_days.n_proposal + excluded.n_proposal, n_won = revenue_partner_lead_days.n_won + excluded.n_won, n_lost = revenue_partner_lead_days.n_lost + excluded.n_lost;{{end}}
{{- define "move"}}
{{- $day := "CAST(julianday(substr(%s, 1, 10)) - 2440587.5 AS INTEGER)" -}}
{{- if .Postgres}}{{$day = "((%s AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"}}{{end}}
	-- The partner's counts leave the old network and join the new one, per
	-- table in one statement that takes the count rows in key order.
	INSERT INTO revenue_network_deal_days (parent_id, day, stage, currency, n, v)
	SELECT parent_id, day, stage, currency, sum(n), sum(v) FROM (
		SELECT OLD.parent_id AS parent_id, {{printf $day "d.created_at"}} AS day, d.stage AS stage, d.currency AS currency,
			-1 AS n, -d.value AS v
		FROM pipeline_deals d WHERE OLD.parent_id IS NOT NULL AND d.partner_id = NEW.id AND d.registration NOT IN ('pending', 'rejected')
		UNION ALL
		SELECT NEW.parent_id, {{printf $day "d.created_at"}}, d.stage, d.currency, 1, d.value
		FROM pipeline_deals d WHERE NEW.parent_id IS NOT NULL AND d.partner_id = NEW.id AND d.registration NOT IN ('pending', 'rejected')
	) x WHERE true GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (parent_id, day, stage, currency) DO UPDATE
	SET n = revenue_network_deal_days.n + excluded.n, v = revenue_network_deal_days.v + excluded.v;
	INSERT INTO revenue_network_commission_days (parent_id, day, status, currency, n, v)
	SELECT parent_id, day, status, currency, sum(n), sum(v) FROM (
		SELECT OLD.parent_id AS parent_id, {{printf $day "c.created_at"}} AS day, c.status AS status, c.currency AS currency,
			-1 AS n, -c.amount AS v
		FROM pipeline_commissions c WHERE OLD.parent_id IS NOT NULL AND c.partner_id = NEW.id
		UNION ALL
		SELECT NEW.parent_id, {{printf $day "c.created_at"}}, c.status, c.currency, 1, c.amount
		FROM pipeline_commissions c WHERE NEW.parent_id IS NOT NULL AND c.partner_id = NEW.id
	) x WHERE true GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (parent_id, day, status, currency) DO UPDATE
	SET n = revenue_network_commission_days.n + excluded.n, v = revenue_network_commission_days.v + excluded.v;
{{- end}}
