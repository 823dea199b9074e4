-- Question: which members are close to the next tier — a list a CRM team can
-- nudge with an offer?
-- Grain: one row per member whose net revenue in the 365 days ending $as_of
--   is within $within (a fraction, 0.1 = 10%) below the next tier's threshold.
-- Parameters: $as_of (date, D); $within (fraction of the next threshold).
-- METRICS.md: Customers and members (tier, thresholds in settings). The next
-- tier is the one ranked right above the member's tier; members whose tier
-- the settings do not know, or who hold the top tier, have none.
with near as (
    -- the members near the next tier, without their customer_id (a text
    -- column read for every customer would cost more than the rest)
    select
        s.customer_key,
        s.tier,
        n.tier as next_tier,
        s.revenue_365,
        n.min_revenue as next_threshold,
        n.min_revenue - s.revenue_365 as revenue_to_next,
        s.last_order_date,
        s.lifecycle
    from member_state($as_of) as s
    inner join tier_thresholds as t
        on t.tier = s.tier
    inner join tier_thresholds as n
        on n.tier_rank = t.tier_rank + 1
    where s.revenue_365 >= (1 - $within) * n.min_revenue
        and s.revenue_365 < n.min_revenue
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
