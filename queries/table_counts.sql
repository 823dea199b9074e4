-- Question: which tables hold data? A metric whose table is empty is shown
-- as "—" with the reason ("needs traffic"), never as 0.
-- Grain: one row per table. Parameters: none.
select 'orders' as table_name, count(*) as row_count from order_lines
union all
select 'traffic', count(*) from traffic_days
union all
select 'ad_spend', count(*) from ad_days
union all
select 'inventory', count(*) from inventory
union all
select 'members', count(*) from members
