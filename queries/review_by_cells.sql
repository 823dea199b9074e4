-- Question: how did each channel, platform and campaign move between the
-- review period and its comparison period (one call for the three)?
-- Grain: one row per dimension ('channel', 'platform', 'campaign') × value
--   seen in either period: for each dimension the rows review_by.sql gives
--   for it, in the same order (the weekly review takes the frame apart in
--   Python). Lines without a campaign are one row with a NULL value.
-- Parameters: $start, $end (the period), $cstart, $cend (the comparison
--   period). Whole store: no filters.
-- METRICS.md: Sales (net revenue, orders); Advertising (spend; for channel
--   and campaign, NULL for platform). As review_by.sql: order_cells unless
--   an order of either period spans cells (multi_cell_orders), then the
--   order lines. product_name is NULL (review_by.sql fills it for 'sku').
with dimensions as (
    select *
    from (values (1, 'channel'), (2, 'platform'), (3, 'campaign')) as d(dimension_order, dimension)
),

cells_add_up as (
    select not exists (
        select 1 from multi_cell_orders
        where order_date between $start and $end or order_date between $cstart and $cend
    ) as ok
),

cells as (
    select
        d.dimension,
        case d.dimension
            when 'channel' then c.channel
            when 'platform' then c.platform
            when 'campaign' then c.campaign
        end as dimension_value,
        c.order_date between $start and $end as is_now,
        c.orders,
        c.net_revenue
    from order_cells as c
    cross join dimensions as d
    where (select ok from cells_add_up)
        and (c.order_date between $start and $end or c.order_date between $cstart and $cend)
),

-- one row per dimension × value × period × order
lines as (
    select
        d.dimension,
        case d.dimension
            when 'channel' then l.channel
            when 'platform' then l.platform
            when 'campaign' then l.campaign
        end as dimension_value,
        l.order_date between $start and $end as is_now,
        l.order_id,
        sum(l.net_revenue) as net_revenue
    from order_lines as l
    cross join dimensions as d
    where not (select ok from cells_add_up)
        and l.is_paid
        and (l.order_date between $start and $end or l.order_date between $cstart and $cend)
    group by 1, 2, 3, 4
),

sales as (
    select
        dimension,
        dimension_value,
        coalesce(sum(net_revenue) filter (where is_now), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not is_now), 0) as net_revenue_then,
        cast(coalesce(sum(orders) filter (where is_now), 0) as bigint) as orders_now,
        cast(coalesce(sum(orders) filter (where not is_now), 0) as bigint) as orders_then
    from cells
    group by dimension, dimension_value
    union all
    select
        dimension,
        dimension_value,
        coalesce(sum(net_revenue) filter (where is_now), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not is_now), 0) as net_revenue_then,
        count(order_id) filter (where is_now) as orders_now,
        count(order_id) filter (where not is_now) as orders_then
    from lines
    group by dimension, dimension_value
),

spend as (
    select
        d.dimension,
        case d.dimension
            when 'channel' then a.channel
            when 'campaign' then a.campaign
        end as dimension_value,
        coalesce(sum(a.spend) filter (where a.date between $start and $end), 0) as spend_now,
        coalesce(sum(a.spend) filter (where a.date between $cstart and $cend), 0) as spend_then
    from ad_days as a
    cross join dimensions as d
    where d.dimension in ('channel', 'campaign')
        and (a.date between $start and $end or a.date between $cstart and $cend)
    group by 1, 2
),

final as (
    select
        coalesce(s.dimension, a.dimension) as dimension,
        coalesce(s.dimension_value, a.dimension_value) as dimension_value,
        cast(null as varchar) as product_name,
        cast(coalesce(s.net_revenue_now, 0) as double) as net_revenue_now,
        cast(coalesce(s.net_revenue_then, 0) as double) as net_revenue_then,
        cast(coalesce(s.net_revenue_now, 0) - coalesce(s.net_revenue_then, 0) as double) as net_revenue_change,
        coalesce(s.orders_now, 0) as orders_now,
        coalesce(s.orders_then, 0) as orders_then,
        cast(a.spend_now as double) as spend_now,
        cast(a.spend_then as double) as spend_then
    from sales as s
    full outer join spend as a
        on a.dimension = s.dimension
        and a.dimension_value is not distinct from s.dimension_value
)

select f.*
from final as f
inner join dimensions as d
    on d.dimension = f.dimension
order by d.dimension_order, f.net_revenue_change desc, f.dimension_value nulls last
