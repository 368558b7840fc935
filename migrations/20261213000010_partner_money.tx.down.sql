{{- if .Postgres}}
DROP TRIGGER revenue_partner_money_commissions_reroll ON pipeline_commissions;
--bun:split
DROP TRIGGER revenue_partner_money_commissions_roll ON pipeline_commissions;
--bun:split
DROP FUNCTION revenue_partner_money_commissions_roll();
--bun:split
DROP TRIGGER revenue_partner_money_deals_reroll ON pipeline_deals;
--bun:split
DROP TRIGGER revenue_partner_money_deals_unroll ON pipeline_deals;
--bun:split
DROP TRIGGER revenue_partner_money_deals_roll ON pipeline_deals;
--bun:split
DROP FUNCTION revenue_partner_money_deals_roll();
{{- else}}
DROP TRIGGER revenue_partner_money_commissions_delete;
--bun:split
DROP TRIGGER revenue_partner_money_commissions_update;
--bun:split
DROP TRIGGER revenue_partner_money_commissions_insert;
--bun:split
DROP TRIGGER revenue_partner_money_deals_delete;
--bun:split
DROP TRIGGER revenue_partner_money_deals_update;
--bun:split
DROP TRIGGER revenue_partner_money_deals_insert;
{{- end}}
--bun:split
DROP TABLE revenue_partner_money_days;
--bun:split
DROP TABLE revenue_partner_money_months;
