-- Question: how big is each tier, and how do its members buy in the period?
-- Grain: one row per tier held by a member on D (highest tier first; tiers
--   the settings do not know come last, by name).
-- Parameters: $start, $end (dates, inclusive; D = $end). Store-wide.
-- METRICS.md: Customers and members (tier as of D); Sales (AOV, repurchase
-- rate) over the period. buyers: customers of the tier with a paid order in
-- the period (non-members too when a members file exists: they hold a
-- derived tier). revenue_share: the tier's share of the period's net revenue.
with state as (
    select
        customer_key,
        tier,
        is_member or not exists (select 1 from members) as is_counted_member
    from customer_state($end)
),

period_buyers as (
    select
        customer_key,
        count(*) as orders,
        sum(net_revenue) as net_revenue
    from paid_orders
    where order_date between $start and $end
    group by customer_key
),

by_tier as (
    select
        s.tier,
        count(*) filter (where s.is_counted_member) as members,
        count(b.customer_key) as buyers,
        coalesce(sum(b.orders), 0) as orders,
        coalesce(sum(b.net_revenue), 0) as net_revenue,
        count(*) filter (where b.orders >= 2) as repeat_buyers
    from state as s
    left join period_buyers as b
        on b.customer_key = s.customer_key
    group by s.tier
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
