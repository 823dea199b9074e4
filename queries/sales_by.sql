-- Question: which channels / platforms / categories bring the net revenue?
-- Grain: one row per value of $dimension ('channel', 'platform' or
-- 'category'; chosen by value, never spliced into the SQL).
-- Parameters: $dimension, $start, $end, $channels, $platforms, $categories.
-- METRICS.md: Sales (net revenue, orders, buyers).
with paid as (
    select
        case $dimension
            when 'channel' then channel
            when 'platform' then platform
            when 'category' then category
        end as dimension_value,
        order_id,
        customer_id,
        net_revenue
    from order_lines
    where is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
        and in_filter($categories, category)
)

select
    dimension_value,
    sum(net_revenue) as net_revenue,
    count(distinct order_id) as orders,
    count(distinct customer_id) as buyers,
    sum(net_revenue) / nullif(sum(sum(net_revenue)) over (), 0) as revenue_share
from paid
group by dimension_value
order by net_revenue desc, dimension_value
