-- Question: where in the funnel sessions → product views → add to cart →
-- checkout → purchase are visitors lost, overall and per channel or platform?
-- Grain: one row per value of $dimension × funnel step, for the steps whose
--   column the traffic files carry (traffic_columns: absent = NULL in every
--   traffic row of the whole table). Absent steps are left out, never 0;
--   the step after an absent one is rated against the previous present step.
--   $dimension: 'total' (one value, 'all'), 'channel' or 'platform'.
-- Parameters: $dimension, $start, $end, $channels, $platforms (traffic has
--   no category).
-- METRICS.md: Traffic and funnel. step_rate = step ÷ previous step, overall_rate
--   = step ÷ sessions, each over the rows that report both sides; site_step_rate
--   is the step rate of everything in the filters, step_rate_gap_pp the
--   difference to it (in fractions: −0.22 = 22 points below);
--   cart_abandonment_rate = 1 − purchases ÷ add_to_cart (same for every step row
--   of a value; NULL when either column is absent).
-- Summed per value first (one pass over the period's traffic rows), then
-- turned into one row per step: the sums add up across values, so the
-- site's step rate is the sum of the values' sums.
with visits as (
    select
        case $dimension
            when 'total' then 'all'
            when 'channel' then channel
            when 'platform' then platform
        end as dimension_value,
        t.sessions,
        t.product_views,
        t.add_to_cart,
        t.checkouts,
        t.purchases,
        -- each step's previous present step
        case when c.has_product_views then t.product_views else t.sessions end as before_cart,
        case
            when c.has_add_to_cart then t.add_to_cart
            when c.has_product_views then t.product_views
            else t.sessions
        end as before_checkout,
        case
            when c.has_checkouts then t.checkouts
            when c.has_add_to_cart then t.add_to_cart
            when c.has_product_views then t.product_views
            else t.sessions
        end as before_purchase
    from traffic_days as t
    cross join traffic_columns as c
    where t.date between $start and $end
        and in_filter($channels, t.channel)
        and in_filter($platforms, t.platform)
),

-- per step k: n_k = Σ step over rows reporting the previous step, d_k = Σ
-- previous over rows reporting the step, s_k = Σ sessions over rows
-- reporting the step
sums as (
    select
        dimension_value,
        sum(sessions) as c1,
        sum(sessions) filter (where sessions is not null) as s1,
        sum(product_views) as c2,
        sum(product_views) filter (where sessions is not null) as n2,
        sum(sessions) filter (where product_views is not null) as d2,
        sum(sessions) filter (where product_views is not null) as s2,
        sum(add_to_cart) as c3,
        sum(add_to_cart) filter (where before_cart is not null) as n3,
        sum(before_cart) filter (where add_to_cart is not null) as d3,
        sum(sessions) filter (where add_to_cart is not null) as s3,
        sum(checkouts) as c4,
        sum(checkouts) filter (where before_checkout is not null) as n4,
        sum(before_checkout) filter (where checkouts is not null) as d4,
        sum(sessions) filter (where checkouts is not null) as s4,
        sum(purchases) as c5,
        sum(purchases) filter (where before_purchase is not null) as n5,
        sum(before_purchase) filter (where purchases is not null) as d5,
        sum(sessions) filter (where purchases is not null) as s5,
        sum(purchases) filter (where add_to_cart is not null) as bought_of_carts,
        sum(add_to_cart) filter (where purchases is not null) as carts_of_bought
    from visits
    group by dimension_value
),

steps as (
    select dimension_value, 1 as step_order, 'sessions' as step, c1 as step_count,
        null as n, null as d, s1 as s
    from sums
    union all
    select dimension_value, 2, 'product_views', c2, n2, d2, s2
    from sums
    where (select has_product_views from traffic_columns)
    union all
    select dimension_value, 3, 'add_to_cart', c3, n3, d3, s3
    from sums
    where (select has_add_to_cart from traffic_columns)
    union all
    select dimension_value, 4, 'checkouts', c4, n4, d4, s4
    from sums
    where (select has_checkouts from traffic_columns)
    union all
    select dimension_value, 5, 'purchases', c5, n5, d5, s5
    from sums
    where (select has_purchases from traffic_columns)
),

site as (
    select step, sum(n) / nullif(sum(d), 0) as site_step_rate
    from steps
    group by step
)

select
    r.dimension_value,
    r.step_order,
    r.step,
    cast(r.step_count as bigint) as step_count,
    r.n / nullif(r.d, 0) as step_rate,
    r.step_count / nullif(r.s, 0) as overall_rate,
    s.site_step_rate,
    r.n / nullif(r.d, 0) - s.site_step_rate as step_rate_gap_pp,
    u.c1 / nullif(sum(u.c1) filter (where r.step = 'sessions') over (), 0) as session_share,
    1 - u.bought_of_carts / nullif(u.carts_of_bought, 0) as cart_abandonment_rate
from steps as r
inner join sums as u using (dimension_value)
left join site as s using (step)
order by session_share desc nulls last, r.dimension_value, r.step_order
