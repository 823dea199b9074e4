-- Question: how many customers, and how much revenue, sit in each of the
-- eight RFM segments on day D, and what do they look like on average?
-- Grain: one row per segment (all eight, empty ones as 0), by rfm_code.
-- Parameters: $as_of (date, D).
-- METRICS.md: Customers and members (RFM over customers with a paid order in
-- the 365 days ending D; ties at the mean are high). mean_recency_days etc.
-- describe the segment; overall_mean_* are the means the split used.
with codes as (
    select *
    from (
        values
            (1, 'HHH'),
            (2, 'LHH'),
            (3, 'HLH'),
            (4, 'LLH'),
            (5, 'HHL'),
            (6, 'LHL'),
            (7, 'HLL'),
            (8, 'LLL')
    ) as c(segment_order, rfm_code)
),

rfm as (
    select *
    from customer_rfm($as_of)
),

segments as (
    select
        rfm_code,
        count(*) as customers,
        sum(revenue_365) as net_revenue,
        avg(recency_days) as mean_recency_days,
        avg(orders_365) as mean_frequency,
        avg(revenue_365) as mean_monetary
    from rfm
    group by rfm_code
),

overall as (
    select
        count(*) as customers,
        sum(revenue_365) as net_revenue,
        avg(recency_days) as mean_recency_days,
        avg(orders_365) as mean_frequency,
        avg(revenue_365) as mean_monetary
    from rfm
)

select
    c.rfm_code,
    c.segment_order,
    coalesce(s.customers, 0) as customers,
    coalesce(s.net_revenue, 0) as net_revenue,
    coalesce(s.customers, 0) / nullif(o.customers, 0) as customer_share,
    coalesce(s.net_revenue, 0) / nullif(o.net_revenue, 0) as revenue_share,
    s.mean_recency_days,
    s.mean_frequency,
    s.mean_monetary,
    o.mean_recency_days as overall_mean_recency_days,
    o.mean_frequency as overall_mean_frequency,
    o.mean_monetary as overall_mean_monetary
from codes as c
cross join overall as o
left join segments as s
    on s.rfm_code = c.rfm_code
order by c.segment_order
