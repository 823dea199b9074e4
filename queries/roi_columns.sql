-- Question: which optional columns do the user's ad_spend and orders files
--   carry (so a measure built on an absent one is "—" with its reason, not 0)?
-- Grain: one row.
-- Parameters: none. Decided over the whole tables, not a period: ingest
--   stores an absent optional column as NULL in every row.
-- METRICS.md: Advertising (CTR, CPC, CPM need impressions / clicks; platform
--   ROAS needs conversion_value; campaign attribution needs orders.campaign;
--   a platform filter can only select spend rows that name a platform).
select
    (select count(impressions) > 0 from ad_days) as has_impressions,
    (select count(clicks) > 0 from ad_days) as has_clicks,
    (select count(conversions) > 0 from ad_days) as has_conversions,
    (select count(conversion_value) > 0 from ad_days) as has_conversion_value,
    (select count(campaign) > 0 from ad_days) as has_ad_campaign,
    (select count(platform) > 0 from ad_spend) as has_ad_platform,
    exists (select 1 from order_lines where campaign is not null) as has_order_campaign
