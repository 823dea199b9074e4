-- Question: how many known customers are in each lifecycle stage on day D?
-- Grain: one row per stage (potential, new, active, silent, churned), stages
--   without customers included as 0.
-- Parameters: $as_of (date, D).
-- METRICS.md: Customers and members (lifecycle stage; thresholds are the
-- settings new_days, active_days, silent_days). Potential customers are
-- members without a paid order on or before D.
-- Read from customer_timeline's rows on D (the rows customer_state reads):
-- the stage is customer_state's, decided with the same tests written as date
-- comparisons (date_diff('day', x, D) < n is x > D − n) and counted by its
-- number, not its name.
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

bounds as (
    -- D − new_days, D − active_days, D − silent_days
    select
        cast($as_of as date) - (select cast(value as integer) from settings where key = 'new_days') as new_after,
        cast($as_of as date) - (select cast(value as integer) from settings where key = 'active_days') as active_after,
        cast($as_of as date) - (select cast(value as integer) from settings where key = 'silent_days') as silent_after
),

counts as (
    -- customer_state($as_of): one row per known customer
    select
        case
            when s.last_order_date is null then 1
            when s.first_order_date > b.new_after then 2
            when s.last_order_date > b.active_after then 3
            when s.last_order_date > b.silent_after then 4
            else 5
        end as stage_order,
        count(*) as customers
    from customer_timeline as s
    cross join bounds as b
    where s.from_date <= $as_of
        and s.to_date > $as_of
    group by 1
)

select
    s.lifecycle,
    s.stage_order,
    coalesce(c.customers, 0) as customers,
    coalesce(c.customers, 0) / nullif(sum(coalesce(c.customers, 0)) over (), 0) as customer_share
from stages as s
left join counts as c
    on c.stage_order = s.stage_order
order by s.stage_order
