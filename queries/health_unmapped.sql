-- Question: which raw channel values fell through to "other"?
-- Grain: one row per raw value × table. Add them to data/channel_map.csv.
-- Parameters: none.
with raw_values as (
    select 'orders' as table_name, channel_raw, count(*) as row_count
    from order_lines
    group by channel_raw
    union all
    select 'traffic', channel_raw, count(*)
    from traffic_days
    group by channel_raw
    union all
    select 'ad_spend', channel_raw, count(*)
    from ad_days
    group by channel_raw
)

select
    r.channel_raw as raw_value,
    r.table_name,
    r.row_count
from raw_values as r
left join channel_map as m on m.raw_key = lower(trim(r.channel_raw))
where r.channel_raw is not null and m.raw_key is null
order by r.row_count desc, r.channel_raw
