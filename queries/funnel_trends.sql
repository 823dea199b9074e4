-- Question: how do conversion and cart abandonment move over the period and
-- over its comparison period, and what are the sessions, orders and
-- conversion of each period as a whole?
-- Grain: per period ('current': $start..$end, 'comparison': $cstart..$cend;
--   one period: pass it twice), one row per bucket of that period (a day, or
--   an ISO week when the period is longer than 60 days; see trend_bucket),
--   buckets without traffic included with NULL rates. Then one row per
--   period with bucket_date NULL, the whole period, present when the period
--   has traffic or a paid order in the filters: traffic_by.sql's 'total'
--   sessions, orders and conversion_rate (the conversion card).
-- Parameters: $start, $end, $cstart, $cend, $channels, $platforms (traffic has
--   no category, so orders are not filtered by category either).
-- METRICS.md: Traffic and funnel. conversion_rate = orders (orders table) ÷
--   sessions; cart_abandonment_rate = 1 − purchases ÷ add_to_cart over the
--   rows that report both (NULL when none does: the column is absent).
with periods as (
    select 'current' as period, cast($start as date) as first_day, cast($end as date) as last_day
    union all
    select 'comparison', cast($cstart as date), cast($cend as date)
),

buckets as (
    select distinct
        'current' as period,
        trend_bucket(d, $start, $end) as bucket_date
    from range(cast($start as date), cast($end as date) + interval 1 day, interval 1 day) as r(d)
    union all
    select distinct
        'comparison' as period,
        trend_bucket(d, $cstart, $cend) as bucket_date
    from range(cast($cstart as date), cast($cend as date) + interval 1 day, interval 1 day) as r(d)
),

-- per bucket, and per period (bucket_date NULL)
visits as (
    select
        p.period,
        trend_bucket(t.date, p.first_day, p.last_day) as bucket_date,
        cast(sum(t.sessions) as bigint) as sessions,
        sum(t.purchases) filter (where t.add_to_cart is not null) as purchases_with_carts,
        sum(t.add_to_cart) filter (where t.purchases is not null) as carts_with_purchases
    from traffic_days as t
    inner join periods as p
        on t.date between p.first_day and p.last_day
    where in_filter($channels, t.channel)
        and in_filter($platforms, t.platform)
    group by grouping sets ((p.period, trend_bucket(t.date, p.first_day, p.last_day)), (p.period))
),

-- Orders per cell of order_cells add up unless an order spans two cells of
-- the period (multi_cell_orders); then that period's order lines are read.
cells_add_up as (
    select
        'current' as period,
        not exists (select 1 from multi_cell_orders where order_date between $start and $end) as ok
    union all
    select
        'comparison',
        not exists (select 1 from multi_cell_orders where order_date between $cstart and $cend)
),

sales as (
    select
        p.period,
        trend_bucket(o.order_date, p.first_day, p.last_day) as bucket_date,
        cast(sum(o.orders) as bigint) as orders
    from order_cells as o
    inner join periods as p
        on o.order_date between p.first_day and p.last_day
    inner join cells_add_up as k
        on k.period = p.period
    where k.ok
        and in_filter($channels, o.channel)
        and in_filter($platforms, o.platform)
    group by grouping sets ((p.period, trend_bucket(o.order_date, p.first_day, p.last_day)), (p.period))
    union all
    select
        p.period,
        trend_bucket(l.order_date, p.first_day, p.last_day) as bucket_date,
        count(distinct l.order_id) as orders
    from order_lines as l
    inner join periods as p
        on l.order_date between p.first_day and p.last_day
    inner join cells_add_up as k
        on k.period = p.period
    where not k.ok
        and l.is_paid
        and in_filter($channels, l.channel)
        and in_filter($platforms, l.platform)
    group by grouping sets ((p.period, trend_bucket(l.order_date, p.first_day, p.last_day)), (p.period))
),

whole as (
    select
        coalesce(v.period, s.period) as period,
        coalesce(v.sessions, 0) as sessions,
        coalesce(s.orders, 0) as orders,
        v.purchases_with_carts,
        v.carts_with_purchases
    from (select * from visits where bucket_date is null) as v
    full outer join (select * from sales where bucket_date is null) as s
        on v.period = s.period
)

select
    b.period,
    b.bucket_date,
    coalesce(v.sessions, 0) as sessions,
    coalesce(s.orders, 0) as orders,
    coalesce(s.orders, 0) / nullif(v.sessions, 0) as conversion_rate,
    1 - v.purchases_with_carts / nullif(v.carts_with_purchases, 0) as cart_abandonment_rate
from buckets as b
left join visits as v
    on v.period = b.period and v.bucket_date = b.bucket_date
left join sales as s
    on s.period = b.period and s.bucket_date = b.bucket_date
union all
select
    period,
    null,
    sessions,
    orders,
    orders / nullif(sessions, 0),
    1 - purchases_with_carts / nullif(carts_with_purchases, 0)
from whole
order by period desc, bucket_date nulls first
