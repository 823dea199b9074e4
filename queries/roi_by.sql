-- Question: what does each channel (or each campaign of a channel) cost, and
--   what do the orders that carry it bring back?
-- Grain: one row per value of $dimension (chosen by value, never spliced in):
--   'channel' the mapped channel group; 'campaign' the campaign name as
--   written (NULL: spend rows or orders without a campaign; with $channels =
--   one group it is that channel's drill-down). A value is listed when it has
--   ad spend rows or a paid order in the period.
-- Parameters: $dimension, $start, $end, $channels, $platforms. No
--   $categories: ad spend has no category, so orders are not filtered by
--   category either and ROAS divides revenue and spend of the same scope.
-- METRICS.md: Advertising (attribution = the channel, or campaign, recorded
--   on the order); Sales (net revenue, orders, new customers — attributed to
--   the channel of their first order —, gross profit and its 5% rule).
--   Optional ad columns are summed over the rows that report them and each
--   ratio divides by the spend / impressions / clicks of those same rows, so
--   a column absent from the files is NULL, never 0. Ratios over spend (ROAS,
--   CPA, CAC, ROI, platform ROAS) are NULL for a value without spend.
with ad_columns as (
    -- decided over the whole table, so a column does not come and go with the period
    select
        count(impressions) > 0 as has_impressions,
        count(clicks) > 0 as has_clicks,
        count(conversion_value) > 0 as has_conversion_value
    from ad_days
),

ads as (
    select
        case $dimension
            when 'channel' then channel
            when 'campaign' then campaign
        end as dimension_value,
        true as has_ads,
        sum(spend) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(conversion_value) as conversion_value,
        sum(clicks) filter (where impressions is not null) as clicks_with_impressions,
        sum(impressions) filter (where clicks is not null) as impressions_with_clicks,
        sum(spend) filter (where clicks is not null) as spend_with_clicks,
        sum(spend) filter (where impressions is not null) as spend_with_impressions,
        sum(spend) filter (where conversion_value is not null) as spend_with_conversion_value
    from ad_days
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

paid as (
    select
        case $dimension
            when 'channel' then channel
            when 'campaign' then campaign
        end as dimension_value,
        order_id,
        customer_id,
        net_revenue,
        line_cost
    from order_lines
    where not (select ok from cells_add_up)
        and is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

sales as (
    select
        case $dimension
            when 'channel' then channel
            when 'campaign' then campaign
        end as dimension_value,
        cast(sum(orders) as bigint) as orders,
        sum(net_revenue) as net_revenue,
        sum(costed_profit) as costed_profit,
        coalesce(sum(uncosted_revenue), 0) as uncosted_revenue
    from order_cells
    where (select ok from cells_add_up)
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by 1
    union all
    select
        dimension_value,
        count(distinct order_id) as orders,
        sum(net_revenue) as net_revenue,
        sum(net_revenue - line_cost) filter (where line_cost is not null) as costed_profit,
        coalesce(sum(net_revenue) filter (where line_cost is null), 0) as uncosted_revenue
    from paid
    where not (select ok from cells_add_up)
    group by dimension_value
),

newcomers as (
    -- New customers go to the channel of their first order: for channels that is
    -- the customers table itself (one row each, far fewer than order lines);
    -- customers carry no campaign: campaigns count first_order_cells (one row
    -- per customer when no order spans cells), else probe the period's lines
    -- for first orders.
    select
        first_channel as dimension_value,
        count(*) as new_customers
    from customers
    where $dimension = 'channel'
        and first_order_date between $start and $end
        and in_filter($channels, first_channel)
        and in_filter($platforms, first_platform)
    group by first_channel
    union all
    select
        campaign as dimension_value,
        count(*) as new_customers
    from first_order_cells
    where $dimension = 'campaign'
        and (select ok from cells_add_up)
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by campaign
    union all
    select
        dimension_value,
        count(distinct customer_id) as new_customers
    from paid
    where $dimension = 'campaign'
        and not (select ok from cells_add_up)
        and order_id in (
            select first_order_id from customers
            where not (select ok from cells_add_up) and first_order_date between $start and $end
        )
    group by dimension_value
),

max_uncosted as (
    select cast(value as double) as share from settings where key = 'max_uncosted_share'
),

joined as (
    select
        coalesce(a.dimension_value, s.dimension_value) as dimension_value,
        coalesce(a.spend, 0) as spend,
        -- a value without ad rows had no impressions (0) when the files carry the
        -- column; ad rows that do not report it stay NULL
        case when a.has_ads then a.impressions when c.has_impressions then 0 end as impressions,
        case when a.has_ads then a.clicks when c.has_clicks then 0 end as clicks,
        a.conversion_value,
        a.clicks_with_impressions,
        a.impressions_with_clicks,
        a.spend_with_clicks,
        a.spend_with_impressions,
        a.spend_with_conversion_value,
        coalesce(s.orders, 0) as orders,
        coalesce(s.net_revenue, 0) as net_revenue,
        coalesce(n.new_customers, 0) as new_customers,
        case
            when coalesce(s.uncosted_revenue, 0) > (select share from max_uncosted) * coalesce(s.net_revenue, 0)
                then null
            else coalesce(s.costed_profit, 0)
        end as gross_profit
    from ads as a
    full outer join sales as s
        on a.dimension_value is not distinct from s.dimension_value
    left join newcomers as n
        on coalesce(a.dimension_value, s.dimension_value) is not distinct from n.dimension_value
    cross join ad_columns as c
),

spent as (
    -- a value without spend has no cost ratios (not 0: it was not bought)
    select
        *,
        nullif(spend, 0) as spend_or_null
    from joined
)

select
    dimension_value,
    spend,
    impressions,
    clicks,
    clicks_with_impressions / nullif(impressions_with_clicks, 0) as ctr,
    spend_with_clicks / nullif(clicks, 0) as cpc,
    spend_with_impressions / nullif(impressions, 0) * 1000 as cpm,
    orders,
    net_revenue,
    new_customers,
    net_revenue / spend_or_null as roas,
    conversion_value / nullif(spend_with_conversion_value, 0) as platform_roas,
    -- what the ad platform claims beyond what the store recorded, in ROAS points
    conversion_value / nullif(spend_with_conversion_value, 0) - net_revenue / spend_or_null as platform_roas_gap,
    spend_or_null / nullif(orders, 0) as cpa,
    spend_or_null / nullif(new_customers, 0) as cac,
    gross_profit,
    (gross_profit - spend) / spend_or_null as roi,
    -- 1 / gross margin; none when the value makes no gross profit (it cannot break even)
    case when gross_profit > 0 then net_revenue / gross_profit end as break_even_roas,
    spend / nullif(sum(spend) over (), 0) as spend_share,
    net_revenue / nullif(sum(net_revenue) over (), 0) as revenue_share
from spent
order by spend desc, net_revenue desc, dimension_value
