-- Question: how much of each month's net revenue comes from new customers,
-- and how much from customers who had bought before?
-- Grain: one row per calendar month, the $months months ending with the month
--   of $as_of (that month runs to $as_of), from the first month with a paid
--   order on; months without sales as 0.
-- Parameters: $as_of (date, D); $months (int).
-- METRICS.md: Sales (new customers: first-ever paid order in the period —
-- here the month; returning = the others). Store-wide.
with months as (
    select cast(m as date) as month
    from range(
        date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1),
        date_trunc('month', cast($as_of as date)) + interval 1 month,
        interval 1 month
    ) as r(m)
    where m >= (select date_trunc('month', min(order_date)) from paid_orders)
),

sales as (
    -- months numbered year × 12 + month (cheaper than date_trunc per row)
    select
        year(o.order_date) * 12 + month(o.order_date) as month_n,
        sum(o.net_revenue) filter (
            where year(o.first_order_date) * 12 + month(o.first_order_date)
            = year(o.order_date) * 12 + month(o.order_date)
        ) as new_revenue,
        sum(o.net_revenue) filter (
            where year(o.first_order_date) * 12 + month(o.first_order_date)
            < year(o.order_date) * 12 + month(o.order_date)
        ) as returning_revenue
    from paid_orders as o
    where o.order_date <= $as_of
        and o.order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
    group by 1
)

select
    m.month,
    coalesce(s.new_revenue, 0) as new_revenue,
    coalesce(s.returning_revenue, 0) as returning_revenue,
    coalesce(s.returning_revenue, 0)
    / nullif(coalesce(s.new_revenue, 0) + coalesce(s.returning_revenue, 0), 0) as returning_revenue_share
from months as m
left join sales as s
    on s.month_n = year(m.month) * 12 + month(m.month)
order by m.month
