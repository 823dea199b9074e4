-- Question: what share of each month's first-time buyers bought again within
-- 90 days?
-- Grain: one row per cohort (month of first paid order), the $months cohorts
--   ending with the month of $as_of.
-- Parameters: $as_of (date, D: orders after it are not seen); $months (int).
-- METRICS.md: Customers and members (90-day repurchase: the second paid order
-- comes ≤ 90 days after the first). is_complete: every customer of the
-- cohort has had 90 days by D (the cohort's last day + 90 ≤ D); a younger
-- cohort's rate can still grow.
with cohorts as (
    select
        cast(date_trunc('month', first_order_date) as date) as cohort_month,
        first_order_date,
        second_order_date
    from customer_repeat
    where first_order_date <= $as_of
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
)

select
    cohort_month,
    count(*) as cohort_customers,
    count(*) filter (
        where second_order_date <= first_order_date + 90
            and second_order_date <= $as_of
    ) as repurchased_90d,
    repurchased_90d / count(*) as repurchase_90d,
    last_day(cohort_month) + 90 <= cast($as_of as date) as is_complete
from cohorts
group by cohort_month
order by cohort_month
