-- Question: how far along is each monthly target (targets.csv) by $end?
-- Grain: one row per metric with a target for the month of $end.
-- Parameters: $end. Targets are store-wide, so no filter applies.
-- expected_share is the part of the month elapsed by $end (straight-line pace).
with month as (
    select
        strftime(cast($end as date), '%Y-%m') as month,
        date_trunc('month', cast($end as date)) as month_start,
        cast(date_trunc('month', cast($end as date)) + interval 1 month - interval 1 day as date) as month_end
),

actual as (
    select
        'net_revenue' as metric,
        coalesce(sum(net_revenue), 0) as actual
    from sales_days, month
    where order_date between month.month_start and cast($end as date)
    union all
    -- distinct orders per day add up unless an order has paid lines on two
    -- days of the month (multi_cell_orders); then the order lines are read
    select
        'orders',
        coalesce(sum(orders), 0)
    from order_days, month
    where order_date between month.month_start and cast($end as date)
        and not exists (
            select 1 from multi_cell_orders, month
            where order_date between month.month_start and cast($end as date)
        )
    having not exists (
        select 1 from multi_cell_orders, month
        where order_date between month.month_start and cast($end as date)
    )
    union all
    select
        'orders',
        count(distinct order_id)
    from order_lines, month
    where is_paid and order_date between month.month_start and cast($end as date)
        and exists (
            select 1 from multi_cell_orders, month
            where order_date between month.month_start and cast($end as date)
        )
    having exists (
        select 1 from multi_cell_orders, month
        where order_date between month.month_start and cast($end as date)
    )
    union all
    select
        'sessions',
        coalesce(sum(sessions), 0)
    from traffic_days, month
    where date between month.month_start and cast($end as date)
)

select
    t.metric,
    t.target,
    a.actual,
    a.actual / nullif(t.target, 0) as progress_share,
    (date_diff('day', m.month_start, cast($end as date)) + 1)
        / (date_diff('day', m.month_start, m.month_end) + 1) as expected_share
from targets as t
cross join month as m
left join actual as a on a.metric = t.metric
where t.month = m.month
order by t.metric
