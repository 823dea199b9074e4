-- Question: where in the funnel sessions → product views → add to cart →
-- checkout → purchase are visitors lost, overall and per channel and
-- platform, in the period and in its comparison period?
-- Grain: one row per period ('current': $start..$end, 'comparison':
--   $cstart..$cend) × dimension of $dimensions ('total' with the one value
--   'all', 'channel', 'platform'; an empty list means all three; matched by
--   value, never spliced into the SQL) × value × funnel step, for the steps
--   whose column the traffic files carry (traffic_columns: absent = NULL in
--   every traffic row of the whole table). Absent steps are left out, never
--   0; the step after an absent one is rated against the previous present
--   step. Pages take the frame apart in Python (metrics.period_part): one
--   call instead of one per dimension and period; a page showing one period
--   passes it twice.
-- Parameters: $dimensions, $start, $end, $cstart, $cend, $channels,
--   $platforms (traffic has no category).
-- METRICS.md: Traffic and funnel. step_rate = step ÷ previous step,
--   overall_rate = step ÷ sessions, each over the rows that report both
--   sides; site_step_rate is the step rate of everything in the filters (the
--   'total' rows, computed whatever $dimensions asks for), step_rate_gap_pp
--   the difference to it (in fractions: −0.22 = 22 points below);
--   session_share = the value's sessions ÷ the period's; cart_abandonment_rate
--   = 1 − purchases ÷ add_to_cart (same for every step row of a value; NULL
--   when either column is absent).
-- Each period's rows come from a scan of their own (the periods may overlap).
-- The sums add up across values, so they are summed per value in one pass
-- and turned into one row per step. They are CASE expressions rather than
-- FILTER clauses and the site's rates come from the 'total' rows, not
-- windows: on a few thousand rows the query's cost is its operators, and
-- these are cheaper.
with dated as (
    select 'current' as period, channel, platform, sessions, product_views, add_to_cart, checkouts, purchases
    from traffic_days
    where date between $start and $end
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
    union all
    select 'comparison', channel, platform, sessions, product_views, add_to_cart, checkouts, purchases
    from traffic_days
    where date between $cstart and $cend
        and in_filter($channels, channel)
        and in_filter($platforms, platform)
),

dimensions as (
    select *
    from (values (1, 'total'), (2, 'channel'), (3, 'platform')) as d(dimension_order, dimension)
    where d.dimension = 'total' or in_filter($dimensions, d.dimension)
),

visits as (
    select
        t.period,
        d.dimension_order,
        d.dimension,
        case d.dimension
            when 'total' then 'all'
            when 'channel' then t.channel
            when 'platform' then t.platform
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
    from dated as t
    cross join dimensions as d
    cross join traffic_columns as c
),

-- per step k: n_k = Σ step over rows reporting the previous step, d_k = Σ
-- previous over rows reporting the step, s_k = Σ sessions over rows
-- reporting the step (s_1 = c_1, s_2 = d_2)
sums as (
    select
        period,
        dimension_order,
        dimension,
        dimension_value,
        sum(sessions) as c1,
        sum(product_views) as c2,
        sum(case when sessions is not null then product_views end) as n2,
        sum(case when product_views is not null then sessions end) as d2,
        sum(add_to_cart) as c3,
        sum(case when before_cart is not null then add_to_cart end) as n3,
        sum(case when add_to_cart is not null then before_cart end) as d3,
        sum(case when add_to_cart is not null then sessions end) as s3,
        sum(checkouts) as c4,
        sum(case when before_checkout is not null then checkouts end) as n4,
        sum(case when checkouts is not null then before_checkout end) as d4,
        sum(case when checkouts is not null then sessions end) as s4,
        sum(purchases) as c5,
        sum(case when before_purchase is not null then purchases end) as n5,
        sum(case when purchases is not null then before_purchase end) as d5,
        sum(case when purchases is not null then sessions end) as s5,
        sum(case when add_to_cart is not null then purchases end) as bought_of_carts,
        sum(case when purchases is not null then add_to_cart end) as carts_of_bought
    from visits
    group by period, dimension_order, dimension, dimension_value
),

-- the present steps (sessions always)
present as (
    select k.step_order, k.step
    from (
        values
            (1, 'sessions'),
            (2, 'product_views'),
            (3, 'add_to_cart'),
            (4, 'checkouts'),
            (5, 'purchases')
    ) as k(step_order, step)
    cross join traffic_columns as c
    where k.step_order = 1
        or k.step_order = 2 and c.has_product_views
        or k.step_order = 3 and c.has_add_to_cart
        or k.step_order = 4 and c.has_checkouts
        or k.step_order = 5 and c.has_purchases
),

steps as (
    select
        u.period,
        u.dimension_order,
        u.dimension,
        u.dimension_value,
        k.step_order,
        k.step,
        case k.step_order when 1 then u.c1 when 2 then u.c2 when 3 then u.c3 when 4 then u.c4 else u.c5 end
            as step_count,
        case k.step_order when 2 then u.n2 when 3 then u.n3 when 4 then u.n4 when 5 then u.n5 end as n,
        case k.step_order when 2 then u.d2 when 3 then u.d3 when 4 then u.d4 when 5 then u.d5 end as d,
        case k.step_order when 1 then u.c1 when 2 then u.d2 when 3 then u.s3 when 4 then u.s4 else u.s5 end as s,
        u.c1,
        u.bought_of_carts,
        u.carts_of_bought
    from sums as u
    cross join present as k
)

select
    r.period,
    r.dimension,
    r.dimension_value,
    r.step_order,
    r.step,
    cast(r.step_count as bigint) as step_count,
    r.n / nullif(r.d, 0) as step_rate,
    r.step_count / nullif(r.s, 0) as overall_rate,
    t.n / nullif(t.d, 0) as site_step_rate,
    r.n / nullif(r.d, 0) - t.n / nullif(t.d, 0) as step_rate_gap_pp,
    r.c1 / nullif(t.c1, 0) as session_share,
    1 - r.bought_of_carts / nullif(r.carts_of_bought, 0) as cart_abandonment_rate
from steps as r
inner join steps as t
    on t.period = r.period and t.step_order = r.step_order and t.dimension_order = 1
where in_filter($dimensions, r.dimension)
order by r.period desc, r.dimension_order, session_share desc nulls last, r.dimension_value, r.step_order
