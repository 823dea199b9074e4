-- Question: the advertising headline for one period: what was spent, what the
--   channels that were paid for brought back, and what all sales per yuan of
--   spend look like (MER, blended nCAC).
-- Grain: one row.
-- Parameters: $start, $end, $channels, $platforms (no $categories: ad spend
--   has no category, see roi_by.sql).
-- METRICS.md: Advertising. Attributed revenue, orders and gross profit are
--   those of orders whose channel has ad spend in the period (the paid
--   channels), so ROAS and ROI compare spend with what it bought; MER and
--   blended nCAC use all orders and all spend. Gross profit keeps the 5% rule
--   of "Sales"; the break-even ROAS is 1 / the gross margin of all orders.
with ads as (
    select
        channel,
        sum(spend) as spend
    from ad_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by channel
),

-- Orders per cell of order_cells add up unless an order spans two cells of
-- the period (multi_cell_orders); then the order lines are read.
cells_add_up as (
    select not exists (
        select 1 from multi_cell_orders where order_date between $start and $end
    ) as ok
),

cells as (
    select
        orders,
        net_revenue,
        costed_profit,
        uncosted_revenue,
        channel in (select channel from ads where spend > 0) as is_paid_channel
    from order_cells
    where (select ok from cells_add_up)
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

paid as (
    select
        order_id,
        customer_id,
        net_revenue,
        line_cost,
        channel in (select channel from ads where spend > 0) as is_paid_channel
    from order_lines
    where not (select ok from cells_add_up)
        and is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

new_customers as (
    -- first orders in the period, in scope (customers holds each customer's
    -- first order, with its channel and platform)
    select count(*) as new_customers
    from customers
    where first_order_date between $start and $end
        and in_filter($channels, first_channel)
        and in_filter($platforms, first_platform)
),

sales as (
    select
        coalesce(sum(net_revenue), 0) as net_revenue,
        (select new_customers from new_customers) as new_customers,
        coalesce(sum(costed_profit), 0) as costed_profit,
        coalesce(sum(uncosted_revenue), 0) as uncosted_revenue,
        coalesce(sum(net_revenue) filter (where is_paid_channel), 0) as attributed_revenue,
        cast(coalesce(sum(orders) filter (where is_paid_channel), 0) as bigint) as attributed_orders,
        coalesce(sum(costed_profit) filter (where is_paid_channel), 0) as attributed_costed_profit,
        coalesce(sum(uncosted_revenue) filter (where is_paid_channel), 0) as attributed_uncosted_revenue
    from cells
    having (select ok from cells_add_up)
    union all
    select
        coalesce(sum(net_revenue), 0) as net_revenue,
        (select new_customers from new_customers) as new_customers,
        coalesce(sum(net_revenue - line_cost) filter (where line_cost is not null), 0) as costed_profit,
        coalesce(sum(net_revenue) filter (where line_cost is null), 0) as uncosted_revenue,
        coalesce(sum(net_revenue) filter (where is_paid_channel), 0) as attributed_revenue,
        count(distinct order_id) filter (where is_paid_channel) as attributed_orders,
        coalesce(sum(net_revenue - line_cost) filter (where is_paid_channel and line_cost is not null), 0)
            as attributed_costed_profit,
        coalesce(sum(net_revenue) filter (where is_paid_channel and line_cost is null), 0)
            as attributed_uncosted_revenue
    from paid
    having not (select ok from cells_add_up)
),

max_uncosted as (
    select cast(value as double) as share from settings where key = 'max_uncosted_share'
),

profit as (
    select
        s.*,
        coalesce((select sum(spend) from ads), 0) as ad_spend,
        case
            when s.uncosted_revenue > m.share * s.net_revenue then null
            else s.costed_profit
        end as gross_profit,
        case
            when s.attributed_uncosted_revenue > m.share * s.attributed_revenue then null
            else s.attributed_costed_profit
        end as attributed_gross_profit
    from sales as s
    cross join max_uncosted as m
)

select
    ad_spend,
    attributed_revenue,
    attributed_orders,
    net_revenue,
    new_customers,
    gross_profit,
    attributed_gross_profit,
    net_revenue / nullif(ad_spend, 0) as mer,
    ad_spend / nullif(new_customers, 0) as ncac,
    attributed_revenue / nullif(ad_spend, 0) as roas,
    (attributed_gross_profit - ad_spend) / nullif(ad_spend, 0) as roi,
    gross_profit / nullif(net_revenue, 0) as gross_margin,
    case when gross_profit > 0 then net_revenue / gross_profit end as break_even_roas
from profit
