-- Question: how did the store do day by day (sales, traffic, ad spend)? The
-- weekly review reads its anomaly check and its daily chart from this.
-- Grain: one row per day of $start..$end, days without data included as 0.
-- Parameters: $start, $end (dates, inclusive). Whole store: no filters.
-- METRICS.md: Sales (net revenue, orders); Traffic (sessions); Advertising
-- (spend). Conversion (orders / sessions) is left to the caller, which knows
-- whether the traffic table exists at all (0 sessions is then "—", not 0).
with days as (
    select cast(d as date) as day
    from range(cast($start as date), cast($end as date) + interval 1 day, interval 1 day) as r(d)
),

-- per-day sums and distinct orders, pre-aggregated (queries/_aggregates.sql)
revenue as (
    select
        order_date as day,
        sum(net_revenue) as net_revenue
    from sales_days
    where paid_lines > 0
        and order_date between $start and $end
    group by order_date
),

sales as (
    select
        r.day,
        r.net_revenue,
        o.orders
    from revenue as r
    inner join order_days as o
        on o.order_date = r.day
),

traffic as (
    select
        date as day,
        sum(sessions) as sessions
    from traffic_days
    where date between $start and $end
    group by date
),

ads as (
    select
        date as day,
        sum(spend) as ad_spend
    from ad_days
    where date between $start and $end
    group by date
)

select
    days.day,
    cast(coalesce(sales.net_revenue, 0) as double) as net_revenue,
    coalesce(sales.orders, 0) as orders,
    coalesce(traffic.sessions, 0) as sessions,
    cast(coalesce(ads.ad_spend, 0) as double) as ad_spend
from days
left join sales using (day)
left join traffic using (day)
left join ads using (day)
order by days.day
