-- Question: of the customers who first bought in a month, what share bought
-- again in each later calendar month, and how much revenue has each brought
-- by then?
-- Grain: one row per cohort × month_index (0 = the cohort's own month) for the
--   $months cohorts ending with the month of $as_of, up to the month of $as_of.
-- Parameters: $as_of (date, D: orders after it are not seen); $months (int).
-- METRICS.md: Customers and members (cohort retention; LTV(k) = cumulative
-- net revenue per cohort customer through month k). is_partial marks the
-- month of D when D is not its last day.
with sizes as (
    -- the customers whose first paid order is in a shown month, counted per
    -- month numbered year × 12 + month (cheaper than date_trunc per row)
    select
        cast(date_trunc('month', min(first_order_date)) as date) as cohort_month,
        count(*) as cohort_customers
    from customer_profile
    where first_order_date <= $as_of
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
    group by year(first_order_date) * 12 + month(first_order_date)
),

grid as (
    select
        s.cohort_month,
        s.cohort_customers,
        cast(k.month_index as integer) as month_index
    from sizes as s,
        range(0, date_diff('month', s.cohort_month, cast($as_of as date)) + 1) as k(month_index)
),

activity as (
    -- customer_timeline's order-day rows (a customer's paid orders of one
    -- day): a customer is active in a month once, on their first order day
    -- in it (no earlier order day in the same month) — a count, not a
    -- count(distinct) over millions of orders. Months are numbered year ×
    -- 12 + month (cheaper than date_trunc per row).
    select
        year(first_order_date) * 12 + month(first_order_date) as cohort_n,
        year(from_date) * 12 + month(from_date) - (year(first_order_date) * 12 + month(first_order_date)) as month_index,
        count(*) filter (
            where prev_order_date is null
                or year(prev_order_date) * 12 + month(prev_order_date) < year(from_date) * 12 + month(from_date)
        ) as active_customers,
        sum(day_revenue) as net_revenue
    from customer_timeline
    where day_orders > 0
        and from_date <= $as_of
        and first_order_date <= $as_of
        and first_order_date >= date_trunc('month', cast($as_of as date)) - to_months(cast($months as integer) - 1)
    group by 1, 2
)

select
    g.cohort_month,
    g.month_index,
    g.cohort_customers,
    coalesce(a.active_customers, 0) as active_customers,
    coalesce(a.active_customers, 0) / g.cohort_customers as retention_rate,
    coalesce(a.net_revenue, 0) as net_revenue,
    sum(coalesce(a.net_revenue, 0)) over (
        partition by g.cohort_month order by g.month_index
    ) / g.cohort_customers as ltv,
    g.cohort_month + to_months(g.month_index) = date_trunc('month', cast($as_of as date))
    and cast($as_of as date) < last_day(cast($as_of as date)) as is_partial
from grid as g
left join activity as a
    on a.cohort_n = year(g.cohort_month) * 12 + month(g.cohort_month)
    and a.month_index = g.month_index
order by g.cohort_month, g.month_index
