-- Question: how many members joined in the period, and does the members
-- file give tiers? (the weekly review's member lines; members_kpis holds the
-- same two numbers but also reads every member's state, which the review
-- does not show)
-- Grain: one row.
-- Parameters: $start, $end (dates, inclusive). Store-wide.
-- METRICS.md: Customers and members. new_members, as in members_kpis:
-- members who joined in the period (no members file: customers whose first
-- paid order is in the period). has_tiers: a members row gives a tier.
with members_file as (
    select
        count(*) > 0 as has_members,
        count(nullif(trim(tier), '')) > 0 as has_tiers
    from members
)

select
    case
        when f.has_members
            then (select count(*) from members where joined_date between $start and $end)
        else (select count(*) from customers where first_order_date between $start and $end)
    end as new_members,
    f.has_members,
    f.has_tiers
from members_file as f
