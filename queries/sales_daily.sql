-- Question: how did net revenue and orders move day by day?
-- Grain: one row per day of the period, days without sales included as 0.
-- Parameters: $start, $end, $channels, $platforms, $categories.
-- METRICS.md: Sales (net revenue, orders). Net revenue from sales_days;
-- orders without filters from order_days (distinct orders per day), with
-- filters from the order lines (queries/_aggregates.sql).
with days as (
    select cast(d as date) as order_date
    from range(cast($start as date), cast($end as date) + interval 1 day, interval 1 day) as r(d)
),

unfiltered as (
    select len($channels) = 0 and len($platforms) = 0 and len($categories) = 0 as ok
),

revenue as (
    select
        order_date,
        sum(net_revenue) as net_revenue
    from sales_days
    where paid_lines > 0
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
        and in_filter($categories, category)
    group by order_date
),

orders as (
    select
        order_date,
        orders
    from order_days
    where (select ok from unfiltered)
        and order_date between $start and $end
    union all
    select
        order_date,
        count(distinct order_id) as orders
    from order_lines
    where not (select ok from unfiltered)
        and is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
        and in_filter($categories, category)
    group by order_date
),

sales as (
    select
        r.order_date,
        r.net_revenue,
        o.orders
    from revenue as r
    left join orders as o using (order_date)
)

select
    days.order_date,
    coalesce(sales.net_revenue, 0) as net_revenue,
    coalesce(sales.orders, 0) as orders
from days
left join sales using (order_date)
order by days.order_date
