-- Question: how many known customers are in each lifecycle stage on day D?
-- Grain: one row per stage (potential, new, active, silent, churned), stages
--   without customers included as 0.
-- Parameters: $as_of (date, D).
-- METRICS.md: Customers and members (lifecycle stage; thresholds are the
-- settings new_days, active_days, silent_days). Potential customers are
-- members without a paid order on or before D.
with stages as (
    select *
    from (
        values
            (1, 'potential'),
            (2, 'new'),
            (3, 'active'),
            (4, 'silent'),
            (5, 'churned')
    ) as s(stage_order, lifecycle)
),

counts as (
    select
        lifecycle,
        count(*) as customers
    from customer_state($as_of)
    group by lifecycle
)

select
    s.lifecycle,
    s.stage_order,
    coalesce(c.customers, 0) as customers,
    coalesce(c.customers, 0) / nullif(sum(coalesce(c.customers, 0)) over (), 0) as customer_share
from stages as s
left join counts as c
    on c.lifecycle = s.lifecycle
order by s.stage_order
