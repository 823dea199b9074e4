-- Question: how did each channel / platform / category / campaign / SKU move
-- between the review period and its comparison period?
-- Grain: one row per value of $dimension ('channel', 'platform', 'category',
-- 'campaign' or 'sku'; chosen by value, never spliced into the SQL) seen in
-- either period. Lines without a campaign are one row with a NULL value.
-- Parameters: $dimension, $start, $end (the period), $cstart, $cend (the
-- comparison period). Whole store: no filters.
-- METRICS.md: Sales (net revenue, orders); Advertising (spend; for channel
-- and campaign only, NULL otherwise). Net revenue is additive over lines, so
-- the rows' changes add up to the store's change exactly.
-- channel, platform and campaign read order_cells (distinct orders per day ×
-- channel × platform × campaign) unless an order of either period spans
-- cells (multi_cell_orders); category and SKU (an order holds several) and
-- that case read the order lines. product_name: the SKU's, for 'sku' only.
with cells_add_up as (
    select
        $dimension in ('channel', 'platform', 'campaign')
        and not exists (
            select 1 from multi_cell_orders
            where order_date between $start and $end or order_date between $cstart and $cend
        ) as ok
),

cells as (
    select
        case $dimension
            when 'channel' then channel
            when 'platform' then platform
            when 'campaign' then campaign
        end as dimension_value,
        order_date between $start and $end as is_now,
        orders,
        net_revenue
    from order_cells
    where (select ok from cells_add_up)
        and (order_date between $start and $end or order_date between $cstart and $cend)
),

-- one row per value × period × order: counting these rows is cheaper than
-- count(distinct order_id) over the lines
lines as (
    select
        case $dimension
            when 'channel' then channel
            when 'platform' then platform
            when 'category' then category
            when 'campaign' then campaign
            when 'sku' then sku
        end as dimension_value,
        order_date between $start and $end as is_now,
        order_id,
        max(product_name) as product_name,
        sum(net_revenue) as net_revenue
    from order_lines
    where not (select ok from cells_add_up)
        and is_paid
        and (order_date between $start and $end or order_date between $cstart and $cend)
    group by 1, 2, 3
),

sales as (
    select
        dimension_value,
        coalesce(sum(net_revenue) filter (where is_now), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not is_now), 0) as net_revenue_then,
        cast(coalesce(sum(orders) filter (where is_now), 0) as bigint) as orders_now,
        cast(coalesce(sum(orders) filter (where not is_now), 0) as bigint) as orders_then,
        cast(null as varchar) as product_name
    from cells
    group by dimension_value
    union all
    select
        dimension_value,
        coalesce(sum(net_revenue) filter (where is_now), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not is_now), 0) as net_revenue_then,
        count(order_id) filter (where is_now) as orders_now,
        count(order_id) filter (where not is_now) as orders_then,
        case when $dimension = 'sku' then max(product_name) end as product_name
    from lines
    group by dimension_value
),

spend as (
    select
        case $dimension
            when 'channel' then channel
            when 'campaign' then campaign
        end as dimension_value,
        coalesce(sum(spend) filter (where date between $start and $end), 0) as spend_now,
        coalesce(sum(spend) filter (where date between $cstart and $cend), 0) as spend_then
    from ad_days
    where $dimension in ('channel', 'campaign')
        and (date between $start and $end or date between $cstart and $cend)
    group by 1
),

final as (
    select
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
        on a.dimension_value is not distinct from s.dimension_value
)

select *
from final
order by net_revenue_change desc, dimension_value nulls last
