-- Question: the member cards for one period: how many members, how many are
-- active, how many joined, how many buyers came back, how many first-time
-- buyers came back within 90 days, how much revenue returning customers
-- bring, and the points members hold.
-- Grain: one row.
-- Parameters: $start, $end (dates, inclusive; D = $end). Store-wide: the
--   channel, platform and category filters do not apply.
-- METRICS.md: Customers and members; Sales (repurchase rate, new customers).
-- members: member_state as of D. active_members: members with a paid order
-- in the last active_days (lifecycle new or active). new_members: members
-- who joined in the period (no members file: customers whose first paid
-- order is in the period). repurchase_90d: customers whose first paid order
-- was 90–179 days before D — the latest 90 days of first-time buyers whose
-- 90-day window has closed — with a second paid order ≤ 90 days after it.
-- returning_revenue_share: net revenue of buyers whose first paid order is
-- before $start ÷ net revenue. points_balance: Σ points_balance of members,
-- NULL when no member row has one.
with members_file as (
    select
        count(*) > 0 as has_members,
        count(points_balance) > 0 as has_points,
        count(birthday) > 0 as has_birthdays,
        count(nullif(trim(tier), '')) > 0 as has_tiers
    from members
),

state as (
    -- member_state($end), counted in one pass over customer_timeline's rows
    -- on D (a second one only when there is no members file); lifecycle new or active (customer_state) is a paid order by D
    -- with first_order_date > D − new_days or last_order_date > D −
    -- active_days, compared as dates rather than a stage per member
    select
        count(*) as members,
        count(*) filter (
            where s.last_order_date is not null
                and (s.first_order_date > l.new_after or s.last_order_date > l.active_after)
        ) as active_members,
        sum(case when s.joined_date <= cast($end as date) then s.points_balance end) as points_balance
    from (
        -- the members who had joined by D, and (no members file) everyone
        -- else: a filter the scan applies, not a per-row test of the flag
        select joined_date, last_order_date, first_order_date, points_balance
        from customer_timeline
        where from_date <= $end
            and to_date > $end
            and joined_date <= $end
        union all
        select s.joined_date, s.last_order_date, s.first_order_date, s.points_balance
        from customer_timeline as s
        cross join (select 1 as one where not exists (select 1 from members)) as f
        where s.from_date <= $end
            and s.to_date > $end
            and (s.joined_date is null or s.joined_date > $end)
    ) as s
    cross join (
        select
            cast($end as date) - (select cast(value as integer) from settings where key = 'new_days') as new_after,
            cast($end as date) - (select cast(value as integer) from settings where key = 'active_days') as active_after
    ) as l
),

period_sales as (
    -- customer_timeline's order-day rows in the period: a buyer's first one
    -- has no earlier order day in the period, and the buyer bought again in
    -- it when that day has two orders or the next order day is in it.
    select
        count(*) filter (where prev_order_date is null or prev_order_date < $start) as buyers,
        count(*) filter (
            where (prev_order_date is null or prev_order_date < $start)
                and (day_orders >= 2 or next_order_date <= $end)
        ) as repeat_buyers,
        sum(day_revenue) as net_revenue,
        coalesce(sum(day_revenue) filter (where first_order_date < $start), 0) as returning_revenue
    from customer_timeline
    where day_orders > 0
        and from_date between $start and $end
),

recent_first_buyers as (
    select
        count(*) as customers,
        count(*) filter (where second_order_date <= first_order_date + 90) as repurchased
    from customer_repeat
    where first_order_date between cast($end as date) - 179 and cast($end as date) - 90
)

select
    (select members from state) as members,
    (select active_members from state) as active_members,
    case
        when (select has_members from members_file)
            then (select count(*) from members where joined_date between $start and $end)
        else (select count(*) from customers where first_order_date between $start and $end)
    end as new_members,
    s.repeat_buyers / nullif(s.buyers, 0) as repurchase_rate,
    r.repurchased / nullif(r.customers, 0) as repurchase_90d,
    r.customers as repurchase_90d_customers,
    s.returning_revenue / nullif(s.net_revenue, 0) as returning_revenue_share,
    case
        when (select has_points from members_file) then (select points_balance from state)
    end as points_balance,
    (select has_members from members_file) as has_members,
    (select has_birthdays from members_file) as has_birthdays,
    (select has_tiers from members_file) as has_tiers
from period_sales as s
cross join recent_first_buyers as r
