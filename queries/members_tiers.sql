-- Question: how big is each tier, and how do its members buy in the period?
-- Grain: one row per tier held by a member on D (highest tier first; tiers
--   the settings do not know come last, by name).
-- Parameters: $start, $end (dates, inclusive; D = $end). Store-wide.
-- METRICS.md: Customers and members (tier as of D); Sales (AOV, repurchase
-- rate) over the period. buyers: customers of the tier with a paid order in
-- the period (non-members too when a members file exists: they hold a
-- derived tier). revenue_share: the tier's share of the period's net revenue.
-- Read from customer_timeline (the rows customer_state reads): a buyer of
-- the period has an order-day row in it, so their row on $end began in the
-- period; only those rows are matched with the period's order-day rows.
with no_members_file as (
    select not exists (select 1 from members) as everyone
),

state as (
    -- customer_state($end): the tier, and whether member_state counts them
    select
        s.customer_key,
        s.from_date,
        coalesce(case when s.joined_date <= cast($end as date) then s.given_tier end, s.derived_tier) as tier,
        coalesce(s.joined_date <= cast($end as date), false) or f.everyone as is_counted_member
    from customer_timeline as s
    cross join no_members_file as f
    where s.from_date <= $end
        and s.to_date > $end
),

members_by_tier as (
    select
        tier,
        count(*) filter (where is_counted_member) as members
    from state
    group by tier
),

buyers_by_tier as (
    -- the period's order-day rows with their customer's tier on $end: a
    -- buyer's first one has no earlier order day in the period, and the
    -- buyer bought again in it when that day has two orders or the next
    -- order day is in it (as in members_kpis)
    select
        s.tier,
        count(*) filter (where o.prev_order_date is null or o.prev_order_date < $start) as buyers,
        sum(o.day_orders) as orders,
        sum(o.day_revenue) as net_revenue,
        count(*) filter (
            where (o.prev_order_date is null or o.prev_order_date < $start)
                and (o.day_orders >= 2 or o.next_order_date <= $end)
        ) as repeat_buyers
    from customer_timeline as o
    inner join state as s
        on s.customer_key = o.customer_key
        and s.from_date >= $start
    where o.day_orders > 0
        and o.from_date between $start and $end
    group by s.tier
),

by_tier as (
    -- every tier of members_by_tier (buyers hold one of them); a NULL tier
    -- (no threshold fits) is matched to NULL
    select
        m.tier,
        m.members,
        coalesce(b.buyers, 0) as buyers,
        coalesce(b.orders, 0) as orders,
        coalesce(b.net_revenue, 0) as net_revenue,
        coalesce(b.repeat_buyers, 0) as repeat_buyers
    from members_by_tier as m
    left join buyers_by_tier as b
        on b.tier = m.tier
        or (b.tier is null and m.tier is null)
)

select
    b.tier,
    t.tier_rank,
    b.members,
    b.buyers,
    b.orders,
    b.net_revenue,
    b.net_revenue / nullif(sum(b.net_revenue) over (), 0) as revenue_share,
    b.net_revenue / nullif(b.orders, 0) as aov,
    b.orders / nullif(b.buyers, 0) as orders_per_buyer,
    b.repeat_buyers / nullif(b.buyers, 0) as repurchase_rate
from by_tier as b
left join tier_thresholds as t
    on t.tier = b.tier
where b.members > 0 or b.buyers > 0
order by t.tier_rank desc nulls last, b.tier
