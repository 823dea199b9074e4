-- Question: which channels / platforms / categories bring the net revenue?
-- Grain: one row per value of $dimension ('channel', 'platform' or
-- 'category'; chosen by value, never spliced into the SQL) with a paid line.
-- Parameters: $dimension, $start, $end, $channels, $platforms, $categories.
-- METRICS.md: Sales (net revenue). Read from the daily sums of sales_days
-- (queries/_aggregates.sql), exact in decimals whatever the filters.
with paid as (
    select
        case $dimension
            when 'channel' then channel
            when 'platform' then platform
            when 'category' then category
        end as dimension_value,
        net_revenue
    from sales_days
    where paid_lines > 0
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
        and in_filter($categories, category)
)

select
    dimension_value,
    sum(net_revenue) as net_revenue,
    sum(net_revenue) / nullif(sum(sum(net_revenue)) over (), 0) as revenue_share
from paid
group by dimension_value
order by net_revenue desc, dimension_value
