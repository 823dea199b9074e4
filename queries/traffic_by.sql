-- Question: how much traffic does each channel / platform / raw source bring,
-- how engaged is it, and does it sell?
-- Grain: one row per value of $dimension (chosen by value, never spliced in):
--   'total' one row ('all'); 'channel' mapped channel group; 'platform';
--   'channel_raw' the source as written before mapping (with $channels = one
--   group: that channel's drill-down). Values with orders but no traffic get
--   sessions 0 and NULL ratios; values with traffic and no orders get orders 0.
-- Parameters: $dimension, $start, $end, $channels, $platforms. No
--   $categories: traffic has no category, so orders are not filtered by
--   category either and conversion stays orders ÷ sessions of the same scope.
-- METRICS.md: Traffic and funnel. Optional columns (users, new_users,
--   bounces, avg_session_seconds) are summed over the rows that report them
--   and each ratio divides by the sessions (or users) of those same rows, so
--   "not reported" is NULL, never 0. users is Σ of the daily figures (a user
--   seen on two days counts twice), as exports report it.
with visits as (
    select
        case $dimension
            when 'total' then 'all'
            when 'channel' then channel
            when 'platform' then platform
            when 'channel_raw' then channel_raw
        end as dimension_value,
        sessions,
        users,
        new_users,
        bounces,
        avg_session_seconds
    from traffic_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

traffic as (
    select
        dimension_value,
        cast(sum(sessions) as bigint) as sessions,
        cast(sum(users) as bigint) as users,
        cast(sum(new_users) as bigint) as new_users,
        sum(new_users) filter (where users is not null) as new_users_with_users,
        sum(users) filter (where new_users is not null) as users_with_new_users,
        sum(bounces) as bounces,
        sum(sessions) filter (where bounces is not null) as sessions_with_bounces,
        sum(avg_session_seconds * sessions) as dwell_seconds,
        sum(sessions) filter (where avg_session_seconds is not null) as sessions_with_dwell
    from visits
    group by dimension_value
),

-- Orders per cell of order_cells add up unless an order spans two cells of
-- the period (multi_cell_orders); then the order lines are read.
cells_add_up as (
    select not exists (
        select 1 from multi_cell_orders where order_date between $start and $end
    ) as ok
),

sales as (
    select
        case $dimension
            when 'total' then 'all'
            when 'channel' then channel
            when 'platform' then platform
            when 'channel_raw' then channel_raw
        end as dimension_value,
        cast(sum(orders) as bigint) as orders,
        sum(net_revenue) as net_revenue
    from order_cells
    where (select ok from cells_add_up)
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by 1
    union all
    select
        case $dimension
            when 'total' then 'all'
            when 'channel' then channel
            when 'platform' then platform
            when 'channel_raw' then channel_raw
        end as dimension_value,
        count(distinct order_id) as orders,
        sum(net_revenue) as net_revenue
    from order_lines
    where not (select ok from cells_add_up)
        and is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by 1
),

joined as (
    select
        coalesce(t.dimension_value, s.dimension_value) as dimension_value,
        coalesce(t.sessions, 0) as sessions,
        t.users,
        t.new_users,
        t.new_users_with_users,
        t.users_with_new_users,
        t.bounces,
        t.sessions_with_bounces,
        t.dwell_seconds,
        t.sessions_with_dwell,
        coalesce(s.orders, 0) as orders,
        coalesce(s.net_revenue, 0) as net_revenue
    from traffic as t
    full outer join sales as s
        on t.dimension_value is not distinct from s.dimension_value
)

select
    dimension_value,
    sessions,
    users,
    new_users,
    new_users_with_users / nullif(users_with_new_users, 0) as new_user_share,
    bounces / nullif(sessions_with_bounces, 0) as bounce_rate,
    dwell_seconds / nullif(sessions_with_dwell, 0) as avg_dwell_seconds,
    orders,
    orders / nullif(sessions, 0) as conversion_rate,
    net_revenue,
    net_revenue / nullif(sessions, 0) as revenue_per_session,
    sessions / nullif(sum(sessions) over (), 0) as session_share,
    net_revenue / nullif(sum(net_revenue) over (), 0) as revenue_share,
    -- below 0: the value brings a bigger share of visitors than of sales
    net_revenue / nullif(sum(net_revenue) over (), 0)
    - sessions / nullif(sum(sessions) over (), 0) as revenue_share_gap_pp
from joined
order by sessions desc, net_revenue desc, dimension_value
