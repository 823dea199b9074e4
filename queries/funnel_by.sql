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
with visits as (
    select
        case $dimension
            when 'total' then 'all'
            when 'channel' then channel
            when 'platform' then platform
        end as dimension_value,
        t.*,
        c.*
    from traffic_days as t
    cross join traffic_columns as c
    where t.date between $start and $end
        and in_filter($channels, t.channel)
        and in_filter($platforms, t.platform)
),

steps as (
    select dimension_value, 1 as step_order, 'sessions' as step, sessions as step_count,
        null::bigint as previous_count, sessions
    from visits
    union all
    select dimension_value, 2, 'product_views', product_views, sessions, sessions
    from visits
    where has_product_views
    union all
    select dimension_value, 3, 'add_to_cart', add_to_cart,
        case when has_product_views then product_views else sessions end,
        sessions
    from visits
    where has_add_to_cart
    union all
    select dimension_value, 4, 'checkouts', checkouts,
        case
            when has_add_to_cart then add_to_cart
            when has_product_views then product_views
            else sessions
        end,
        sessions
    from visits
    where has_checkouts
    union all
    select dimension_value, 5, 'purchases', purchases,
        case
            when has_checkouts then checkouts
            when has_add_to_cart then add_to_cart
            when has_product_views then product_views
            else sessions
        end,
        sessions
    from visits
    where has_purchases
),

rated as (
    select
        dimension_value,
        step_order,
        step,
        cast(sum(step_count) as bigint) as step_count,
        sum(step_count) filter (where previous_count is not null)
            / nullif(sum(previous_count) filter (where step_count is not null), 0) as step_rate,
        sum(step_count) / nullif(sum(sessions) filter (where step_count is not null), 0) as overall_rate
    from steps
    group by dimension_value, step_order, step
),

site as (
    select
        step,
        sum(step_count) filter (where previous_count is not null)
            / nullif(sum(previous_count) filter (where step_count is not null), 0) as site_step_rate
    from steps
    group by step
),

abandonment as (
    select
        dimension_value,
        1 - sum(purchases) filter (where add_to_cart is not null)
            / nullif(sum(add_to_cart) filter (where purchases is not null), 0) as cart_abandonment_rate
    from visits
    group by dimension_value
)

select
    r.dimension_value,
    r.step_order,
    r.step,
    r.step_count,
    r.step_rate,
    r.overall_rate,
    s.site_step_rate,
    r.step_rate - s.site_step_rate as step_rate_gap_pp,
    sum(r.step_count) filter (where r.step = 'sessions') over (partition by r.dimension_value)
        / nullif(sum(r.step_count) filter (where r.step = 'sessions') over (), 0) as session_share,
    a.cart_abandonment_rate
from rated as r
left join site as s using (step)
left join abandonment as a using (dimension_value)
order by session_share desc nulls last, r.dimension_value, r.step_order
