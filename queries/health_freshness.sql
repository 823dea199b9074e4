-- Question: how current is each table, and does one lag the others?
-- Grain: one row per table with data. Parameters: none.
-- gap_days counts days inside the table's range with no rows at all;
-- inventory snapshots need not be daily, so its gaps are informational.
-- Rows are counted per day first (a few hundred groups per table, where a
-- count(distinct) over every row would sort them).
with days as (
    select 'orders' as table_name, order_date as d, count(*) as n from order_lines group by order_date
    union all
    select 'traffic', date, count(*) from traffic_days group by date
    union all
    select 'ad_spend', date, count(*) from ad_days group by date
    union all
    select 'inventory', snapshot_date, count(*) from inventory group by snapshot_date
    union all
    select 'members', joined_date, count(*) from members group by joined_date
),

per_table as (
    select
        table_name,
        min(d) as first_date,
        max(d) as last_date,
        cast(sum(n) as bigint) as row_count,
        count(d) as days_with_rows
    from days
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
