-- Question: where does every SKU of the latest stock snapshot stand — stock,
-- demand over the last 28 days, revenue over the last 90, and ABC class?
-- Grain: one row per SKU in the latest inventory snapshot on or before
--   $as_of (D). Two rows for one SKU on one date (two warehouses) add up:
--   on_hand, on_order and the stock value are summed, the longest lead time
--   and the largest min_order_qty are kept.
-- Parameters: $as_of (date), $categories (list; empty = all). The category
--   filter applies after the ABC classes are assigned, since ABC ranks the
--   SKUs of the whole snapshot.
-- METRICS.md: Inventory. d = mean of the 28 daily unit totals ending D (days
--   without sales count as 0), σ their sample standard deviation; the
--   Z-dependent numbers (safety stock, reorder point, stock-out probability,
--   status) are computed from these columns in storeops/inventory.py, because
--   the service level is chosen on the page.
with snapshot_day as (
    select max(snapshot_date) as snapshot_date
    from inventory
    where snapshot_date <= $as_of
),

stock as (
    select
        i.sku,
        i.snapshot_date,
        cast(sum(i.on_hand) as bigint) as on_hand,
        cast(sum(coalesce(i.on_order, 0)) as bigint) as on_order,
        max(i.lead_time_days) as lead_time_days,
        max(i.min_order_qty) as min_order_qty,
        max(i.unit_cost) as unit_cost,
        -- Stock value only when every row of the SKU carries a cost; units
        -- below zero (oversold) are worth nothing rather than negative.
        case
            when count(i.unit_cost) = count(*) then sum(greatest(i.on_hand, 0) * i.unit_cost)
        end as inventory_value,
        arg_max(i.product_name, i.product_name is not null) as product_name,
        arg_max(i.category, i.category is not null) as category
    from inventory as i
    inner join snapshot_day as sd
        on i.snapshot_date = sd.snapshot_date
    group by i.sku, i.snapshot_date
),

-- paid units and revenue per SKU and day, pre-aggregated (queries/_aggregates.sql)
sales as (
    select
        ol.sku,
        cast(sum(ol.units) filter (where ol.order_date > sd.snapshot_date - 90) as bigint) as units_90d,
        sum(ol.net_revenue) filter (where ol.order_date > sd.snapshot_date - 90) as net_revenue_90d,
        cast(sum(ol.units) filter (where ol.order_date > sd.snapshot_date - 7) as bigint) as units_7d,
        cast(sum(ol.units) filter (
            where ol.order_date between sd.snapshot_date - 34 and sd.snapshot_date - 7
        ) as bigint) as units_prior_28d,
        min(ol.order_date) as first_sale_date,
        max(ol.order_date) as last_sale_date
    from sku_days as ol
    cross join snapshot_day as sd
    where ol.order_date <= sd.snapshot_date
        and ol.sku in (select sku from stock)
    group by ol.sku
),

last_28_days as (
    select cast(g.day as date) as day
    from snapshot_day as sd
    cross join generate_series(sd.snapshot_date - 27, sd.snapshot_date, interval 1 day) as g (day)
),

daily_units as (
    select
        ol.sku,
        ol.order_date as day,
        ol.units
    from sku_days as ol
    cross join snapshot_day as sd
    where ol.order_date between sd.snapshot_date - 27 and sd.snapshot_date
),

demand as (
    select
        s.sku,
        avg(coalesce(du.units, 0)) as avg_daily_units,
        stddev_samp(coalesce(du.units, 0)) as sd_daily_units
    from stock as s
    cross join last_28_days as d
    left join daily_units as du
        on du.sku = s.sku
        and du.day = d.day
    group by s.sku
),

ranked as (
    select
        s.sku,
        coalesce(sa.net_revenue_90d, 0) as net_revenue_90d,
        coalesce(
            sum(coalesce(sa.net_revenue_90d, 0)) over (
                order by coalesce(sa.net_revenue_90d, 0) desc, s.sku
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as revenue_before,
        sum(coalesce(sa.net_revenue_90d, 0)) over () as revenue_total
    from stock as s
    left join sales as sa
        on sa.sku = s.sku
),

final as (
    select
        s.snapshot_date,
        s.sku,
        coalesce(s.product_name, si.product_name) as product_name,
        coalesce(s.category, si.category, 'uncategorised') as category,
        s.on_hand,
        s.on_order,
        s.lead_time_days,
        s.min_order_qty,
        cast(s.unit_cost as double) as unit_cost,
        cast(s.inventory_value as double) as inventory_value,
        d.avg_daily_units,
        d.sd_daily_units,
        coalesce(sa.units_90d, 0) as units_90d,
        cast(r.net_revenue_90d as double) as net_revenue_90d,
        coalesce(sa.units_7d, 0) as units_7d,
        coalesce(sa.units_prior_28d, 0) as units_prior_28d,
        sa.last_sale_date,
        least(si.first_snapshot_date, coalesce(sa.first_sale_date, si.first_snapshot_date)) as first_seen_date,
        -- A SKU is A while the revenue ranked before it is under 80% of the
        -- total, B under 95%, C after; a snapshot without revenue is all C.
        case
            when r.revenue_total <= 0 then 'C'
            when r.revenue_before < 0.80 * r.revenue_total then 'A'
            when r.revenue_before < 0.95 * r.revenue_total then 'B'
            else 'C'
        end as abc_class,
        r.revenue_before / nullif(r.revenue_total, 0) as revenue_share_before
    from stock as s
    inner join demand as d
        on d.sku = s.sku
    inner join ranked as r
        on r.sku = s.sku
    left join sales as sa
        on sa.sku = s.sku
    left join sku_info as si
        on si.sku = s.sku
)

select *
from final
where in_filter($categories, category)
order by sku
