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
-- Read from customer_timeline (the rows customer_state reads): a member
-- whose row on $end began before $start had the same row on $start − 1, so
-- both tiers come from it, counted straight from the scan. So does, under
-- 'tier', a member whose tier on $end is the members file's: it is on every
-- row, and they held it on $start − 1 if they had joined by then (else
-- they were not a member yet). Only the other members whose row began in
-- the period are matched with their row on $start − 1.
with no_members_file as (
    select not exists (select 1 from members) as everyone
),

same_row as (
    -- member_state($end) of the members whose row on $end began before
    -- $start: the same row held on $start − 1, so both tiers come from it
    -- (counted straight from the scan, not kept as a table); under 'tier',
    -- also those whose tier on $end is the members file's (the same on
    -- $start − 1 when they were a member then). Counted by the given_tier /
    -- derived_tier columns and whether they were a member on $start − 1,
    -- not by tier names computed per row.
    select
        case when was_member then tier end as from_tier,
        tier as to_tier,
        members
    from (
        -- under 'tier', the members whose tier on $end is the members
        -- file's: it is on every row
        select
            s.given_tier as tier,
            s.joined_date <= cast($start as date) - 1 as was_member,
            count(*) as members
        from customer_timeline as s
        where $basis = 'tier'
            and s.from_date <= $end
            and s.to_date > $end
            and s.joined_date <= $end
            and s.given_tier is not null
        group by 1, 2
        union all
        -- the others with the same row on both days: the derived tier (a
        -- tier from the members file applies on neither day, or the basis
        -- is 'spend'); the members who had joined by $end (a filter the
        -- scan applies, not a per-row test of the no-members flag) …
        select
            s.derived_tier as tier,
            s.joined_date <= cast($start as date) - 1 as was_member,
            count(*) as members
        from customer_timeline as s
        where s.from_date <= $end
            and s.to_date > $end
            and s.from_date < $start
            and s.joined_date <= $end
            and not ($basis = 'tier' and s.given_tier is not null)
        group by 1, 2
        union all
        -- … and, when there is no members file, every customer (a member on
        -- both days)
        select
            s.derived_tier as tier,
            true as was_member,
            count(*) as members
        from customer_timeline as s
        cross join (select 1 as one where not exists (select 1 from members)) as f
        where s.from_date <= $end
            and s.to_date > $end
            and s.from_date < $start
            and (s.joined_date is null or s.joined_date > $end)
        group by 1, 2
    ) as g
),

after as (
    -- member_state($end) of the other members, whose row changed in the
    -- period
    select
        s.customer_key,
        case
            when $basis = 'spend' then s.derived_tier
            else coalesce(case when s.joined_date <= cast($end as date) then s.given_tier end, s.derived_tier)
        end as tier
    from customer_timeline as s
    cross join no_members_file as f
    where s.from_date <= $end
        and s.to_date > $end
        and s.from_date >= $start
        and not coalesce($basis = 'tier' and s.joined_date <= $end and s.given_tier is not null, false)
        and (s.joined_date <= $end or f.everyone)
),

before as (
    -- member_state($start − 1) of those members (a join: DuckDB then reads
    -- only their rows)
    select
        s.customer_key,
        case
            when $basis = 'spend' then s.derived_tier
            else coalesce(s.given_tier, s.derived_tier)
        end as tier
    from customer_timeline as s
    inner join after as a
        on a.customer_key = s.customer_key
    cross join no_members_file as f
    where s.from_date <= cast($start as date) - 1
        and s.to_date > cast($start as date) - 1
        and (s.joined_date <= cast($start as date) - 1 or f.everyone)
),

pairs as (
    select
        from_tier,
        to_tier,
        members
    from same_row
    union all
    select
        b.tier as from_tier,
        a.tier as to_tier,
        count(*) as members
    from after as a
    left join before as b
        on b.customer_key = a.customer_key
    group by b.tier, a.tier
),

moves as (
    select
        from_tier,
        to_tier,
        cast(sum(members) as bigint) as members
    from pairs
    group by from_tier, to_tier
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
