-- Question: which channels, platforms and categories can be filtered on?
-- Grain: one row per dimension × value present in the data, most common first.
-- Parameters: none.
with values_seen as (
    select 'channel' as dimension, channel as value from order_lines
    union all
    select 'channel', channel from traffic_days
    union all
    select 'channel', channel from ad_days
    union all
    select 'platform', platform from order_lines
    union all
    select 'platform', platform from traffic_days
    union all
    select 'category', category from order_lines
)

select
    dimension,
    value,
    count(*) as row_count
from values_seen
where value is not null
group by dimension, value
order by dimension, row_count desc, value
