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
with lines as (
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
        product_name,
        net_revenue
    from order_lines
    where is_paid
        and (order_date between $start and $end or order_date between $cstart and $cend)
),

sales as (
    select
        dimension_value,
        coalesce(sum(net_revenue) filter (where is_now), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not is_now), 0) as net_revenue_then,
        count(distinct order_id) filter (where is_now) as orders_now,
        count(distinct order_id) filter (where not is_now) as orders_then,
        max(product_name) as product_name
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
