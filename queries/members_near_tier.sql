-- Question: which members are close to the next tier — a list a CRM team can
-- nudge with an offer?
-- Grain: one row per member whose net revenue in the 365 days ending $as_of
--   is within $within (a fraction, 0.1 = 10%) below the next tier's threshold.
-- Parameters: $as_of (date, D); $within (fraction of the next threshold).
-- METRICS.md: Customers and members (tier, thresholds in settings). The next
-- tier is the one ranked right above the member's tier; members whose tier
-- the settings do not know, or who hold the top tier, have none.
-- Read from customer_timeline's rows on D (the rows customer_state reads):
-- only the rows whose revenue_365 lies in the span of the bands below a
-- threshold are kept from the scan; the tier and lifecycle stage (as
-- customer_state defines them) are computed for those only.
with lifecycle_days as (
    select
        (select cast(value as integer) from settings where key = 'new_days') as new_days,
        (select cast(value as integer) from settings where key = 'active_days') as active_days,
        (select cast(value as integer) from settings where key = 'silent_days') as silent_days
),

bands as (
    -- each tier with a next one, and that tier's threshold
    select
        t.tier,
        n.tier as next_tier,
        n.min_revenue as next_threshold
    from tier_thresholds as t
    inner join tier_thresholds as n
        on n.tier_rank = t.tier_rank + 1
),

span as (
    -- the revenue any near member has: from the lowest band's bottom to
    -- the highest threshold
    select
        min((1 - $within) * next_threshold) as low,
        max(next_threshold) as high
    from bands
),

candidates as (
    -- member_state($as_of) of the customers in the span: the members who
    -- had joined by D (a filter the scan applies) and, when there is no
    -- members file, everyone else
    select
        s.customer_key,
        coalesce(case when s.joined_date <= cast($as_of as date) then s.given_tier end, s.derived_tier) as tier,
        s.revenue_365,
        s.first_order_date,
        s.last_order_date
    from (
        select customer_key, joined_date, given_tier, derived_tier, revenue_365, first_order_date, last_order_date
        from customer_timeline
        where from_date <= $as_of
            and to_date > $as_of
            and joined_date <= $as_of
        union all
        select
            s.customer_key,
            s.joined_date,
            s.given_tier,
            s.derived_tier,
            s.revenue_365,
            s.first_order_date,
            s.last_order_date
        from customer_timeline as s
        cross join (select 1 as one where not exists (select 1 from members)) as f
        where s.from_date <= $as_of
            and s.to_date > $as_of
            and (s.joined_date is null or s.joined_date > $as_of)
    ) as s
    cross join span as b
    where s.revenue_365 >= b.low
        and s.revenue_365 < b.high
),

near as (
    -- the members near the next tier, without their customer_id (a text
    -- column read for every customer would cost more than the rest)
    select
        s.customer_key,
        s.tier,
        b.next_tier,
        s.revenue_365,
        b.next_threshold,
        b.next_threshold - s.revenue_365 as revenue_to_next,
        s.last_order_date,
        case
            when s.last_order_date is null then 'potential'
            when date_diff('day', s.first_order_date, cast($as_of as date)) < l.new_days then 'new'
            when date_diff('day', s.last_order_date, cast($as_of as date)) < l.active_days then 'active'
            when date_diff('day', s.last_order_date, cast($as_of as date)) < l.silent_days then 'silent'
            else 'churned'
        end as lifecycle
    from candidates as s
    inner join bands as b
        on b.tier = s.tier
    cross join lifecycle_days as l
    where s.revenue_365 >= (1 - $within) * b.next_threshold
        and s.revenue_365 < b.next_threshold
)

select
    p.customer_id,
    s.tier,
    s.next_tier,
    s.revenue_365,
    s.next_threshold,
    s.revenue_to_next,
    s.last_order_date,
    s.lifecycle
from near as s
inner join customer_profile as p
    on p.customer_key = s.customer_key
order by s.revenue_to_next, p.customer_id
