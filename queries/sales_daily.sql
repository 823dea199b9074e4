-- Question: how did net revenue and orders move day by day?
-- Grain: one row per day of the period, days without sales included as 0.
-- Parameters: $start, $end, $channels, $platforms, $categories.
-- METRICS.md: Sales (net revenue, orders).
with days as (
    select cast(d as date) as order_date
    from range(cast($start as date), cast($end as date) + interval 1 day, interval 1 day) as r(d)
),

sales as (
    select
        order_date,
        sum(net_revenue) as net_revenue,
        count(distinct order_id) as orders
    from order_lines
    where is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
        and in_filter($categories, category)
    group by order_date
)

select
    days.order_date,
    coalesce(sales.net_revenue, 0) as net_revenue,
    coalesce(sales.orders, 0) as orders
from days
left join sales using (order_date)
order by days.order_date
