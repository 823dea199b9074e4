-- Question: how many customers, and how much revenue, sit in each of the
-- eight RFM segments on day D, and what do they look like on average?
-- Grain: one row per segment (all eight, empty ones as 0), by rfm_code.
-- Parameters: $as_of (date, D).
-- METRICS.md: Customers and members (RFM over customers with a paid order in
-- the 365 days ending D; ties at the mean are high). mean_recency_days etc.
-- describe the segment; overall_mean_* are the means the split used.
-- Read from customer_timeline's rows on D (the rows customer_rfm reads):
-- one pass for the means, one that counts the segments by their three
-- high/low flags (the code is spelled for the eight groups, not per row).
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

overall as (
    -- customer_rfm($as_of)'s customers (a paid order in the 365 days ending
    -- D) and the sums the split compares with
    select
        count(*) as customers,
        sum(date_diff('day', last_order_date, cast($as_of as date))) as sum_r,
        sum(orders_365) as sum_f,
        sum(revenue_365) as net_revenue,
        avg(date_diff('day', last_order_date, cast($as_of as date))) as mean_recency_days,
        avg(orders_365) as mean_frequency,
        avg(revenue_365) as mean_monetary
    from customer_timeline
    where from_date <= $as_of
        and to_date > $as_of
        and orders_365 > 0
),

segments as (
    -- R, F, M high when recency · n ≤ Σ recency, frequency · n ≥ Σ frequency,
    -- monetary · n ≥ Σ monetary (customer_rfm: exact on sums)
    select
        (case when r_high then 'H' else 'L' end)
        || (case when f_high then 'H' else 'L' end)
        || (case when m_high then 'H' else 'L' end) as rfm_code,
        customers,
        net_revenue,
        mean_recency_days,
        mean_frequency,
        mean_monetary
    from (
        select
            date_diff('day', s.last_order_date, cast($as_of as date)) * o.customers <= o.sum_r as r_high,
            s.orders_365 * o.customers >= o.sum_f as f_high,
            s.revenue_365 * o.customers >= o.net_revenue as m_high,
            count(*) as customers,
            sum(s.revenue_365) as net_revenue,
            avg(date_diff('day', s.last_order_date, cast($as_of as date))) as mean_recency_days,
            avg(s.orders_365) as mean_frequency,
            avg(s.revenue_365) as mean_monetary
        from customer_timeline as s
        cross join overall as o
        where s.from_date <= $as_of
            and s.to_date > $as_of
            and s.orders_365 > 0
        group by 1, 2, 3
    ) as g
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
