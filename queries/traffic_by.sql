-- Question: how much traffic does each channel / platform / raw source bring,
-- how engaged is it, and does it sell, in the period and in its comparison
-- period?
-- Grain: one row per period ('current': $start..$end, 'comparison':
--   $cstart..$cend) × dimension of $dimensions × value. Dimensions (matched
--   by value, never spliced into the SQL; an empty list means all four):
--   'total' one row ('all'); 'channel' mapped
--   channel group; 'platform'; 'channel_raw' the source as written before
--   mapping (with $channels = one group: that channel's drill-down). Values
--   with orders but no traffic get sessions 0 and NULL ratios; values with
--   traffic and no orders get orders 0. Pages take the frame apart in Python
--   (metrics.period_part): one call instead of one per dimension and period;
--   a page showing one period passes it twice.
-- Parameters: $dimensions, $start, $end, $cstart, $cend, $channels,
--   $platforms. No $categories: traffic has no category, so orders are not
--   filtered by category either and conversion stays orders ÷ sessions of
--   the same scope.
-- METRICS.md: Traffic and funnel. Optional columns (users, new_users,
--   bounces, avg_session_seconds) are summed over the rows that report them
--   and each ratio divides by the sessions (or users) of those same rows, so
--   "not reported" is NULL, never 0. users is Σ of the daily figures (a user
--   seen on two days counts twice), as exports report it. Shares are of the
--   period's total within the dimension.
-- Each period's rows come from a scan of their own (the periods may overlap).
with dimensions as (
    select *
    from (values (1, 'total'), (2, 'channel'), (3, 'platform'), (4, 'channel_raw')) as d(dimension_order, dimension)
    where in_filter($dimensions, d.dimension)
),

-- orders per cell of order_cells add up unless an order spans two cells of
-- the period (multi_cell_orders); then that period's order lines are read
cells_add_up as (
    select
        not exists (select 1 from multi_cell_orders where order_date between $start and $end) as current_ok,
        not exists (select 1 from multi_cell_orders where order_date between $cstart and $cend) as comparison_ok
),

dated_visits as (
    select 'current' as period, channel, platform, channel_raw, sessions, users, new_users, bounces, avg_session_seconds
    from traffic_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    union all
    select 'comparison', channel, platform, channel_raw, sessions, users, new_users, bounces, avg_session_seconds
    from traffic_days
    where date between $cstart and $cend
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

visits as (
    select
        t.period,
        d.dimension_order,
        case d.dimension
            when 'total' then 'all'
            when 'channel' then t.channel
            when 'platform' then t.platform
            when 'channel_raw' then t.channel_raw
        end as dimension_value,
        t.sessions,
        t.users,
        t.new_users,
        t.bounces,
        t.avg_session_seconds
    from dated_visits as t
    cross join dimensions as d
),

traffic as (
    select
        period,
        dimension_order,
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
    group by period, dimension_order, dimension_value
),

dated_cells as (
    select 'current' as period, channel, platform, channel_raw, orders, net_revenue
    from order_cells
    where (select current_ok from cells_add_up)
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    union all
    select 'comparison', channel, platform, channel_raw, orders, net_revenue
    from order_cells
    where (select comparison_ok from cells_add_up)
        and order_date between $cstart and $cend
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

dated_lines as (
    select 'current' as period, channel, platform, channel_raw, order_id, net_revenue
    from order_lines
    where not (select current_ok from cells_add_up)
        and is_paid
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    union all
    select 'comparison', channel, platform, channel_raw, order_id, net_revenue
    from order_lines
    where not (select comparison_ok from cells_add_up)
        and is_paid
        and order_date between $cstart and $cend
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

sales as (
    select
        c.period,
        d.dimension_order,
        case d.dimension
            when 'total' then 'all'
            when 'channel' then c.channel
            when 'platform' then c.platform
            when 'channel_raw' then c.channel_raw
        end as dimension_value,
        cast(sum(c.orders) as bigint) as orders,
        sum(c.net_revenue) as net_revenue
    from dated_cells as c
    cross join dimensions as d
    group by 1, 2, 3
    union all
    select
        l.period,
        d.dimension_order,
        case d.dimension
            when 'total' then 'all'
            when 'channel' then l.channel
            when 'platform' then l.platform
            when 'channel_raw' then l.channel_raw
        end as dimension_value,
        count(distinct l.order_id) as orders,
        sum(l.net_revenue) as net_revenue
    from dated_lines as l
    cross join dimensions as d
    group by 1, 2, 3
),

joined as (
    select
        coalesce(t.period, s.period) as period,
        coalesce(t.dimension_order, s.dimension_order) as dimension_order,
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
        on t.period = s.period
        and t.dimension_order = s.dimension_order
        and t.dimension_value is not distinct from s.dimension_value
)

select
    j.period,
    d.dimension,
    j.dimension_value,
    j.sessions,
    j.users,
    j.new_users,
    j.new_users_with_users / nullif(j.users_with_new_users, 0) as new_user_share,
    j.bounces / nullif(j.sessions_with_bounces, 0) as bounce_rate,
    j.dwell_seconds / nullif(j.sessions_with_dwell, 0) as avg_dwell_seconds,
    j.orders,
    j.orders / nullif(j.sessions, 0) as conversion_rate,
    j.net_revenue,
    j.net_revenue / nullif(j.sessions, 0) as revenue_per_session,
    j.sessions / nullif(sum(j.sessions) over (partition by j.period, j.dimension_order), 0) as session_share,
    j.net_revenue / nullif(sum(j.net_revenue) over (partition by j.period, j.dimension_order), 0) as revenue_share,
    -- below 0: the value brings a bigger share of visitors than of sales
    j.net_revenue / nullif(sum(j.net_revenue) over (partition by j.period, j.dimension_order), 0)
    - j.sessions / nullif(sum(j.sessions) over (partition by j.period, j.dimension_order), 0) as revenue_share_gap_pp
from joined as j
inner join dimensions as d
    on d.dimension_order = j.dimension_order
order by
    j.period = 'comparison',
    j.dimension_order,
    j.sessions desc,
    j.net_revenue desc,
    j.dimension_value
