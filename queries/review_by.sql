-- Question: how did each channel / platform / category / campaign / SKU move
-- between the review period and its comparison period?
-- Grain: one row per dimension of $dimensions × value with a paid line in
--   either period, the dimensions in the order channel, platform, category,
--   campaign, sku (the weekly review asks for several in one call and takes
--   the frame apart in Python). $dimensions: a list of 'channel',
--   'platform', 'category', 'campaign', 'sku' (matched by value, never
--   spliced into the SQL); an empty list means all five. Lines without a
--   campaign are one row with a NULL value.
-- Parameters: $dimensions, $start, $end (the period), $cstart, $cend (the
--   comparison period; a day in both counts for the period). Whole store:
--   no filters.
-- METRICS.md: Sales (net revenue); Advertising (spend; for channel and
--   campaign only, NULL otherwise). Net revenue is additive over lines, so a
--   dimension's changes add up to the store's change exactly, and so do the
--   daily tables' sums: channel, platform and campaign come from order_cells,
--   category from sales_days (its rows with a paid line), SKU from sku_days,
--   whose product_name is the SKU's (the greatest on its paid lines of
--   either period). No order lines are read.
with dimensions as (
    select d.dimension_order, d.dimension
    from (
        values (1, 'channel'), (2, 'platform'), (3, 'category'), (4, 'campaign'), (5, 'sku')
    ) as d(dimension_order, dimension)
    where in_filter($dimensions, d.dimension)
),

-- one row per dimension × value × day with a paid line in either period
days as (
    select
        d.dimension_order,
        case d.dimension
            when 'channel' then c.channel
            when 'platform' then c.platform
            when 'campaign' then c.campaign
        end as dimension_value,
        c.order_date,
        cast(null as varchar) as product_name,
        c.net_revenue
    from order_cells as c
    cross join dimensions as d
    where (in_filter($dimensions, 'channel') or in_filter($dimensions, 'platform') or in_filter($dimensions, 'campaign'))
        and d.dimension in ('channel', 'platform', 'campaign')
        and (c.order_date between $start and $end or c.order_date between $cstart and $cend)
    union all
    select d.dimension_order, s.category, s.order_date, cast(null as varchar), s.net_revenue
    from sales_days as s
    cross join dimensions as d
    where in_filter($dimensions, 'category')
        and d.dimension = 'category'
        and s.paid_lines > 0
        and (s.order_date between $start and $end or s.order_date between $cstart and $cend)
    union all
    select d.dimension_order, k.sku, k.order_date, k.product_name, k.net_revenue
    from sku_days as k
    cross join dimensions as d
    where in_filter($dimensions, 'sku')
        and d.dimension = 'sku'
        and (k.order_date between $start and $end or k.order_date between $cstart and $cend)
),

sales as (
    select
        dimension_order,
        dimension_value,
        coalesce(sum(net_revenue) filter (where order_date between $start and $end), 0) as net_revenue_now,
        coalesce(sum(net_revenue) filter (where not (order_date between $start and $end)), 0) as net_revenue_then,
        max(product_name) as product_name
    from days
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
    f.spend_now,
    f.spend_then
from final as f
inner join dimensions as d
    on d.dimension_order = f.dimension_order
order by d.dimension_order, f.net_revenue_change desc, f.dimension_value nulls last
