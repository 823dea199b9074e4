-- Question: which RFM segment, lifecycle stage and tier is each recent
-- customer in, for a CRM tool to target? (python -m storeops export segments)
-- Grain: one row per customer with a paid order in the 365 days ending $as_of.
-- Parameters: $as_of (date, D).
-- METRICS.md: Customers and members (RFM, lifecycle stage, tier). rfm_code
-- is R, F, M as H/L (HHH = 重要价值); storeops.members names the segments.
select
    customer_id,
    recency_days,
    orders_365 as frequency,
    revenue_365 as monetary,
    rfm_code,
    lifecycle,
    tier
from customer_rfm($as_of)
order by customer_id
