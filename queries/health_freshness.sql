-- Question: how current is each table, and does one lag the others?
-- Grain: one row per table with data. Parameters: none.
-- gap_days counts days inside the table's range with no rows at all;
-- inventory snapshots need not be daily, so its gaps are informational.
with dates as (
    select 'orders' as table_name, order_date as d from order_lines
    union all
    select 'traffic', date from traffic_days
    union all
    select 'ad_spend', date from ad_days
    union all
    select 'inventory', snapshot_date from inventory
    union all
    select 'members', joined_date from members
),

per_table as (
    select
        table_name,
        min(d) as first_date,
        max(d) as last_date,
        count(*) as row_count,
        count(distinct d) as days_with_rows
    from dates
    group by table_name
)

select
    table_name,
    first_date,
    last_date,
    row_count,
    date_diff('day', first_date, last_date) + 1 - days_with_rows as gap_days,
    date_diff(
        'day',
        last_date,
        max(last_date) filter (where table_name <> 'members') over ()
    ) as days_behind
from per_table
order by table_name
