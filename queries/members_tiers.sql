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
-- period. The lowest tier's buyers, orders and revenue are everyone's minus
-- those of the buyers outside it. Of those, a member whose tier is the
-- members file's has it on each order-day row; only the others (derived
-- tiers above the lowest, a few hundred thousand at 10M lines) are matched
-- with the period's order-day rows. Tiers are counted by the given_tier
-- and derived_tier columns, not by a tier computed per row; the tiers above
-- the lowest are kept by given_rank / derived_rank <> 1, a filter the scan
-- applies.
with no_members_file as (
    select not exists (select 1 from members) as everyone
),

members_by_tier as (
    -- customer_state($end) by tier: the members member_state counts. The
    -- tier is the members file's where it gives one to a member who had
    -- joined by $end, else derived: each counted by its own column
    select
        tier,
        cast(sum(members) as bigint) as members
    from (
        select
            s.given_tier as tier,
            count(*) as members
        from customer_timeline as s
        where s.from_date <= $end
            and s.to_date > $end
            and s.joined_date <= $end
            and s.given_tier is not null
        group by s.given_tier
        union all
        select
            s.derived_tier as tier,
            count(*) filter (where coalesce(s.joined_date <= cast($end as date), false) or f.everyone) as members
        from customer_timeline as s
        cross join no_members_file as f
        where s.from_date <= $end
            and s.to_date > $end
            and (s.joined_date is null or s.joined_date > $end or s.given_tier is null)
        group by s.derived_tier
    ) as u
    group by tier
),

lowest as (
    select tier
    from tier_thresholds
    where tier_rank = 1
),

period_sales as (
    -- every buyer of the period, whatever the tier (as in members_kpis)
    select
        count(*) filter (where prev_order_date is null or prev_order_date < $start) as buyers,
        sum(day_orders) as orders,
        sum(day_revenue) as net_revenue,
        count(*) filter (
            where (prev_order_date is null or prev_order_date < $start)
                and (day_orders >= 2 or next_order_date <= $end)
        ) as repeat_buyers
    from customer_timeline
    where day_orders > 0
        and from_date between $start and $end
),

derived_others as (
    -- the buyers' rows on $end without a tier from the members file whose
    -- derived tier is not the lowest (a NULL tier is one of them): a buyer
    -- of the period has an order-day row in it, so their row on $end began
    -- in the period
    select
        customer_key,
        derived_tier as tier
    from customer_timeline
    where from_date <= $end
        and to_date > $end
        and from_date >= $start
        and (joined_date is null or joined_date > $end or given_tier is null)
        and (derived_rank <> 1 or derived_rank is null)
),

others_sales as (
    -- the period's order-day rows of the buyers outside the lowest tier on
    -- $end, by that tier: a buyer's first one has no earlier order day in
    -- the period, and the buyer bought again in it when that day has two
    -- orders or the next order day is in it. A member whose tier is the
    -- members file's has it on every row (no match needed); the others
    -- are matched with their row on $end
    select
        tier,
        count(*) filter (where prev_order_date is null or prev_order_date < $start) as buyers,
        sum(day_orders) as orders,
        sum(day_revenue) as net_revenue,
        count(*) filter (
            where (prev_order_date is null or prev_order_date < $start)
                and (day_orders >= 2 or next_order_date <= $end)
        ) as repeat_buyers
    from (
        select o.given_tier as tier, o.prev_order_date, o.next_order_date, o.day_orders, o.day_revenue
        from customer_timeline as o
        where o.day_orders > 0
            and o.from_date between $start and $end
            and o.joined_date <= $end
            and o.given_rank <> 1
        union all
        select s.tier, o.prev_order_date, o.next_order_date, o.day_orders, o.day_revenue
        from customer_timeline as o
        inner join derived_others as s
            on s.customer_key = o.customer_key
        where o.day_orders > 0
            and o.from_date between $start and $end
    ) as u
    group by tier
),

buyers_by_tier as (
    -- the lowest tier's buyers are everyone's minus the others' (exact:
    -- counts and decimal sums)
    select
        tier,
        buyers,
        orders,
        net_revenue,
        repeat_buyers
    from others_sales
    union all
    select
        l.tier,
        cast(p.buyers - coalesce(o.buyers, 0) as bigint) as buyers,
        p.orders - coalesce(o.orders, 0) as orders,
        p.net_revenue - coalesce(o.net_revenue, 0) as net_revenue,
        cast(p.repeat_buyers - coalesce(o.repeat_buyers, 0) as bigint) as repeat_buyers
    from period_sales as p
    cross join lowest as l
    cross join (
        select
            sum(buyers) as buyers,
            sum(orders) as orders,
            sum(net_revenue) as net_revenue,
            sum(repeat_buyers) as repeat_buyers
        from others_sales
    ) as o
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
