-- Question: how do conversion and cart abandonment move over the period?
-- Grain: one row per bucket of the period (a day, or an ISO week when the
--   period is longer than 60 days; see trend_bucket), buckets without
--   traffic included with NULL rates.
-- Parameters: $start, $end, $channels, $platforms (traffic has no category,
--   so orders are not filtered by category either).
-- METRICS.md: Traffic and funnel. conversion_rate = orders (orders table) ÷
--   sessions; cart_abandonment_rate = 1 − purchases ÷ add_to_cart over the
--   rows that report both (NULL when none does: the column is absent).
with buckets as (
    select distinct trend_bucket(d, $start, $end) as bucket_date
    from range(cast($start as date), cast($end as date) + interval 1 day, interval 1 day) as r(d)
),

visits as (
    select
        trend_bucket(date, $start, $end) as bucket_date,
        cast(sum(sessions) as bigint) as sessions,
        sum(purchases) filter (where add_to_cart is not null) as purchases_with_carts,
        sum(add_to_cart) filter (where purchases is not null) as carts_with_purchases
    from traffic_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by 1
),

-- Orders per cell of order_cells add up unless an order spans two cells of
-- the period (multi_cell_orders); then the order lines are read.
cells_add_up as (
    select not exists (
        select 1 from multi_cell_orders where order_date between $start and $end
    ) as ok
),

sales as (
    select
        trend_bucket(order_date, $start, $end) as bucket_date,
        cast(sum(orders) as bigint) as orders
    from order_cells
    where (select ok from cells_add_up)
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by 1
    union all
    select
        trend_bucket(order_date, $start, $end) as bucket_date,
        count(distinct order_id) as orders
    from order_lines
    where not (select ok from cells_add_up)
        and is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by 1
)

select
    b.bucket_date,
    coalesce(v.sessions, 0) as sessions,
    coalesce(s.orders, 0) as orders,
    coalesce(s.orders, 0) / nullif(v.sessions, 0) as conversion_rate,
    1 - v.purchases_with_carts / nullif(v.carts_with_purchases, 0) as cart_abandonment_rate
from buckets as b
left join visits as v using (bucket_date)
left join sales as s using (bucket_date)
order by b.bucket_date
