{{- if .Postgres}}
DROP TRIGGER revenue_network_parent ON partners;
--bun:split
DROP FUNCTION revenue_network_parent();
--bun:split
DROP TRIGGER revenue_network_commissions_reroll ON pipeline_commissions;
--bun:split
DROP TRIGGER revenue_network_commissions_roll ON pipeline_commissions;
--bun:split
DROP FUNCTION revenue_network_commissions_roll();
--bun:split
DROP TRIGGER revenue_partner_deals_reroll ON pipeline_deals;
--bun:split
DROP TRIGGER revenue_partner_deals_roll ON pipeline_deals;
--bun:split
DROP FUNCTION revenue_partner_deals_roll();
--bun:split
DROP TRIGGER revenue_partner_leads_reroll ON pipeline_leads;
--bun:split
DROP TRIGGER revenue_partner_leads_roll ON pipeline_leads;
--bun:split
DROP FUNCTION revenue_partner_leads_roll();
{{- else}}
DROP TRIGGER revenue_network_parent;
--bun:split
DROP TRIGGER revenue_network_commissions_delete;
--bun:split
DROP TRIGGER revenue_network_commissions_update;
--bun:split
DROP TRIGGER revenue_network_commissions_insert;
--bun:split
DROP TRIGGER revenue_partner_deals_delete;
--bun:split
DROP TRIGGER revenue_partner_deals_update;
--bun:split
DROP TRIGGER revenue_partner_deals_insert;
--bun:split
DROP TRIGGER revenue_partner_leads_delete;
--bun:split
DROP TRIGGER revenue_partner_leads_update;
--bun:split
DROP TRIGGER revenue_partner_leads_insert;
{{- end}}
--bun:split
DROP TABLE revenue_network_commission_days;
--bun:split
DROP TABLE revenue_network_deal_days;
--bun:split
DROP TABLE revenue_partner_deals;
--bun:split
DROP TABLE revenue_partner_lead_days;
--bun:split
DROP TABLE revenue_partner_lead_months;
