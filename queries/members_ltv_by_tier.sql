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
-- the lowest tier's customers and revenue are everyone's minus the others'
-- (exact: decimal sums and counts). Of the others, a member whose tier on D
-- is the members file's has it on every row (read straight from the
-- scan); only the order days of the rest (derived tiers above the lowest,
-- a few hundred thousand customers at 10M lines) are matched with their
-- tier on D. The tiers above the lowest are kept by given_rank /
-- derived_rank <> 1 (customer_timeline), a filter the scan applies; the
-- lowest tier's name is a scalar, not joined.
with lowest as (
    select tier
    from tier_thresholds
    where tier_rank = 1
),

cohort_sizes as (
    -- customer_state($as_of) of the customers with a paid order by D whose
    -- cohort is shown: how many per cohort month, whatever the tier
    select
        year(first_order_date) * 12 + month(first_order_date) as cohort_n,
        count(*) as customers
    from customer_timeline
    where from_date <= $as_of
        and to_date > $as_of
        and last_order_date is not null
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
    group by 1
),

given_sizes as (
    -- those whose tier on D is the members file's and not the lowest
    -- (given_rank 0: a tier the settings do not know)
    select
        given_tier as tier,
        year(first_order_date) * 12 + month(first_order_date) as cohort_n,
        count(*) as customers
    from customer_timeline
    where from_date <= $as_of
        and to_date > $as_of
        and last_order_date is not null
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
        and joined_date <= $as_of
        and given_rank <> 1
    group by 1, 2
),

derived_others as (
    -- those without a tier from the members file on D whose derived tier
    -- is not the lowest (a NULL tier is one of them)
    select
        customer_key,
        year(first_order_date) * 12 + month(first_order_date) as cohort_n,
        derived_tier as tier
    from customer_timeline
    where from_date <= $as_of
        and to_date > $as_of
        and last_order_date is not null
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
        and (joined_date is null or joined_date > $as_of or given_tier is null)
        and (derived_rank <> 1 or derived_rank is null)
),

others_sizes as (
    -- the customers outside the lowest tier, per tier and cohort month
    select
        tier,
        cohort_n,
        sum(customers) as customers
    from (
        select tier, cohort_n, customers
        from given_sizes
        union all
        select tier, cohort_n, count(*) as customers
        from derived_others
        group by tier, cohort_n
    ) as u
    group by tier, cohort_n
),

sizes as (
    -- per tier and cohort month; the lowest tier's customers are
    -- everyone's minus the others'
    select tier, cohort_n, customers
    from others_sizes
    union all
    select
        l.tier,
        a.cohort_n,
        a.customers - coalesce(o.customers, 0) as customers
    from cohort_sizes as a
    cross join lowest as l
    left join (
        select cohort_n, sum(customers) as customers
        from others_sizes
        group by cohort_n
    ) as o
        on o.cohort_n = a.cohort_n
    where a.customers - coalesce(o.customers, 0) > 0
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
    -- the members whose tier on D is the members file's and not the
    -- lowest: that tier is on each of their rows
    select
        given_tier as tier,
        year(first_order_date) * 12 + month(first_order_date) as cohort_n,
        year(from_date) * 12 + month(from_date) - (year(first_order_date) * 12 + month(first_order_date)) as month_index,
        sum(day_revenue) as net_revenue
    from customer_timeline
    where day_orders > 0
        and from_date <= $as_of
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
        and joined_date <= $as_of
        and given_rank <> 1
    group by 1, 2, 3
    union all
    -- the others: matched with their tier on D
    select
        c.tier,
        c.cohort_n,
        year(o.from_date) * 12 + month(o.from_date) - c.cohort_n as month_index,
        sum(o.day_revenue) as net_revenue
    from customer_timeline as o
    inner join derived_others as c
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
