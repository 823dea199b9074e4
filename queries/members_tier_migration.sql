-- Question: how did members move between tiers from the day before the
-- period to its last day: upgrades, downgrades, and new members?
-- Grain: one row per (from_tier, to_tier) pair with members.
-- Parameters: $start, $end (dates; tiers as of $start − 1 day and as of $end);
--   $basis: 'tier' (METRICS.md: the members file's tier when given, else
--   derived) or 'spend' (every tier derived from 365-day net revenue — the
--   only tier with a history when the members file holds today's tiers).
-- METRICS.md: Customers and members (tier migration). from_tier is NULL for
-- a member who was not one yet on $start − 1 (movement 'new'). movement:
-- up / down / same by the settings' tier order; 'changed' between tiers the
-- settings do not rank. A tier from the members file is a snapshot: such a
-- member keeps it on both days under 'tier'.
with before as (
    select
        customer_key,
        case when $basis = 'spend' then derived_tier else tier end as tier
    from member_state(cast($start as date) - 1)
),

after as (
    select
        customer_key,
        case when $basis = 'spend' then derived_tier else tier end as tier
    from member_state($end)
),

moves as (
    select
        b.tier as from_tier,
        a.tier as to_tier,
        count(*) as members
    from after as a
    left join before as b
        on b.customer_key = a.customer_key
    group by b.tier, a.tier
)

select
    m.from_tier,
    m.to_tier,
    f.tier_rank as from_rank,
    t.tier_rank as to_rank,
    m.members,
    case
        when m.from_tier is null then 'new'
        when m.from_tier = m.to_tier then 'same'
        when f.tier_rank is null or t.tier_rank is null then 'changed'
        when t.tier_rank > f.tier_rank then 'up'
        else 'down'
    end as movement
from moves as m
left join tier_thresholds as f
    on f.tier = m.from_tier
left join tier_thresholds as t
    on t.tier = m.to_tier
order by f.tier_rank desc nulls last, m.from_tier, t.tier_rank desc nulls last, m.to_tier
