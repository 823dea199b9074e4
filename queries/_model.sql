-- The shared layer: derived tables built once per cache version, at ingest,
-- from the canonical tables (orders, ad_spend, traffic, inventory, members,
-- channel_map, platform_map, settings). The rules of METRICS.md that many
-- queries need are applied here, once; queries read these tables.

-- in_filter(list, value): a multiselect filter; an empty list means "all".
create macro in_filter(list, value) as len(list) = 0 or list_contains(list, value);

-- trend_bucket(day, period_start, period_end): the point a trend draws a day
-- in: the day itself, or the Monday of its ISO week when the period is longer
-- than 60 days (a daily line over a quarter is mostly weekday noise).
create macro trend_bucket(day, period_start, period_end) as
    case
        when date_diff('day', cast(period_start as date), cast(period_end as date)) >= 60
            then cast(date_trunc('week', cast(day as date)) as date)
        else cast(day as date)
    end;

-- sku_info: one row per SKU seen in inventory; the latest known name,
-- category and unit cost (a later snapshot without a value keeps the older one).
create table sku_info as
select
    sku,
    arg_max(product_name, snapshot_date) filter (where product_name is not null) as product_name,
    arg_max(category, snapshot_date) filter (where category is not null) as category,
    arg_max(unit_cost, snapshot_date) filter (where unit_cost is not null) as unit_cost,
    min(snapshot_date) as first_snapshot_date
from inventory
group by sku;

-- order_lines: one row per order line, METRICS.md "Sales" applied.
-- channel is the mapped channel group, channel_raw the value as written;
-- a line is paid when its status is paid or refunded.
create table order_lines as
select
    o.order_id,
    o.order_time,
    cast(o.order_time as date) as order_date,
    o.customer_id,
    o.sku,
    o.quantity,
    o.unit_price,
    o.discount,
    o.status,
    o.status in ('paid', 'refunded') as is_paid,
    nullif(trim(o.channel), '') as channel_raw,
    coalesce(cm.channel, 'other') as channel,
    o.campaign,
    coalesce(pm.platform, replace(lower(trim(o.platform)), ' ', '_'), 'unspecified') as platform,
    coalesce(o.product_name, s.product_name) as product_name,
    coalesce(o.category, s.category, 'uncategorised') as category,
    o.region,
    o.payment_method,
    coalesce(o.unit_cost, s.unit_cost) as unit_cost,
    o.quantity * o.unit_price as line_gross,
    case
        when o.refund_amount is not null then o.refund_amount
        when o.status = 'refunded' then o.quantity * o.unit_price - o.discount
        else 0
    end as line_refund,
    o.quantity * o.unit_price - o.discount - (
        case
            when o.refund_amount is not null then o.refund_amount
            when o.status = 'refunded' then o.quantity * o.unit_price - o.discount
            else 0
        end
    ) as net_revenue,
    o.quantity * coalesce(o.unit_cost, s.unit_cost) as line_cost,
    o._file,
    o._line
from orders as o
left join channel_map as cm
    on cm.raw_key = lower(trim(o.channel))
left join platform_map as pm
    on pm.raw_key = lower(trim(o.platform))
left join sku_info as s
    on s.sku = o.sku;

-- customers: one row per customer with a paid order; their first paid order
-- (earliest time, ties by order_id) decides when and where they were new.
create table customers as
with firsts as (
    select
        customer_id,
        order_id,
        order_time,
        channel,
        platform,
        row_number() over (partition by customer_id order by order_time, order_id) as n
    from order_lines
    where is_paid
)
select
    customer_id,
    order_id as first_order_id,
    order_time as first_order_time,
    cast(order_time as date) as first_order_date,
    channel as first_channel,
    platform as first_platform
from firsts
where n = 1;

-- traffic_days: traffic rows with mapped channel and platform.
create table traffic_days as
select
    t.date,
    nullif(trim(t.channel), '') as channel_raw,
    coalesce(cm.channel, 'other') as channel,
    coalesce(pm.platform, replace(lower(trim(t.platform)), ' ', '_'), 'unspecified') as platform,
    t.sessions,
    t.users,
    t.new_users,
    t.bounces,
    t.avg_session_seconds,
    t.product_views,
    t.add_to_cart,
    t.checkouts,
    t.purchases
from traffic as t
left join channel_map as cm
    on cm.raw_key = lower(trim(t.channel))
left join platform_map as pm
    on pm.raw_key = lower(trim(t.platform));

-- ad_days: ad spend rows with mapped channel and platform.
create table ad_days as
select
    a.date,
    nullif(trim(a.channel), '') as channel_raw,
    coalesce(cm.channel, 'other') as channel,
    a.campaign,
    coalesce(pm.platform, replace(lower(trim(a.platform)), ' ', '_'), 'unspecified') as platform,
    a.impressions,
    a.clicks,
    a.spend,
    a.conversions,
    a.conversion_value
from ad_spend as a
left join channel_map as cm
    on cm.raw_key = lower(trim(a.channel))
left join platform_map as pm
    on pm.raw_key = lower(trim(a.platform));

-- traffic_columns: one row; which optional traffic columns the user's files
-- carry. Ingest stores an absent optional column as NULL, so a column is
-- absent when every traffic row, over the whole table (not just a period),
-- has NULL for it. Decided over the whole table so a step does not appear
-- and disappear as the period moves; a present column that is NULL in some
-- rows is summed over its non-null rows.
create table traffic_columns as
select
    count(users) > 0 as has_users,
    count(new_users) > 0 as has_new_users,
    count(bounces) > 0 as has_bounces,
    count(avg_session_seconds) > 0 as has_avg_session_seconds,
    count(product_views) > 0 as has_product_views,
    count(add_to_cart) > 0 as has_add_to_cart,
    count(checkouts) > 0 as has_checkouts,
    count(purchases) > 0 as has_purchases
from traffic_days;
