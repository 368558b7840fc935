{{- if .Postgres}}
DROP TRIGGER revenue_partner_type ON partners;
--bun:split
DROP FUNCTION revenue_partner_type();
--bun:split
DROP TRIGGER revenue_commissions_reroll ON pipeline_commissions;
--bun:split
DROP TRIGGER revenue_commissions_roll ON pipeline_commissions;
--bun:split
DROP FUNCTION revenue_commissions_roll();
--bun:split
DROP TRIGGER revenue_deals_reroll ON pipeline_deals;
--bun:split
DROP TRIGGER revenue_deals_roll ON pipeline_deals;
--bun:split
DROP FUNCTION revenue_deals_roll();
--bun:split
DROP TRIGGER revenue_leads_reroll ON pipeline_leads;
--bun:split
DROP TRIGGER revenue_leads_roll ON pipeline_leads;
--bun:split
DROP FUNCTION revenue_leads_roll();
{{- else}}
DROP TRIGGER revenue_partner_type;
--bun:split
DROP TRIGGER revenue_commissions_delete;
--bun:split
DROP TRIGGER revenue_commissions_update;
--bun:split
DROP TRIGGER revenue_commissions_insert;
--bun:split
DROP TRIGGER revenue_deals_delete;
--bun:split
DROP TRIGGER revenue_deals_update;
--bun:split
DROP TRIGGER revenue_deals_insert;
--bun:split
DROP TRIGGER revenue_leads_delete;
--bun:split
DROP TRIGGER revenue_leads_update;
--bun:split
DROP TRIGGER revenue_leads_insert;
{{- end}}
--bun:split
DROP INDEX pipeline_deals_created_at;
--bun:split
DROP TABLE revenue_commission_days;
--bun:split
DROP TABLE revenue_won_days;
--bun:split
DROP TABLE revenue_deal_days;
--bun:split
DROP TABLE revenue_lead_days;
