-- Pre-aggregated tables, built at ingest after queries/_model.sql, so that a
-- page reads thousands of rows where it would scan millions of order lines.
--
-- Incremental refresh: a table whose comment block has a line
--     refresh: <column> in <changed_set>
-- (e.g. "refresh: order_date in changed_days") is kept up to date after a
-- small change by deleting its rows whose <column> is in the temporary table
-- <changed_set> and inserting the statement's rows restricted the same way;
-- every other table here is rebuilt whole on each ingest (keep those small).
-- "refresh inputs: t" says the statement's rows for the changed set come
-- from t's rows for it alone (a group-by on the column), so t is restricted
-- before the statement runs; "t by c" takes every row of each c value that
-- has a row in the changed set (all lines of an order touching a changed day);
-- "t of c in u.d" takes t's rows whose c is among the d of u's rows (u
-- restricted first: the lines of the changed customers' first orders).

-- sales_days: one row per order day × channel × platform × category with
-- the additive sales numbers of METRICS.md "Sales" (sums are exact in
-- decimals, so any set of rows adds up to what the order lines give):
-- gmv over lines not cancelled, the rest over paid lines. Distinct counts
-- (orders, buyers) cannot be added across rows; they come from order_days
-- and customer_days.
-- refresh: order_date in changed_days
-- refresh inputs: order_lines
create table sales_days as
select
    order_date,
    channel,
    platform,
    category,
    coalesce(sum(line_gross) filter (where status <> 'cancelled'), 0) as gmv,
    coalesce(sum(net_revenue) filter (where is_paid), 0) as net_revenue,
    coalesce(sum(quantity) filter (where is_paid), 0) as units,
    sum(line_refund) filter (where is_paid) as refunds,
    sum(line_gross - discount) filter (where is_paid) as paid_after_discount,
    sum(net_revenue - line_cost) filter (where is_paid and line_cost is not null) as costed_profit,
    coalesce(sum(net_revenue) filter (where is_paid and line_cost is null), 0) as uncosted_revenue,
    count(*) filter (where is_paid) as paid_lines
from order_lines
where order_date is not null
group by order_date, channel, platform, category
order by order_date;

-- order_days: one row per day with a paid line: the distinct orders with a
-- paid line that day (all of them, and those without a customer id). The
-- orders of a period are the sum over its days unless an order has paid
-- lines on two days of it (multi_cell_orders says when).
-- refresh: order_date in changed_days
-- refresh inputs: order_lines
create table order_days as
select
    order_date,
    count(distinct order_id) as orders,
    count(distinct order_id) filter (where customer_id is null) as orders_without_customer
from order_lines
where is_paid
    and order_date is not null
group by order_date
order by order_date;

-- order_cells: one row per day × channel as written × channel group ×
-- platform × campaign with a paid line: the distinct orders with a paid
-- line in that cell, their net revenue, and its costed / uncosted parts. The orders of any set of cells are the sum of
-- their counts unless an order has paid lines in two cells of the set
-- (multi_cell_orders says when).
-- refresh: order_date in changed_days
-- refresh inputs: order_lines
create table order_cells as
select
    order_date,
    channel_raw,
    channel,
    platform,
    campaign,
    count(distinct order_id) as orders,
    sum(net_revenue) as net_revenue,
    sum(net_revenue - line_cost) filter (where line_cost is not null) as costed_profit,
    coalesce(sum(net_revenue) filter (where line_cost is null), 0) as uncosted_revenue
from order_lines
where is_paid
    and order_date is not null
group by order_date, channel_raw, channel, platform, campaign
order by order_date;

-- multi_cell_orders: one row per order × day for the (rare) paid orders
-- whose paid lines fall in more than one cell of order_cells (several days,
-- channels, platforms or campaigns) or belong to several customers. Queries that add per-cell or per-day distinct
-- counts take their exact path when none of these rows falls in the period.
-- An order's rows depend on its own lines alone: refreshed per changed order.
-- refresh: order_id in changed_orders
-- refresh inputs: order_lines
create table multi_cell_orders as
with spans as (
    select order_id
    from order_lines
    where is_paid
        and order_date is not null
    group by order_id
    having count(distinct (order_date, channel_raw, channel, platform, campaign)) > 1
        or count(distinct customer_id) > 1
)
select distinct
    l.order_date,
    l.order_id
from order_lines as l
semi join spans as s
    on s.order_id = l.order_id
where l.is_paid;

-- first_order_cells: one row per customer × cell (day, channel, platform,
-- campaign) of the paid lines of their first paid order (customers). When
-- no order spans cells (multi_cell_orders), that is one row per customer,
-- and the new customers of a campaign are a count of these rows. A
-- customer's rows change only when their first paid order does: another
-- order, or its lines (changed_first_orders).
-- refresh: customer_id in changed_first_orders
-- refresh inputs: customers, order_lines of order_id in customers.first_order_id
create table first_order_cells as
select distinct
    c.customer_id,
    l.order_date,
    l.channel,
    l.platform,
    l.campaign
from customers as c
inner join order_lines as l
    on l.order_id = c.first_order_id
where l.is_paid
    and c.customer_id is not null
-- by channel first: the campaign drill-down asks for one channel's rows
order by l.channel, l.order_date;

-- customer_days: one row per customer (with an id) × day with a paid line:
-- the distinct orders with a paid line that day, and the customer's
-- previous two and next such days. The buyers of a period [s, e] are the
-- rows in it whose prev_date is before s (each buyer's first day in the
-- period) — a count, not a count(distinct) over millions of rows.
-- customer_key: the customer's key in customer_profile (every customer with
-- a paid line has a row there), so that storeops/ingest.py finds a changed
-- customer's rows by an integer rather than by the text id.
-- After a new week (orders only added), storeops/ingest.py _append_customer_days
-- builds the changed customers' rows from their rows here and the added lines
-- (the same days, counts and windows): a change here goes there too.
-- refresh: customer_id in changed_customers
-- refresh inputs: order_lines, customer_profile
create table customer_days as
with days as (
    select
        customer_id,
        order_date,
        count(distinct order_id) as orders
    from order_lines
    where is_paid
        and customer_id is not null
        and order_date is not null
    group by customer_id, order_date
),

neighbours as (
    select
        order_date,
        customer_id,
        orders,
        lag(order_date) over w as prev_date,
        lag(order_date, 2) over w as prev2_date,
        lead(order_date) over w as next_date
    from days
    window w as (partition by customer_id order by order_date)
)

select
    n.order_date,
    n.customer_id,
    n.orders,
    n.prev_date,
    n.prev2_date,
    n.next_date,
    p.customer_key
from neighbours as n
left join customer_profile as p
    on p.customer_id = n.customer_id
order by n.order_date;

-- sku_days: one row per day × SKU with a paid line: units sold and their
-- net revenue (the inventory pages' demand, prices and history; the weekly
-- review's SKUs), and the greatest product_name on those lines.
-- refresh: order_date in changed_days
-- refresh inputs: order_lines
create table sku_days as
select
    order_date,
    sku,
    sum(quantity) as units,
    sum(net_revenue) as net_revenue,
    max(product_name) as product_name
from order_lines
where is_paid
    and order_date is not null
group by order_date, sku
order by order_date;
