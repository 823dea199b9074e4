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
-- Read from customer_timeline without joining every paid order with the
-- tier: months are counted as year × 12 + month (cohort_n, month_index);
-- only the order days of customers outside the lowest tier (a few hundred
-- thousand at 10M lines) are matched with their tier, and the lowest tier's
-- revenue is everyone's minus theirs (exact: decimal sums and counts).
with lowest as (
    select tier
    from tier_thresholds
    where tier_rank = 1
),

state as (
    -- customer_state($as_of) of the customers with a paid order by D whose
    -- cohort is shown: their tier and cohort month
    select
        customer_key,
        year(first_order_date) * 12 + month(first_order_date) as cohort_n,
        coalesce(case when joined_date <= cast($as_of as date) then given_tier end, derived_tier) as tier
    from customer_timeline
    where from_date <= $as_of
        and to_date > $as_of
        and last_order_date is not null
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
),

sizes as (
    select
        tier,
        cohort_n,
        count(*) as customers
    from state
    group by tier, cohort_n
),

others as (
    -- the customers not in the lowest tier on D (a NULL tier is one of them)
    select
        s.customer_key,
        s.cohort_n,
        s.tier
    from state as s
    left join lowest as l
        on l.tier = s.tier
    where l.tier is null
),

all_monthly as (
    -- everyone's net revenue per cohort × month_index (order-day rows)
    select
        year(first_order_date) * 12 + month(first_order_date) as cohort_n,
        year(from_date) * 12 + month(from_date) - (year(first_order_date) * 12 + month(first_order_date)) as month_index,
        sum(day_revenue) as net_revenue
    from customer_timeline
    where day_orders > 0
        and from_date <= $as_of
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
    group by 1, 2
),

others_monthly as (
    select
        c.tier,
        c.cohort_n,
        year(o.from_date) * 12 + month(o.from_date) - c.cohort_n as month_index,
        sum(o.day_revenue) as net_revenue
    from customer_timeline as o
    inner join others as c
        on c.customer_key = o.customer_key
    where o.day_orders > 0
        and o.from_date <= $as_of
    group by 1, 2, 3
),

monthly as (
    -- per tier: the others' own revenue; the lowest tier's is everyone's
    -- minus the others'
    select
        tier,
        cohort_n,
        month_index,
        sum(net_revenue) as net_revenue
    from (
        select tier, cohort_n, month_index, net_revenue
        from others_monthly
        union all
        select l.tier, a.cohort_n, a.month_index, a.net_revenue
        from all_monthly as a
        cross join lowest as l
        union all
        select l.tier, o.cohort_n, o.month_index, -o.net_revenue
        from others_monthly as o
        cross join lowest as l
    ) as u
    group by tier, cohort_n, month_index
),

grid as (
    select
        s.tier,
        s.cohort_n,
        s.customers,
        cast(k.month_index as integer) as month_index
    from sizes as s,
        range(0, year(cast($as_of as date)) * 12 + month(cast($as_of as date)) - s.cohort_n + 1) as k(month_index)
),

cumulative as (
    select
        g.tier,
        g.month_index,
        g.customers,
        sum(coalesce(m.net_revenue, 0)) over (
            partition by g.tier, g.cohort_n order by g.month_index
        ) as cumulative_revenue
    from grid as g
    left join monthly as m
        on m.tier = g.tier
        and m.cohort_n = g.cohort_n
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
