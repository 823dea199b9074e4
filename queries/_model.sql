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
-- refresh: order_id in changed_orders
-- refresh inputs: orders
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
-- (earliest time, ties by order_id) decides when and where they were new
-- (lines of that order with different channels: the first channel, then
-- platform, in sort order). One group-by: the smallest (time, order_id,
-- channel, platform) of the customer's paid lines.
-- refresh: customer_id in changed_customers
-- refresh inputs: order_lines
create table customers as
with firsts as (
    select
        customer_id,
        min({'t': order_time, 'o': order_id, 'c': channel, 'p': platform}) as f
    from order_lines
    where is_paid
    group by customer_id
)
select
    customer_id,
    f.o as first_order_id,
    f.t as first_order_time,
    cast(f.t as date) as first_order_date,
    f.c as first_channel,
    f.p as first_platform
from firsts;

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

-- customer_profile: one row per known customer — anyone with a paid order
-- (customers) or a row in members — with an integer customer_key: the
-- customer queries below group millions of customers, and grouping and
-- joining on an integer is several times faster than on the text id. The
-- members columns are as written; whether a member had joined by a given
-- day is decided by customer_state. A customer keeps their key from one
-- ingest to the next; customers added by an incremental ingest are numbered
-- after the largest key (a whole build numbers everyone by customer_id).
-- After a new week (orders only added, members unchanged), storeops/ingest.py
-- _append_customer_profile changes a known customer's row only where
-- customers.first_order_date did: a new column taken from customers goes there too.
-- refresh: customer_id in changed_customers
-- stable key: customer_key, changed keys in changed_customer_keys
-- refresh inputs: customers, members
create table customer_profile as
select
    row_number() over (order by coalesce(c.customer_id, m.customer_id)) as customer_key,
    coalesce(c.customer_id, m.customer_id) as customer_id,
    c.first_order_date,
    m.joined_date,
    nullif(trim(m.tier), '') as given_tier,
    m.points_balance,
    m.birthday
from customers as c
full join members as m
    on m.customer_id = c.customer_id;

-- paid_orders: one row per customer × order with at least one paid line
-- (METRICS.md "Customers and members": only paid lines count). The grain
-- every customer query needs: frequency counts these rows, monetary sums
-- their net revenue; an order is dated by its order_time (refunds count
-- against the day the order was placed). first_order_date is the
-- customer's first paid order (cohorts, new vs returning).
-- refresh: customer_id in changed_customers
-- refresh inputs: order_lines, customer_profile
create table paid_orders as
with orders as (
    select
        customer_id,
        order_id,
        min(order_time) as order_time,
        cast(min(order_time) as date) as order_date,
        sum(net_revenue) as net_revenue
    from order_lines
    where is_paid
    group by customer_id, order_id
)
select
    p.customer_key,
    o.customer_id,
    o.order_id,
    o.order_time,
    o.order_date,
    o.net_revenue,
    p.first_order_date
from orders as o
inner join customer_profile as p
    on p.customer_id = o.customer_id;

-- tier_thresholds: one row per tier of the settings (default Bronze 0,
-- Silver 1 000, Gold 5 000, Platinum 20 000); tier_rank 1 is the lowest.
-- band_min / band_max: the revenue range of the tier (the lowest tier also
-- takes revenue below its threshold, the highest has no ceiling).
create table tier_thresholds as
with tiers as (
    select
        t.key as tier,
        cast(t.value as double) as min_revenue
    from settings as s, json_each(s.value) as t
    where s.key = 'tier_thresholds'
),

ranked as (
    select
        tier,
        min_revenue,
        row_number() over (order by min_revenue, tier) as tier_rank,
        lead(min_revenue) over (order by min_revenue, tier) as next_min_revenue
    from tiers
)

select
    tier,
    min_revenue,
    tier_rank,
    case when tier_rank = 1 then -1e300 else min_revenue end as band_min,
    coalesce(next_min_revenue, 1e300) as band_max
from ranked;

-- customer_timeline: each customer's state over time, so that the state on
-- any day D (customer_state below) is a filter — the one row per customer
-- with from_date ≤ D < to_date — rather than a group-by over every paid
-- order. A customer's rows change where their numbers change: on each day
-- with a paid order (paid_orders, dated by order_date) and 365 days later,
-- when that day's orders leave the 365-day window (D − 365 < day ≤ D);
-- to_date is the next such day (9999-12-31 after the last). A member also
-- has a row from joined_date to their first paid order day (or for ever),
-- with no orders; before joined_date and before the first order a customer
-- has no row (not known yet). On each row: last_order_date (the latest paid
-- order day ≤ from_date); orders_365 / revenue_365, the paid orders and
-- their net revenue on days in (from_date − 365, from_date] (running sums of
-- +orders on each order day and −orders 365 days later; where an order day
-- is also the day older orders leave, both count and the empty row between
-- them is dropped); derived_tier, the tier of revenue_365 in
-- tier_thresholds; the customer_profile columns (whether the member had
-- joined by D is decided by customer_state). given_rank / derived_rank:
-- the tier_rank of given_tier (0 for a tier the settings do not know, NULL
-- without one) and of derived_tier, so that a query keeps the tiers above
-- the lowest (rank <> 1) with a filter the scan applies, not a comparison
-- of names with a subquery per row. On the rows of an order day
-- (day_orders > 0): that day's paid orders and net revenue, and the
-- customer's previous and next paid order days — the buyers of a period
-- [s, e] are its order-day rows with prev_order_date before s (or none),
-- a filter, not a group-by. Sorted by to_date, after the rows that begin
-- after the last paid order day (a day's orders leaving the 365-day window
-- later; 3.4M of 14M rows at 10M lines) are put last: a state on D up to
-- that day reads only the row groups with a to_date after D and a
-- from_date on or before it (no such future rows), and so does a scan of
-- the order-day rows up to D.
-- (Here, not in _aggregates.sql: the macros below read it, and DuckDB binds
-- a macro's tables when it is created.)
-- refresh: customer_key in changed_customer_keys
-- refresh inputs: paid_orders, customer_profile
create table customer_timeline as
with days as (
    select
        customer_key,
        order_date,
        count(*) as orders,
        sum(net_revenue) as net_revenue
    from paid_orders
    group by customer_key, order_date
),

events as (
    select
        customer_key,
        order_date as event_date,
        1 as kind,
        order_date,
        orders,
        net_revenue
    from days
    union all
    select
        customer_key,
        order_date + 365 as event_date,
        0 as kind,
        null as order_date,
        -orders as orders,
        -net_revenue as net_revenue
    from days
),

running as (
    select
        customer_key,
        event_date as from_date,
        coalesce(lead(event_date) over (partition by customer_key order by event_date, kind), date '9999-12-31') as to_date,
        max(order_date) over w as last_order_date,
        cast(sum(orders) over w as bigint) as orders_365,
        cast(sum(net_revenue) over w as decimal(38, 2)) as revenue_365,
        case when kind = 1 then orders else 0 end as day_orders,
        cast(case when kind = 1 then net_revenue else 0 end as decimal(38, 2)) as day_revenue,
        -- order days rise along the events: the latest earlier one / earliest later one (portable, unlike
        -- lag/lead … ignore nulls, which PostgreSQL lacks)
        max(order_date) over (
            partition by customer_key order by event_date, kind rows between unbounded preceding and 1 preceding
        ) as prev_order_date,
        min(order_date) over (
            partition by customer_key order by event_date, kind rows between 1 following and unbounded following
        ) as next_order_date
    from events
    window w as (partition by customer_key order by event_date, kind rows between unbounded preceding and current row)
),

timeline as (
    select *
    from running
    where from_date < to_date
    union all
    select
        customer_key,
        joined_date as from_date,
        coalesce(first_order_date, date '9999-12-31') as to_date,
        null as last_order_date,
        0 as orders_365,
        0 as revenue_365,
        0 as day_orders,
        0 as day_revenue,
        null as prev_order_date,
        null as next_order_date
    from customer_profile
    where joined_date < coalesce(first_order_date, date '9999-12-31')
)

select
    t.from_date,
    t.to_date,
    t.customer_key,
    p.customer_id,
    p.joined_date,
    p.given_tier,
    p.points_balance,
    p.birthday,
    p.first_order_date,
    t.last_order_date,
    t.orders_365,
    t.revenue_365,
    d.tier as derived_tier,
    t.day_orders,
    t.day_revenue,
    t.prev_order_date,
    t.next_order_date,
    case when p.given_tier is not null then coalesce(g.tier_rank, 0) end as given_rank,
    d.tier_rank as derived_rank
from timeline as t
inner join customer_profile as p
    on p.customer_key = t.customer_key
left join tier_thresholds as d
    on t.revenue_365 >= d.band_min
    and t.revenue_365 < d.band_max
left join tier_thresholds as g
    on g.tier = p.given_tier
order by t.from_date > (select max(order_date) from paid_orders), t.to_date, t.from_date;

-- customer_state(as_of): one row per customer known on day as_of — a member
-- who had joined by then, or anyone with a paid order on or before it —
-- with METRICS.md "Customers and members" applied as of that day:
-- lifecycle stage (settings new_days / active_days / silent_days), the 365
-- days ending as_of (orders_365 = F, revenue_365 = M; recency_days = R),
-- and the tier: the members table's tier when that member's row gives one,
-- else derived from revenue_365 against tier_thresholds (a revenue below
-- the lowest threshold gets the lowest tier). The numbers as of as_of, the
-- derived tier among them, are read from customer_timeline: its one row
-- per known customer with from_date ≤ as_of < to_date.
create macro customer_state(as_of) as table
with lifecycle_days as (
    select
        (select cast(value as integer) from settings where key = 'new_days') as new_days,
        (select cast(value as integer) from settings where key = 'active_days') as active_days,
        (select cast(value as integer) from settings where key = 'silent_days') as silent_days
),

known as (
    select
        s.customer_key,
        s.customer_id,
        coalesce(s.joined_date <= cast(as_of as date), false) as is_member,
        case when s.joined_date <= cast(as_of as date) then s.joined_date end as joined_date,
        case when s.joined_date <= cast(as_of as date) then s.given_tier end as given_tier,
        case when s.joined_date <= cast(as_of as date) then s.points_balance end as points_balance,
        case when s.joined_date <= cast(as_of as date) then s.birthday end as birthday,
        case when s.last_order_date is not null then s.first_order_date end as first_order_date,
        s.last_order_date,
        s.orders_365,
        s.revenue_365,
        s.derived_tier
    from customer_timeline as s
    where s.from_date <= cast(as_of as date)
        and s.to_date > cast(as_of as date)
)

select
    k.customer_key,
    k.customer_id,
    k.is_member,
    k.joined_date,
    k.given_tier,
    k.points_balance,
    k.birthday,
    k.first_order_date,
    k.last_order_date,
    k.orders_365,
    k.revenue_365,
    date_diff('day', k.last_order_date, cast(as_of as date)) as recency_days,
    case
        when k.first_order_date is null then 'potential'
        when date_diff('day', k.first_order_date, cast(as_of as date)) < l.new_days then 'new'
        when date_diff('day', k.last_order_date, cast(as_of as date)) < l.active_days then 'active'
        when date_diff('day', k.last_order_date, cast(as_of as date)) < l.silent_days then 'silent'
        else 'churned'
    end as lifecycle,
    coalesce(k.given_tier, k.derived_tier) as tier,
    k.given_tier is not null as is_tier_given,
    k.derived_tier
from known as k
cross join lifecycle_days as l;

-- customer_rfm(as_of): one row per customer with a paid order in the 365
-- days ending as_of (METRICS.md RFM): R = recency_days, F = orders_365,
-- M = revenue_365, each high or low against the mean over these customers.
-- Ties at the mean count as high (R ≤ mean R; F, M ≥ mean). The comparisons
-- are made on sums (x · n against Σ x), exact in integers and decimals, so a
-- value equal to the mean is never lost to a floating-point rounding.
create macro customer_rfm(as_of) as table
with scored as (
    select *
    from customer_state(as_of)
    where orders_365 > 0
),

totals as (
    select
        count(*) as n,
        sum(recency_days) as sum_r,
        sum(orders_365) as sum_f,
        sum(revenue_365) as sum_m
    from scored
)

select
    s.*,
    s.recency_days * t.n <= t.sum_r as is_r_high,
    s.orders_365 * t.n >= t.sum_f as is_f_high,
    s.revenue_365 * t.n >= t.sum_m as is_m_high,
    (case when s.recency_days * t.n <= t.sum_r then 'H' else 'L' end)
    || (case when s.orders_365 * t.n >= t.sum_f then 'H' else 'L' end)
    || (case when s.revenue_365 * t.n >= t.sum_m then 'H' else 'L' end) as rfm_code
from scored as s
cross join totals as t;

-- customer_repeat: one row per customer with a paid order; the dates of
-- their first and second paid orders (by time, ties by order_id, as in
-- customers). For METRICS.md "90-day repurchase": second_order_date −
-- first_order_date ≤ 90 days. One group-by: the dates of the two smallest
-- (order_time, order_id).
-- refresh: customer_key in changed_customer_keys
-- refresh inputs: paid_orders
create table customer_repeat as
with firsts as (
    select
        customer_key,
        min_by(order_date, {'t': order_time, 'o': order_id}, 2) as dates
    from paid_orders
    group by customer_key
)
select
    customer_key,
    dates[1] as first_order_date,
    dates[2] as second_order_date
from firsts;

-- member_state(as_of): customer_state restricted to members — the members
-- table's rows when it has any, else every customer with a paid order (no
-- members file: each buyer counts as a member of a derived tier). The
-- "no members" flag is one row, crossed in, so it is evaluated once rather
-- than per customer.
create macro member_state(as_of) as table
select s.*
from customer_state(as_of) as s
cross join (select not exists (select 1 from members) as everyone) as f
where s.is_member or f.everyone;
