-- Question: how much net revenue does a customer of each tier bring in the
-- months after their first order?
-- Grain: one row per tier × month_index (0 = month of the first paid order).
-- Parameters: $as_of (date, D: tiers as of D, orders after it not seen);
--   $months (int: customers whose first paid order is in the $months months
--   ending with the month of D).
-- METRICS.md: Customers and members (LTV(k), tier). LTV(k) of a tier =
-- cumulative net revenue through month k ÷ customers, over the customers
-- whose cohort has reached month k by D (so a curve does not sag where young
-- cohorts have no data yet).
with cohorts as (
    select
        customer_key,
        cast(date_trunc('month', first_order_date) as date) as cohort_month,
        tier
    from customer_state($as_of)
    where first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
),

sizes as (
    select
        tier,
        cohort_month,
        count(*) as customers
    from cohorts
    group by tier, cohort_month
),

grid as (
    select
        s.tier,
        s.cohort_month,
        s.customers,
        cast(k.month_index as integer) as month_index
    from sizes as s,
        range(0, date_diff('month', s.cohort_month, cast($as_of as date)) + 1) as k(month_index)
),

monthly as (
    select
        c.tier,
        c.cohort_month,
        date_diff('month', c.cohort_month, o.order_date) as month_index,
        sum(o.net_revenue) as net_revenue
    from paid_orders as o
    inner join cohorts as c
        on c.customer_key = o.customer_key
    where o.order_date <= $as_of
    group by c.tier, c.cohort_month, date_diff('month', c.cohort_month, o.order_date)
),

cumulative as (
    select
        g.tier,
        g.month_index,
        g.customers,
        sum(coalesce(m.net_revenue, 0)) over (
            partition by g.tier, g.cohort_month order by g.month_index
        ) as cumulative_revenue
    from grid as g
    left join monthly as m
        on m.tier = g.tier
        and m.cohort_month = g.cohort_month
        and m.month_index = g.month_index
)

select
    c.tier,
    t.tier_rank,
    c.month_index,
    sum(c.customers) as customers,
    sum(c.cumulative_revenue) / sum(c.customers) as ltv
from cumulative as c
left join tier_thresholds as t
    on t.tier = c.tier
group by c.tier, t.tier_rank, c.month_index
order by t.tier_rank desc nulls last, c.tier, c.month_index
