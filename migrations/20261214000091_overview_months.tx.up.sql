-- The Overview's monthly figures (trends and sparklines) read one partner's
-- last months: each count is a range over an index that starts with the
-- partner, as the Overview's other figures are.
CREATE INDEX pipeline_deals_partner_created ON pipeline_deals (partner_id, created_at);
--bun:split
CREATE INDEX pipeline_deals_partner_won ON pipeline_deals (partner_id, closed_at, value) WHERE stage = 'closed_won';
--bun:split
CREATE INDEX pipeline_commissions_partner_created ON pipeline_commissions (partner_id, created_at, amount);
