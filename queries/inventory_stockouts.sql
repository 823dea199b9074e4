-- Question: how many days was each SKU out of stock in the period, and how
-- much revenue did that probably cost?
-- Grain: one row per SKU with a snapshot on or before the period's last
--   snapshot day E (the latest snapshot date ≤ $end); only SKUs with at least
--   one stock-out day in $start..E are returned.
-- Parameters: $start, $end (dates), $categories (list; empty = all).
-- METRICS.md: Inventory (issue 7: revenue lost to stock-outs). Definitions:
--   - on hand of a day = the SKU's latest snapshot on or before that day
--     (rows of one date summed); unknown before its first snapshot;
--   - a stock-out day = a day in $start..E whose on hand is ≤ 0; a spell is a
--     run of consecutive stock-out days (looked for from $start − 28 on);
--   - average daily units before the stock-out = units sold (paid lines) on
--     the in-stock days among the 28 days before the spell's first day ÷ the
--     number of those in-stock days; NULL when none was in stock, and then
--     the spell's days are counted but not priced (lost_units leaves them out);
--   - average price = net revenue ÷ units of the SKU's paid lines in the 365
--     days ending E;
--   - lost revenue = Σ over stock-out days of (average daily units before the
--     spell × average price).
with last_day as (
    select max(snapshot_date) as end_date
    from inventory
    where snapshot_date <= $end
),

snapshots as (
    select
        i.sku,
        i.snapshot_date,
        sum(i.on_hand) as on_hand
    from inventory as i
    cross join last_day as ld
    where i.snapshot_date <= ld.end_date
    group by i.sku, i.snapshot_date
),

skus as (
    select s.sku
    from (select distinct sku from snapshots) as s
    left join sku_info as si
        on si.sku = s.sku
    where in_filter($categories, coalesce(si.category, 'uncategorised'))
),

-- The latest stock before the window opens, carried into its first days.
opening as (
    select
        sku,
        arg_max(on_hand, snapshot_date) as on_hand
    from snapshots
    where snapshot_date < cast($start as date) - 28
    group by sku
),

grid as (
    select
        k.sku,
        cast(g.day as date) as day
    from skus as k
    cross join last_day as ld
    cross join generate_series(cast($start as date) - 28, ld.end_date, interval 1 day) as g (day)
),

-- paid units and revenue per SKU and day, pre-aggregated (queries/_aggregates.sql)
daily_units as (
    select
        ol.sku,
        ol.order_date as day,
        ol.units
    from sku_days as ol
    cross join last_day as ld
    where ol.order_date between cast($start as date) - 28 and ld.end_date
),

stock_days as (
    select
        g.sku,
        g.day,
        coalesce(
            last_value(s.on_hand ignore nulls) over (
                partition by g.sku order by g.day rows between unbounded preceding and current row
            ),
            o.on_hand
        ) as on_hand,
        coalesce(du.units, 0) as units
    from grid as g
    left join snapshots as s
        on s.sku = g.sku
        and s.snapshot_date = g.day
    left join opening as o
        on o.sku = g.sku
    left join daily_units as du
        on du.sku = g.sku
        and du.day = g.day
),

flagged as (
    select
        sku,
        day,
        units,
        coalesce(on_hand <= 0, false) as is_out,
        coalesce(on_hand > 0, false) as is_in
    from stock_days
),

starts as (
    select
        sku,
        day,
        is_out,
        -- The grid has one row per day, so 28 rows are 28 days.
        sum(case when is_in then units end) over before_28 as units_before,
        count(case when is_in then 1 end) over before_28 as in_stock_days_before,
        is_out and not coalesce(lag(is_out) over (partition by sku order by day), false) as is_spell_start
    from flagged
    window before_28 as (partition by sku order by day rows between 28 preceding and 1 preceding)
),

spells as (
    select
        *,
        sum(case when is_spell_start then 1 else 0 end) over (partition by sku order by day) as spell_id
    from starts
),

rated as (
    select
        sku,
        day,
        is_out,
        first_value(units_before / nullif(in_stock_days_before, 0)) over (
            partition by sku, spell_id order by day
        ) as units_per_day_before
    from spells
),

prices as (
    select
        ol.sku,
        sum(ol.net_revenue) / nullif(sum(ol.units), 0) as avg_price
    from sku_days as ol
    cross join last_day as ld
    where ol.order_date between ld.end_date - 364 and ld.end_date
    group by ol.sku
),

final as (
    select
        r.sku,
        count(*) as stockout_days,
        count(r.units_per_day_before) as priced_days,
        sum(r.units_per_day_before) as lost_units,
        cast(max(p.avg_price) as double) as avg_price,
        sum(r.units_per_day_before) * cast(max(p.avg_price) as double) as lost_revenue
    from rated as r
    left join prices as p
        on p.sku = r.sku
    where r.is_out
        and r.day >= $start
    group by r.sku
)

select *
from final
order by lost_revenue desc nulls last, sku
