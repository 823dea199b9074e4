-- Question: how did one SKU sell and how much stock did it hold, day by day?
-- Grain: one row per day in $start..$end (every day, zero units when it did
--   not sell); on_hand is the day's snapshot (rows of one date summed), NULL
--   on a day without a snapshot.
-- Parameters: $sku (text), $start, $end (dates).
-- METRICS.md: Inventory (units = Σ quantity over paid lines).
with days as (
    select cast(g.day as date) as day
    from generate_series(cast($start as date), cast($end as date), interval 1 day) as g (day)
),

daily_units as (
    select
        order_date as day,
        units
    from sku_days
    where sku = $sku
        and order_date between $start and $end
),

snapshots as (
    select
        snapshot_date as day,
        sum(on_hand) as on_hand
    from inventory
    where sku = $sku
        and snapshot_date between $start and $end
    group by snapshot_date
),

final as (
    select
        d.day,
        cast(coalesce(u.units, 0) as bigint) as units,
        cast(s.on_hand as bigint) as on_hand
    from days as d
    left join daily_units as u
        on u.day = d.day
    left join snapshots as s
        on s.day = d.day
)

select *
from final
order by day
