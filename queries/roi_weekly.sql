-- Question: week by week, what does each paid channel bring back per yuan of
--   spend?
-- Grain: one row per ISO week (week_start = its Monday) × channel with ad
--   spend in that week; channels without spend in the period are left out.
--   Edge weeks hold only the days inside the period (period_days says how many).
-- Parameters: $start, $end, $channels, $platforms (no $categories, see roi_by.sql).
-- METRICS.md: Advertising (ROAS = attributed net revenue / spend); Periods
--   (a week runs Monday..Sunday). ROAS is NULL in a week without spend.
with ads as (
    select
        cast(date_trunc('week', date) as date) as week_start,
        channel,
        sum(spend) as spend
    from ad_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    group by all
),

sales as (
    select
        cast(date_trunc('week', order_date) as date) as week_start,
        channel,
        sum(net_revenue) as net_revenue
    from order_cells
    where order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
        and channel in (select channel from ads)
    group by all
)

select
    a.week_start,
    a.channel,
    a.spend,
    coalesce(s.net_revenue, 0) as net_revenue,
    coalesce(s.net_revenue, 0) / nullif(a.spend, 0) as roas,
    date_diff(
        'day',
        greatest(a.week_start, cast($start as date)),
        least(a.week_start + interval 6 day, cast($end as date))
    ) + 1 as period_days
from ads as a
left join sales as s
    on a.week_start = s.week_start
    and a.channel = s.channel
where a.channel in (select channel from ads group by channel having sum(spend) > 0)
order by a.week_start, a.spend desc, a.channel
