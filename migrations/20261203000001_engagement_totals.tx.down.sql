DROP TABLE engagement_partner_totals;
