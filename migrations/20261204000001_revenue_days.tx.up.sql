{{- /* $day turns a timestamp column into its UTC day: days since 1970-01-01. */ -}}
{{- $day := "CAST(julianday(substr(%s, 1, 10)) - 2440587.5 AS INTEGER)" -}}
{{- if .Postgres}}{{$day = "((%s AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"}}{{end -}}
-- Daily counts for the Revenue & Leads dashboard, per UTC day and partner
-- type. Every partner or a whole partner type over a year is millions of
-- index entries in the pipeline's tables; from these it is a few thousand
-- rows whatever the range. Days are UTC days (days since 1970-01-01); the
-- dashboard reads the rows of the range's whole UTC days from here and the
-- hours at its edges, which a reporting zone off UTC puts inside a UTC day,
-- from the pipeline's own rows, so every zone gets exact figures.
--
-- Triggers keep the counts in the transaction that changes a lead, deal,
-- commission or partner type, whichever code writes it. A count that falls
-- to zero keeps its row (a zero adds nothing).
--
-- Leads by the day they were submitted and their status now.
CREATE TABLE revenue_lead_days (
	day INTEGER NOT NULL,
	partner_type TEXT NOT NULL,
	status TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (day, partner_type, status)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- Deals in the pipeline (not a registration awaiting approval or
-- rejected) by the day they were created and their stage now.
CREATE TABLE revenue_deal_days (
	day INTEGER NOT NULL,
	partner_type TEXT NOT NULL,
	stage TEXT NOT NULL,
	currency TEXT NOT NULL,
	n BIGINT NOT NULL,
	v BIGINT NOT NULL,
	PRIMARY KEY (day, partner_type, stage, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- Deals closed won by the day they closed.
CREATE TABLE revenue_won_days (
	day INTEGER NOT NULL,
	partner_type TEXT NOT NULL,
	currency TEXT NOT NULL,
	n BIGINT NOT NULL,
	v BIGINT NOT NULL,
	PRIMARY KEY (day, partner_type, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- Commission ledger entries by the day they were made and their status now.
CREATE TABLE revenue_commission_days (
	day INTEGER NOT NULL,
	partner_type TEXT NOT NULL,
	status TEXT NOT NULL,
	currency TEXT NOT NULL,
	n BIGINT NOT NULL,
	v BIGINT NOT NULL,
	PRIMARY KEY (day, partner_type, status, currency)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- Pipeline by stage reads the hours at a range's edges from the deals by
-- the moment they were created; the index for the whole range
-- (migrations/20261129000001) begins with the stage, which a few hours of
-- every stage cannot use.
CREATE INDEX pipeline_deals_created_at ON pipeline_deals (created_at, partner_id, registration, stage, currency, value);
--bun:split
INSERT INTO revenue_lead_days (day, partner_type, status, n)
SELECT {{printf $day "l.created_at"}}, p.type, l.status, count(*)
FROM pipeline_leads l JOIN partners p ON p.id = l.partner_id GROUP BY 1, 2, 3;
--bun:split
INSERT INTO revenue_deal_days (day, partner_type, stage, currency, n, v)
SELECT {{printf $day "d.created_at"}}, p.type, d.stage, d.currency, count(*), sum(d.value)
FROM pipeline_deals d JOIN partners p ON p.id = d.partner_id
WHERE d.registration NOT IN ('pending', 'rejected') GROUP BY 1, 2, 3, 4;
--bun:split
INSERT INTO revenue_won_days (day, partner_type, currency, n, v)
SELECT {{printf $day "d.closed_at"}}, p.type, d.currency, count(*), sum(d.value)
FROM pipeline_deals d JOIN partners p ON p.id = d.partner_id
WHERE d.stage = 'closed_won' AND d.closed_at IS NOT NULL GROUP BY 1, 2, 3;
--bun:split
INSERT INTO revenue_commission_days (day, partner_type, status, currency, n, v)
SELECT {{printf $day "c.created_at"}}, p.type, c.status, c.currency, count(*), sum(c.amount)
FROM pipeline_commissions c JOIN partners p ON p.id = c.partner_id GROUP BY 1, 2, 3, 4;
--bun:split
{{- if not .Postgres}}
CREATE TRIGGER revenue_leads_insert AFTER INSERT ON pipeline_leads BEGIN
	INSERT INTO revenue_lead_days (day, partner_type, status, n)
	SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.status, 1 FROM partners p WHERE p.id = NEW.partner_id
	ON CONFLICT (day, partner_type, status) DO UPDATE SET n = revenue_lead_days.n + excluded.n;
END;
--bun:split
CREATE TRIGGER revenue_leads_update AFTER UPDATE OF status, created_at, partner_id ON pipeline_leads
WHEN OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at OR OLD.partner_id IS NOT NEW.partner_id BEGIN
	INSERT INTO revenue_lead_days (day, partner_type, status, n)
	SELECT {{printf $day "OLD.created_at"}}, p.type, OLD.status, -1 FROM partners p WHERE p.id = OLD.partner_id
	ON CONFLICT (day, partner_type, status) DO UPDATE SET n = revenue_lead_days.n + excluded.n;
	INSERT INTO revenue_lead_days (day, partner_type, status, n)
	SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.status, 1 FROM partners p WHERE p.id = NEW.partner_id
	ON CONFLICT (day, partner_type, status) DO UPDATE SET n = revenue_lead_days.n + excluded.n;
END;
--bun:split
CREATE TRIGGER revenue_leads_delete AFTER DELETE ON pipeline_leads BEGIN
	INSERT INTO revenue_lead_days (day, partner_type, status, n)
	SELECT {{printf $day "OLD.created_at"}}, p.type, OLD.status, -1 FROM partners p WHERE p.id = OLD.partner_id
	ON CONFLICT (day, partner_type, status) DO UPDATE SET n = revenue_lead_days.n + excluded.n;
END;
--bun:split
CREATE TRIGGER revenue_deals_insert AFTER INSERT ON pipeline_deals BEGIN
	INSERT INTO revenue_deal_days (day, partner_type, stage, currency, n, v)
	SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.stage, NEW.currency, 1, NEW.value FROM partners p
	WHERE p.id = NEW.partner_id AND NEW.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (day, partner_type, stage, currency) DO UPDATE SET n = revenue_deal_days.n + excluded.n, v = revenue_deal_days.v + excluded.v;
	INSERT INTO revenue_won_days (day, partner_type, currency, n, v)
	SELECT {{printf $day "NEW.closed_at"}}, p.type, NEW.currency, 1, NEW.value FROM partners p
	WHERE p.id = NEW.partner_id AND NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	ON CONFLICT (day, partner_type, currency) DO UPDATE SET n = revenue_won_days.n + excluded.n, v = revenue_won_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_deals_update AFTER UPDATE OF stage, registration, value, currency, created_at, closed_at, partner_id ON pipeline_deals
WHEN OLD.stage IS NOT NEW.stage OR OLD.registration IS NOT NEW.registration OR OLD.value IS NOT NEW.value
	OR OLD.currency IS NOT NEW.currency OR OLD.created_at IS NOT NEW.created_at OR OLD.closed_at IS NOT NEW.closed_at
	OR OLD.partner_id IS NOT NEW.partner_id BEGIN
	INSERT INTO revenue_deal_days (day, partner_type, stage, currency, n, v)
	SELECT {{printf $day "OLD.created_at"}}, p.type, OLD.stage, OLD.currency, -1, -OLD.value FROM partners p
	WHERE p.id = OLD.partner_id AND OLD.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (day, partner_type, stage, currency) DO UPDATE SET n = revenue_deal_days.n + excluded.n, v = revenue_deal_days.v + excluded.v;
	INSERT INTO revenue_won_days (day, partner_type, currency, n, v)
	SELECT {{printf $day "OLD.closed_at"}}, p.type, OLD.currency, -1, -OLD.value FROM partners p
	WHERE p.id = OLD.partner_id AND OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
	ON CONFLICT (day, partner_type, currency) DO UPDATE SET n = revenue_won_days.n + excluded.n, v = revenue_won_days.v + excluded.v;
	INSERT INTO revenue_deal_days (day, partner_type, stage, currency, n, v)
	SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.stage, NEW.currency, 1, NEW.value FROM partners p
	WHERE p.id = NEW.partner_id AND NEW.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (day, partner_type, stage, currency) DO UPDATE SET n = revenue_deal_days.n + excluded.n, v = revenue_deal_days.v + excluded.v;
	INSERT INTO revenue_won_days (day, partner_type, currency, n, v)
	SELECT {{printf $day "NEW.closed_at"}}, p.type, NEW.currency, 1, NEW.value FROM partners p
	WHERE p.id = NEW.partner_id AND NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	ON CONFLICT (day, partner_type, currency) DO UPDATE SET n = revenue_won_days.n + excluded.n, v = revenue_won_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_deals_delete AFTER DELETE ON pipeline_deals BEGIN
	INSERT INTO revenue_deal_days (day, partner_type, stage, currency, n, v)
	SELECT {{printf $day "OLD.created_at"}}, p.type, OLD.stage, OLD.currency, -1, -OLD.value FROM partners p
	WHERE p.id = OLD.partner_id AND OLD.registration NOT IN ('pending', 'rejected')
	ON CONFLICT (day, partner_type, stage, currency) DO UPDATE SET n = revenue_deal_days.n + excluded.n, v = revenue_deal_days.v + excluded.v;
	INSERT INTO revenue_won_days (day, partner_type, currency, n, v)
	SELECT {{printf $day "OLD.closed_at"}}, p.type, OLD.currency, -1, -OLD.value FROM partners p
	WHERE p.id = OLD.partner_id AND OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
	ON CONFLICT (day, partner_type, currency) DO UPDATE SET n = revenue_won_days.n + excluded.n, v = revenue_won_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_commissions_insert AFTER INSERT ON pipeline_commissions BEGIN
	INSERT INTO revenue_commission_days (day, partner_type, status, currency, n, v)
	SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.status, NEW.currency, 1, NEW.amount FROM partners p WHERE p.id = NEW.partner_id
	ON CONFLICT (day, partner_type, status, currency) DO UPDATE SET n = revenue_commission_days.n + excluded.n, v = revenue_commission_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_commissions_update AFTER UPDATE OF status, currency, amount, created_at, partner_id ON pipeline_commissions
WHEN OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount
	OR OLD.created_at IS NOT NEW.created_at OR OLD.partner_id IS NOT NEW.partner_id BEGIN
	INSERT INTO revenue_commission_days (day, partner_type, status, currency, n, v)
	SELECT {{printf $day "OLD.created_at"}}, p.type, OLD.status, OLD.currency, -1, -OLD.amount FROM partners p WHERE p.id = OLD.partner_id
	ON CONFLICT (day, partner_type, status, currency) DO UPDATE SET n = revenue_commission_days.n + excluded.n, v = revenue_commission_days.v + excluded.v;
	INSERT INTO revenue_commission_days (day, partner_type, status, currency, n, v)
	SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.status, NEW.currency, 1, NEW.amount FROM partners p WHERE p.id = NEW.partner_id
	ON CONFLICT (day, partner_type, status, currency) DO UPDATE SET n = revenue_commission_days.n + excluded.n, v = revenue_commission_days.v + excluded.v;
END;
--bun:split
CREATE TRIGGER revenue_commissions_delete AFTER DELETE ON pipeline_commissions BEGIN
	INSERT INTO revenue_commission_days (day, partner_type, status, currency, n, v)
	SELECT {{printf $day "OLD.created_at"}}, p.type, OLD.status, OLD.currency, -1, -OLD.amount FROM partners p WHERE p.id = OLD.partner_id
	ON CONFLICT (day, partner_type, status, currency) DO UPDATE SET n = revenue_commission_days.n + excluded.n, v = revenue_commission_days.v + excluded.v;
END;
--bun:split
-- A partner that changes type takes its counts along.
CREATE TRIGGER revenue_partner_type AFTER UPDATE OF type ON partners WHEN OLD.type IS NOT NEW.type BEGIN
{{- template "move" .}}
END;
{{- else}}
-- Each function below moves a row's counts in one statement per table:
-- the old row's counts out and the new row's in, summed per key and
-- applied in key order. Two transactions changing leads of the same day
-- and partner type then lock the count rows they share in the same order,
-- and cannot deadlock; and a change that moves nothing (a value edited
-- back) still touches each row once.
CREATE FUNCTION revenue_leads_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO revenue_lead_days (day, partner_type, status, n)
	SELECT day, partner_type, status, sum(n) FROM (
		SELECT {{printf $day "OLD.created_at"}} AS day, p.type AS partner_type, OLD.status AS status, -1 AS n
		FROM partners p WHERE TG_OP <> 'INSERT' AND p.id = OLD.partner_id
		UNION ALL
		SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.status, 1
		FROM partners p WHERE TG_OP <> 'DELETE' AND p.id = NEW.partner_id
	) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (day, partner_type, status) DO UPDATE SET n = revenue_lead_days.n + excluded.n;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_leads_roll AFTER INSERT OR DELETE ON pipeline_leads
FOR EACH ROW EXECUTE FUNCTION revenue_leads_roll();
--bun:split
CREATE TRIGGER revenue_leads_reroll AFTER UPDATE OF status, created_at, partner_id ON pipeline_leads FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.created_at IS DISTINCT FROM NEW.created_at
	OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
EXECUTE FUNCTION revenue_leads_roll();
--bun:split
CREATE FUNCTION revenue_deals_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO revenue_deal_days (day, partner_type, stage, currency, n, v)
	SELECT day, partner_type, stage, currency, sum(n), sum(v) FROM (
		SELECT {{printf $day "OLD.created_at"}} AS day, p.type AS partner_type, OLD.stage AS stage, OLD.currency AS currency,
			-1 AS n, -OLD.value AS v
		FROM partners p WHERE TG_OP <> 'INSERT' AND p.id = OLD.partner_id AND OLD.registration NOT IN ('pending', 'rejected')
		UNION ALL
		SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.stage, NEW.currency, 1, NEW.value
		FROM partners p WHERE TG_OP <> 'DELETE' AND p.id = NEW.partner_id AND NEW.registration NOT IN ('pending', 'rejected')
	) x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (day, partner_type, stage, currency) DO UPDATE
	SET n = revenue_deal_days.n + excluded.n, v = revenue_deal_days.v + excluded.v;
	INSERT INTO revenue_won_days (day, partner_type, currency, n, v)
	SELECT day, partner_type, currency, sum(n), sum(v) FROM (
		SELECT {{printf $day "OLD.closed_at"}} AS day, p.type AS partner_type, OLD.currency AS currency, -1 AS n, -OLD.value AS v
		FROM partners p WHERE TG_OP <> 'INSERT' AND p.id = OLD.partner_id AND OLD.stage = 'closed_won' AND OLD.closed_at IS NOT NULL
		UNION ALL
		SELECT {{printf $day "NEW.closed_at"}}, p.type, NEW.currency, 1, NEW.value
		FROM partners p WHERE TG_OP <> 'DELETE' AND p.id = NEW.partner_id AND NEW.stage = 'closed_won' AND NEW.closed_at IS NOT NULL
	) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (day, partner_type, currency) DO UPDATE
	SET n = revenue_won_days.n + excluded.n, v = revenue_won_days.v + excluded.v;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_deals_roll AFTER INSERT OR DELETE ON pipeline_deals
FOR EACH ROW EXECUTE FUNCTION revenue_deals_roll();
--bun:split
CREATE TRIGGER revenue_deals_reroll AFTER UPDATE OF stage, registration, value, currency, created_at, closed_at, partner_id
ON pipeline_deals FOR EACH ROW
WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.registration IS DISTINCT FROM NEW.registration
	OR OLD.value IS DISTINCT FROM NEW.value OR OLD.currency IS DISTINCT FROM NEW.currency
	OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
	OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
EXECUTE FUNCTION revenue_deals_roll();
--bun:split
CREATE FUNCTION revenue_commissions_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO revenue_commission_days (day, partner_type, status, currency, n, v)
	SELECT day, partner_type, status, currency, sum(n), sum(v) FROM (
		SELECT {{printf $day "OLD.created_at"}} AS day, p.type AS partner_type, OLD.status AS status, OLD.currency AS currency,
			-1 AS n, -OLD.amount AS v
		FROM partners p WHERE TG_OP <> 'INSERT' AND p.id = OLD.partner_id
		UNION ALL
		SELECT {{printf $day "NEW.created_at"}}, p.type, NEW.status, NEW.currency, 1, NEW.amount
		FROM partners p WHERE TG_OP <> 'DELETE' AND p.id = NEW.partner_id
	) x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (day, partner_type, status, currency) DO UPDATE
	SET n = revenue_commission_days.n + excluded.n, v = revenue_commission_days.v + excluded.v;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_commissions_roll AFTER INSERT OR DELETE ON pipeline_commissions
FOR EACH ROW EXECUTE FUNCTION revenue_commissions_roll();
--bun:split
CREATE TRIGGER revenue_commissions_reroll AFTER UPDATE OF status, currency, amount, created_at, partner_id
ON pipeline_commissions FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.currency IS DISTINCT FROM NEW.currency
	OR OLD.amount IS DISTINCT FROM NEW.amount OR OLD.created_at IS DISTINCT FROM NEW.created_at
	OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
EXECUTE FUNCTION revenue_commissions_roll();
--bun:split
-- A partner that changes type takes its counts along.
CREATE FUNCTION revenue_partner_type() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{{- template "move" .}}
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER revenue_partner_type AFTER UPDATE OF type ON partners FOR EACH ROW
WHEN (OLD.type IS DISTINCT FROM NEW.type) EXECUTE FUNCTION revenue_partner_type();
{{- end}}
{{- define "move"}}
{{- $day := "CAST(julianday(substr(%s, 1, 10)) - 2440587.5 AS INTEGER)" -}}
{{- if .Postgres}}{{$day = "((%s AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"}}{{end}}
	-- The partner's counts leave the old type and join the new one, per
	-- table in one statement that takes the count rows in key order.
	INSERT INTO revenue_lead_days (day, partner_type, status, n)
	SELECT day, partner_type, status, sum(n) FROM (
		SELECT {{printf $day "l.created_at"}} AS day, OLD.type AS partner_type, l.status AS status, -1 AS n
		FROM pipeline_leads l WHERE l.partner_id = NEW.id
		UNION ALL
		SELECT {{printf $day "l.created_at"}}, NEW.type, l.status, 1 FROM pipeline_leads l WHERE l.partner_id = NEW.id
	) x WHERE true GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (day, partner_type, status) DO UPDATE SET n = revenue_lead_days.n + excluded.n;
	INSERT INTO revenue_deal_days (day, partner_type, stage, currency, n, v)
	SELECT day, partner_type, stage, currency, sum(n), sum(v) FROM (
		SELECT {{printf $day "d.created_at"}} AS day, OLD.type AS partner_type, d.stage AS stage, d.currency AS currency,
			-1 AS n, -d.value AS v
		FROM pipeline_deals d WHERE d.partner_id = NEW.id AND d.registration NOT IN ('pending', 'rejected')
		UNION ALL
		SELECT {{printf $day "d.created_at"}}, NEW.type, d.stage, d.currency, 1, d.value
		FROM pipeline_deals d WHERE d.partner_id = NEW.id AND d.registration NOT IN ('pending', 'rejected')
	) x WHERE true GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (day, partner_type, stage, currency) DO UPDATE
	SET n = revenue_deal_days.n + excluded.n, v = revenue_deal_days.v + excluded.v;
	INSERT INTO revenue_won_days (day, partner_type, currency, n, v)
	SELECT day, partner_type, currency, sum(n), sum(v) FROM (
		SELECT {{printf $day "d.closed_at"}} AS day, OLD.type AS partner_type, d.currency AS currency, -1 AS n, -d.value AS v
		FROM pipeline_deals d WHERE d.partner_id = NEW.id AND d.stage = 'closed_won' AND d.closed_at IS NOT NULL
		UNION ALL
		SELECT {{printf $day "d.closed_at"}}, NEW.type, d.currency, 1, d.value
		FROM pipeline_deals d WHERE d.partner_id = NEW.id AND d.stage = 'closed_won' AND d.closed_at IS NOT NULL
	) x WHERE true GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (day, partner_type, currency) DO UPDATE
	SET n = revenue_won_days.n + excluded.n, v = revenue_won_days.v + excluded.v;
	INSERT INTO revenue_commission_days (day, partner_type, status, currency, n, v)
	SELECT day, partner_type, status, currency, sum(n), sum(v) FROM (
		SELECT {{printf $day "c.created_at"}} AS day, OLD.type AS partner_type, c.status AS status, c.currency AS currency,
			-1 AS n, -c.amount AS v
		FROM pipeline_commissions c WHERE c.partner_id = NEW.id
		UNION ALL
		SELECT {{printf $day "c.created_at"}}, NEW.type, c.status, c.currency, 1, c.amount
		FROM pipeline_commissions c WHERE c.partner_id = NEW.id
	) x WHERE true GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (day, partner_type, status, currency) DO UPDATE
	SET n = revenue_commission_days.n + excluded.n, v = revenue_commission_days.v + excluded.v;
{{- end}}
