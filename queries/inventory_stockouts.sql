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

-- Stock-out days are rare: rather than carrying every SKU's stock through
-- every day, the snapshots at or below 0 are held until the SKU's next
-- snapshot, and only their days are listed. A date's stock can be at or
-- below 0 only if one of its rows is, so only the SKUs with such a row are
-- read further.
candidates as (
    select distinct i.sku
    from inventory as i
    cross join last_day as ld
    left join sku_info as si
        on si.sku = i.sku
    where i.on_hand <= 0
        and i.snapshot_date <= ld.end_date
        and in_filter($categories, coalesce(si.category, 'uncategorised'))
),

-- Their stock per snapshot date up to E (rows of one date summed). A date
-- whose rows carry no figure is left out: the stock before it carries on.
snapshots as (
    select
        i.sku,
        i.snapshot_date,
        sum(i.on_hand) as on_hand
    from inventory as i
    cross join last_day as ld
    where i.snapshot_date <= ld.end_date
        and i.on_hand is not null
        and i.sku in (select sku from candidates)
    group by i.sku, i.snapshot_date
),

-- a snapshot at or below 0 holds until the day before the SKU's next
-- snapshot (until E after its last)
outs as (
    select
        o.sku,
        o.snapshot_date as first_day,
        coalesce(min(n.snapshot_date) - 1, max(ld.end_date)) as last_day
    from snapshots as o
    cross join last_day as ld
    left join snapshots as n
        on n.sku = o.sku
        and n.snapshot_date > o.snapshot_date
    where o.on_hand <= 0
    group by o.sku, o.snapshot_date
),

-- a spell (consecutive stock-out days) starts at a held snapshot unless the
-- SKU was out the day before; spells are looked for from $start − 28 on, so
-- one that began earlier starts there
starts as (
    select
        o.sku,
        o.first_day
    from outs as o
    where not exists (
        select 1
        from outs as p
        where p.sku = o.sku
            and p.last_day = o.first_day - 1
    )
),

spelled as (
    select
        o.sku,
        o.first_day,
        o.last_day,
        greatest(max(s.first_day), cast($start as date) - 28) as spell_start
    from outs as o
    inner join starts as s
        on s.sku = o.sku
        and s.first_day <= o.first_day
    where o.last_day >= $start
    group by o.sku, o.first_day, o.last_day
),

out_days as (
    select
        o.sku,
        o.spell_start,
        cast(g.day as date) as day
    from spelled as o
    cross join generate_series(greatest(o.first_day, cast($start as date)), o.last_day, interval 1 day) as g (day)
),

spells as (
    select distinct
        sku,
        spell_start
    from spelled
),

-- the SKU's first day with a known stock
known as (
    select
        sku,
        min(snapshot_date) as first_known
    from snapshots
    group by sku
),

-- the 28 days before each spell (from $start − 28 on) on which the SKU was in
-- stock: known, and not a day of a stock-out
in_stock_before as (
    select
        lb.sku,
        lb.spell_start,
        coalesce(u.units, 0) as units
    from (
        select
            sp.sku,
            sp.spell_start,
            sp.spell_start - cast(k.n as integer) as day
        from spells as sp
        cross join generate_series(1, 28) as k (n)
    ) as lb
    inner join known as kn
        on kn.sku = lb.sku
    left join sku_days as u
        on u.sku = lb.sku
        and u.order_date = lb.day
    where lb.day >= cast($start as date) - 28
        and lb.day >= kn.first_known
        and not exists (
            select 1
            from outs as o
            where o.sku = lb.sku
                and lb.day between o.first_day and o.last_day
        )
),

rated as (
    select
        sp.sku,
        sp.spell_start,
        sum(b.units) / nullif(count(b.units), 0) as units_per_day_before
    from spells as sp
    left join in_stock_before as b
        on b.sku = sp.sku
        and b.spell_start = sp.spell_start
    group by sp.sku, sp.spell_start
),

prices as (
    select
        ol.sku,
        sum(ol.net_revenue) / nullif(sum(ol.units), 0) as avg_price
    from sku_days as ol
    cross join last_day as ld
    where ol.order_date between ld.end_date - 364 and ld.end_date
        and ol.sku in (select sku from spells)
    group by ol.sku
),

final as (
    select
        d.sku,
        count(*) as stockout_days,
        count(r.units_per_day_before) as priced_days,
        sum(r.units_per_day_before) as lost_units,
        cast(max(p.avg_price) as double) as avg_price,
        sum(r.units_per_day_before) * cast(max(p.avg_price) as double) as lost_revenue
    from out_days as d
    inner join rated as r
        on r.sku = d.sku
        and r.spell_start = d.spell_start
    left join prices as p
        on p.sku = d.sku
    group by d.sku
)

select *
from final
order by lost_revenue desc nulls last, sku
