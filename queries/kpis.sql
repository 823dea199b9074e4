-- Question: the headline numbers for one period and set of filters.
-- Grain: one row.
-- Parameters: $start, $end (dates, inclusive); $channels (channel groups),
--   $platforms, $categories (lists; empty = all, values OR-ed).
-- METRICS.md: Sales; Traffic and funnel; Advertising. Ratios are NULL when
-- their denominator is 0 or missing. traffic and ad_spend have no category,
-- so the category filter does not apply to them (the page says so).
-- Without filters (the usual case) the numbers come from the pre-aggregated
-- tables of queries/_aggregates.sql: sums from sales_days, orders from
-- order_days, buyers and repeat buyers from customer_days, new customers
-- from customers — unless a paid order of the period spans cells (days,
-- channels, platforms, campaigns) or customers (multi_cell_orders), when
-- per-day distinct counts might not add up.
-- Otherwise (filters, or such an order) the order lines are read. Exactly
-- one of the two paths runs: the other's guard is false before any scan.
with fast as (
    select
        len($channels) = 0 and len($platforms) = 0 and len($categories) = 0
        and not exists (select 1 from multi_cell_orders where order_date between $start and $end) as ok
),

lines as (
    select *
    from order_lines
    where not (select ok from fast)
        and order_date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
        and in_filter($categories, category)
),

paid as (
    select * from lines where is_paid
),

buyer_orders as (
    select
        customer_id,
        count(distinct order_id) as orders
    from paid
    group by customer_id
),

slow_sales as (
    select
        (select coalesce(sum(line_gross), 0) from lines where status <> 'cancelled') as gmv,
        coalesce(sum(net_revenue), 0) as net_revenue,
        count(distinct order_id) as orders,
        count(distinct customer_id) as buyers,
        coalesce(sum(quantity), 0) as units,
        sum(line_refund) as refunds,
        sum(line_gross - discount) as paid_after_discount,
        -- A line's order is someone's first order only if that first order falls in the period:
        -- the semi-join builds on the period's first orders, not on every customer.
        count(distinct customer_id) filter (
            where order_id in (
                select first_order_id from customers
                where not (select ok from fast) and first_order_date between $start and $end
            )
        ) as new_customers,
        sum(net_revenue - line_cost) filter (where line_cost is not null) as costed_profit,
        coalesce(sum(net_revenue) filter (where line_cost is null), 0) as uncosted_revenue
        ,
        (select count(*) from buyer_orders where orders >= 2) as repeat_buyers
    from paid
),

day_sums as (
    select
        coalesce(sum(gmv), 0) as gmv,
        coalesce(sum(net_revenue), 0) as net_revenue,
        coalesce(sum(units), 0) as units,
        sum(refunds) as refunds,
        sum(paid_after_discount) as paid_after_discount,
        sum(costed_profit) as costed_profit,
        coalesce(sum(uncosted_revenue), 0) as uncosted_revenue
    from sales_days
    where (select ok from fast)
        and order_date between $start and $end
),

day_orders as (
    select
        cast(coalesce(sum(orders), 0) as bigint) as orders,
        cast(coalesce(sum(orders_without_customer), 0) as bigint) as orders_without_customer
    from order_days
    where (select ok from fast)
        and order_date between $start and $end
),

-- Each buyer's first day in the period has prev_date before $start; a buyer
-- has two orders in it when a second day follows (prev_date in the period,
-- prev2_date before it) or when their only day in it has two orders.
day_buyers as (
    select
        count(*) filter (where prev_date is null or prev_date < $start) as buyers,
        count(*) filter (
            where (prev_date >= $start and (prev2_date is null or prev2_date < $start))
            or (
                (prev_date is null or prev_date < $start)
                and (next_date is null or next_date > $end)
                and orders >= 2
            )
        ) as repeat_buyers
    from customer_days
    where (select ok from fast)
        and order_date between $start and $end
),

fast_sales as (
    select
        d.gmv,
        d.net_revenue,
        o.orders,
        b.buyers,
        d.units,
        d.refunds,
        d.paid_after_discount,
        (
            select count(customer_id) from customers
            where first_order_date between $start and $end
        ) as new_customers,
        d.costed_profit,
        d.uncosted_revenue,
        -- as in buyer_orders, the lines without a customer id are one group
        b.repeat_buyers + (case when o.orders_without_customer >= 2 then 1 else 0 end) as repeat_buyers
    from day_sums as d
    cross join day_orders as o
    cross join day_buyers as b
),

sales as (
    select * from fast_sales where (select ok from fast)
    union all
    select * from slow_sales where not (select ok from fast)
),

traffic as (
    select
        coalesce(sum(sessions), 0) as sessions,
        sum(bounces) as bounces,
        sum(sessions) filter (where bounces is not null) as sessions_with_bounces
    from traffic_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

ads as (
    select coalesce(sum(spend), 0) as ad_spend
    from ad_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

max_uncosted as (
    select cast(value as double) as share from settings where key = 'max_uncosted_share'
)

select
    s.gmv,
    s.net_revenue,
    s.orders,
    s.buyers,
    s.units,
    s.net_revenue / nullif(s.orders, 0) as aov,
    s.net_revenue / nullif(s.buyers, 0) as revenue_per_buyer,
    s.refunds / nullif(s.paid_after_discount, 0) as refund_rate,
    s.new_customers,
    s.buyers - s.new_customers as returning_customers,
    s.repeat_buyers / nullif(s.buyers, 0) as repurchase_rate,
    case
        when s.uncosted_revenue > (select share from max_uncosted) * s.net_revenue then null
        else coalesce(s.costed_profit, 0)
    end as gross_profit,
    t.sessions,
    t.bounces / nullif(t.sessions_with_bounces, 0) as bounce_rate,
    s.orders / nullif(t.sessions, 0) as conversion_rate,
    s.net_revenue / nullif(t.sessions, 0) as revenue_per_session,
    a.ad_spend,
    s.net_revenue / nullif(a.ad_spend, 0) as mer,
    a.ad_spend / nullif(s.new_customers, 0) as ncac
from sales as s
cross join traffic as t
cross join ads as a
