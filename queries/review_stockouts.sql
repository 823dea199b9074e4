-- Question: which SKUs ran out of stock during the period (new stock-outs)?
-- Grain: one row per SKU that was in stock on its last snapshot before $start
-- (or had none) and has a snapshot in $start..$end with on hand ≤ 0.
-- Parameters: $start, $end (dates, inclusive).
-- METRICS.md: Inventory (out of stock = on_hand ≤ 0). Rows of one SKU and
-- date (two warehouses) add up, as on the inventory page.
with snapshots as (
    select
        sku,
        snapshot_date,
        sum(on_hand) as on_hand
    from inventory
    where snapshot_date <= $end
    group by sku, snapshot_date
),

before as (
    select
        sku,
        arg_max(on_hand, snapshot_date) as on_hand_before
    from snapshots
    where snapshot_date < $start
    group by sku
),

during as (
    select
        sku,
        min(snapshot_date) filter (where on_hand <= 0) as first_out_date,
        arg_max(on_hand, snapshot_date) as on_hand_now
    from snapshots
    where snapshot_date between $start and $end
    group by sku
)

select
    d.sku,
    si.product_name,
    si.category,
    b.on_hand_before,
    d.on_hand_now,
    d.first_out_date
from during as d
left join before as b
    on b.sku = d.sku
left join sku_info as si
    on si.sku = d.sku
where d.first_out_date is not null
    and (b.on_hand_before is null or b.on_hand_before > 0)
order by d.first_out_date, d.sku
