-- Question: which members have a birthday in the next $days days (for a
-- birthday perk)?
-- Grain: one row per member with a birthday on D + 1 … D + $days.
-- Parameters: $as_of (date, D); $days (int).
-- DATA.md members.birthday. A 29 February birthday falls on 28 February in
-- other years. age: the age the member turns.
-- Read from customer_timeline's rows on D (the rows customer_state reads):
-- the birthday window is checked first, on the scan, and the tier and
-- lifecycle stage (as customer_state defines them) are computed only for
-- the members it keeps (a few percent of them).
with lifecycle_days as (
    select
        (select cast(value as integer) from settings where key = 'new_days') as new_days,
        (select cast(value as integer) from settings where key = 'active_days') as active_days,
        (select cast(value as integer) from settings where key = 'silent_days') as silent_days
),

dated as (
    -- member_state($as_of) of the members with a birthday: a member who
    -- had joined by D (only they have one); first_order_date counts from
    -- a paid order on or before D
    select
        customer_key,
        birthday,
        coalesce(given_tier, derived_tier) as tier,
        case when last_order_date is not null then first_order_date end as first_order_date,
        last_order_date,
        points_balance,
        [year(cast($as_of as date)), year(cast($as_of as date)) + 1] as years
    from customer_timeline
    where from_date <= $as_of
        and to_date > $as_of
        and joined_date <= $as_of
        and birthday is not null
        -- a birthday falls in its own month every year (29 February on the
        -- 28th): keep the months D + 1 … D + $days touch before unnesting
        and (month(birthday) - month(cast($as_of as date) + 1) + 12) % 12
        <= date_diff('month', cast($as_of as date) + 1, cast($as_of as date) + cast($days as integer))
),

occurrences as (
    select
        customer_key,
        birthday,
        tier,
        first_order_date,
        last_order_date,
        points_balance,
        make_date(
            y,
            month(birthday),
            least(day(birthday), day(last_day(make_date(y, month(birthday), 1))))
        ) as next_birthday
    from dated, unnest(years) as u(y)
)

-- customer_id is read for the members listed only (reading that text column
-- for every member would cost more than the rest)
select
    p.customer_id,
    o.next_birthday,
    date_diff('day', cast($as_of as date), o.next_birthday) as days_until,
    year(o.next_birthday) - year(o.birthday) as age,
    o.birthday,
    o.tier,
    case
        when o.first_order_date is null then 'potential'
        when date_diff('day', o.first_order_date, cast($as_of as date)) < l.new_days then 'new'
        when date_diff('day', o.last_order_date, cast($as_of as date)) < l.active_days then 'active'
        when date_diff('day', o.last_order_date, cast($as_of as date)) < l.silent_days then 'silent'
        else 'churned'
    end as lifecycle,
    o.points_balance
from occurrences as o
inner join customer_profile as p
    on p.customer_key = o.customer_key
cross join lifecycle_days as l
where o.next_birthday > cast($as_of as date)
    and o.next_birthday <= cast($as_of as date) + cast($days as integer)
order by o.next_birthday, p.customer_id
