-- Question: how did each channel / platform / category / campaign / SKU move
-- between the review period and its comparison period?
-- Grain: one row per dimension of $dimensions × value seen in either period,
--   the dimensions in the order channel, platform, category, campaign, sku
--   (the weekly review asks for several in one call and takes the frame
--   apart in Python). $dimensions: a list of 'channel', 'platform',
--   'category', 'campaign', 'sku' (matched by value, never spliced into the
--   SQL); an empty list means all five. Lines without a campaign are one row
--   with a NULL value.
-- Parameters: $dimensions, $start, $end (the period), $cstart, $cend (the
--   comparison period). Whole store: no filters.
-- METRICS.md: Sales (net revenue, orders); Advertising (spend; for channel
--   and campaign only, NULL otherwise). Net revenue is additive over lines,
--   so a dimension's changes add up to the store's change exactly.
-- channel, platform and campaign read order_cells (distinct orders per day ×
-- channel × platform × campaign) unless an order of either period spans
-- cells (multi_cell_orders); category and SKU (an order holds several) and
-- that case read the order lines. product_name: the SKU's, for 'sku' only.
-- The order lines' value and product_name test in_filter($dimensions, …)
-- first: a constant once the parameters are bound, so a call for one or two
-- dimensions reads only their columns.
with dimensions as (
    select d.dimension_order, d.dimension, d.dimension in ('channel', 'platform', 'campaign') as in_cells
    from (
        values (1, 'channel'), (2, 'platform'), (3, 'category'), (4, 'campaign'), (5, 'sku')
    ) as d(dimension_order, dimension)
    where in_filter($dimensions, d.dimension)
),

cells_add_up as (
    select not exists (
        select 1 from multi_cell_orders
        where order_date between $start and $end or order_date between $cstart and $cend
    ) as ok
),

cells as (
    select
        d.dimension_order,
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
    where (in_filter($dimensions, 'channel') or in_filter($dimensions, 'platform') or in_filter($dimensions, 'campaign'))
        and d.in_cells
        and (select ok from cells_add_up)
        and (c.order_date between $start and $end or c.order_date between $cstart and $cend)
),

-- the dimensions read from the order lines
line_dimensions as (
    select dimension_order, dimension
    from dimensions
    where not in_cells or not (select ok from cells_add_up)
),

-- one row per dimension × value × period × order: counting these rows is
-- cheaper than count(distinct order_id) over the lines
lines as (
    select
        d.dimension_order,
        case
            when in_filter($dimensions, 'channel') and d.dimension = 'channel' then l.channel
            when in_filter($dimensions, 'platform') and d.dimension = 'platform' then l.platform
            when in_filter($dimensions, 'category') and d.dimension = 'category' then l.category
            when in_filter($dimensions, 'campaign') and d.dimension = 'campaign' then l.campaign
            when in_filter($dimensions, 'sku') and d.dimension = 'sku' then l.sku
        end as dimension_value,
        l.order_date between $start and $end as is_now,
        l.order_id,
        case
            when in_filter($dimensions, 'sku') then max(case when d.dimension = 'sku' then l.product_name end)
        end as product_name,
        sum(l.net_revenue) as net_revenue
    from order_lines as l
    cross join line_dimensions as d
    where l.is_paid
        and (l.order_date between $start and $end or l.order_date between $cstart and $cend)
    group by 1, 2, 3, 4
),

sales as (
    select
        dimension_order,
        dimension_value,
        coalesce(sum(net_revenue) filter (where is_now), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not is_now), 0) as net_revenue_then,
        cast(coalesce(sum(orders) filter (where is_now), 0) as bigint) as orders_now,
        cast(coalesce(sum(orders) filter (where not is_now), 0) as bigint) as orders_then,
        cast(null as varchar) as product_name
    from cells
    group by dimension_order, dimension_value
    union all
    select
        dimension_order,
        dimension_value,
        coalesce(sum(net_revenue) filter (where is_now), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not is_now), 0) as net_revenue_then,
        count(order_id) filter (where is_now) as orders_now,
        count(order_id) filter (where not is_now) as orders_then,
        max(product_name) as product_name
    from lines
    group by dimension_order, dimension_value
),

spend as (
    select
        d.dimension_order,
        case d.dimension
            when 'channel' then a.channel
            when 'campaign' then a.campaign
        end as dimension_value,
        coalesce(sum(a.spend) filter (where a.date between $start and $end), 0) as spend_now,
        coalesce(sum(a.spend) filter (where a.date between $cstart and $cend), 0) as spend_then
    from ad_days as a
    cross join dimensions as d
    where (in_filter($dimensions, 'channel') or in_filter($dimensions, 'campaign'))
        and d.dimension in ('channel', 'campaign')
        and (a.date between $start and $end or a.date between $cstart and $cend)
    group by 1, 2
),

final as (
    select
        coalesce(s.dimension_order, a.dimension_order) as dimension_order,
        coalesce(s.dimension_value, a.dimension_value) as dimension_value,
        s.product_name,
        cast(coalesce(s.net_revenue_now, 0) as double) as net_revenue_now,
        cast(coalesce(s.net_revenue_then, 0) as double) as net_revenue_then,
        cast(coalesce(s.net_revenue_now, 0) - coalesce(s.net_revenue_then, 0) as double) as net_revenue_change,
        coalesce(s.orders_now, 0) as orders_now,
        coalesce(s.orders_then, 0) as orders_then,
        cast(a.spend_now as double) as spend_now,
        cast(a.spend_then as double) as spend_then
    from sales as s
    full outer join spend as a
        on a.dimension_order = s.dimension_order
        and a.dimension_value is not distinct from s.dimension_value
)

select
    d.dimension,
    f.dimension_value,
    f.product_name,
    f.net_revenue_now,
    f.net_revenue_then,
    f.net_revenue_change,
    f.orders_now,
    f.orders_then,
    f.spend_now,
    f.spend_then
from final as f
inner join dimensions as d
    on d.dimension_order = f.dimension_order
order by d.dimension_order, f.net_revenue_change desc, f.dimension_value nulls last
