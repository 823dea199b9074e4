-- Question: how do sessions from each channel group move over the period?
-- Grain: one row per bucket × channel with traffic; a bucket is a day, or an
--   ISO week (bucket_date = its Monday) when the period is longer than 60
--   days (macro trend_bucket in _model.sql); grain says which. Edge weeks
--   hold only the days inside the period.
-- Parameters: $start, $end, $channels, $platforms (traffic has no category).
-- METRICS.md: Traffic and funnel (sessions); Periods (ISO weeks).
select
    trend_bucket(date, $start, $end) as bucket_date,
    case when date_diff('day', cast($start as date), cast($end as date)) >= 60 then 'week' else 'day' end as grain,
    channel,
    cast(sum(sessions) as bigint) as sessions
from traffic_days
where date between $start and $end
    and in_filter($channels, channel)
    and in_filter($platforms, platform)
group by all
order by bucket_date, sessions desc, channel
